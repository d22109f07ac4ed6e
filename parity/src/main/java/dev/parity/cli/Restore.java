package dev.parity.cli;

import dev.parity.db.BackupDownload;
import dev.parity.db.DevDatabase;
import dev.parity.db.DumpCache;
import dev.parity.db.DumpCheck;
import dev.parity.db.LocalDatabases;
import dev.parity.db.Preflight;
import dev.parity.db.RestoreErrors;
import dev.parity.db.RestoreVerification;
import dev.parity.env.Environment;
import dev.parity.heroku.ApiFailures;
import dev.parity.heroku.BackupUrls;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.HerokuCli;
import dev.parity.process.Command;
import dev.parity.steps.Action;
import dev.parity.steps.Capture;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Sequence;
import dev.parity.steps.Step;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import dev.parity.ui.ProgressBar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * Copies a database from one environment to another. Every direction checks its source before
 * anything is reset or dropped: a failed download never costs the database you had.
 */
@picocli.CommandLine.Command(name = "restore", aliases = "restore-from", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Replace this environment's database with SOURCE's.",
                "development restore production: download production's latest backup, restore it into a temporary database,",
                "  verify it against the dump, then swap it in; the database you had is kept (development restore --undo).",
                "staging restore production: check production's latest backup, then reset staging and restore it there.",
                "staging restore development: push the local database to staging.",
                "Restoring into production needs --force and the app name typed at the prompt (or --confirm APP).",
                "Arguments after -- (or options parity does not know) go to pg_restore / heroku."})
final class Restore extends Verb {
    static final String BACKUP_URL = "backup-url";
    static final String DUMP = "dump";
    static final String TOC = "toc";
    static final String BACKUP_NAME = "backup-name";
    static final String DUMP_BYTES = "dump-bytes";
    static final String SWAPPED = "swapped";

    @Parameters(index = "0", arity = "0..1", paramLabel = "SOURCE", description = "Environment to copy from (production, staging, development, …).")
    String source;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Passed on to pg_restore (development) or heroku.")
    List<String> extra = new ArrayList<>();

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Option(names = "--force", description = "Allow restoring into production; for development, end other connections to the database.")
    boolean force;

    @Option(names = "--confirm", paramLabel = "APP", description = "Confirm a production restore without the prompt.")
    String confirm;

    @Option(names = "--parallelize", description = "Restore with one pg_restore job per CPU core (the default; kept for the original's users).")
    boolean parallelize;

    @Option(names = "--jobs", paramLabel = "N", description = "Restore with N parallel pg_restore jobs (default: the number of cores).")
    Integer jobs;

    @Option(names = "--keep-dump", description = "Keep the downloaded dump in ~/.cache/parity/dumps; the next restore of the same backup reuses it.")
    boolean keepDump;

    @Option(names = "--undo", description = "development only: put back the database the last restore replaced.")
    boolean undo;

    @Option(names = "--backup-id", paramLabel = "ID", description = "Restore this backup of SOURCE (e.g. b042) instead of the latest.")
    String backupId;

    @Option(names = "--backup-url", paramLabel = "URL", description = "Restore the dump at this URL (SOURCE then only names where it came from).")
    String backupUrl;

    @Override
    protected Sequence sequence() throws InterruptedException {
        if (undo) return undo();
        if (source == null) throw new UsageError("restore needs a SOURCE environment, e.g. `development restore production`");
        Environment target = environment();
        if (source.equals(environmentName) && reviewAppNumber == null) {
            throw new UsageError("cannot restore " + source + " from itself");
        }
        if ("pr_app".equals(source)) throw new UsageError("a review app cannot be a restore source");
        if (jobs != null && jobs < 1) throw new UsageError("--jobs must be at least 1");
        if (backupId != null && !backupId.matches("[a-z]?\\d{1,9}")) {
            throw new UsageError("--backup-id looks like b042 (got '" + backupId + "')");
        }
        if (backupId != null && backupUrl != null) throw new UsageError("--backup-id and --backup-url exclude each other");
        if (target.isProduction() && !force) {
            throw new UsageError("restoring into production replaces its database. If you mean it, re-run with --force "
                    + "(you will be asked to type the app name, or pass --confirm " + target.app() + ")", ExitCodes.REFUSED);
        }
        Environment from = workspace.environment(source);
        List<String> passOn = new ArrayList<>(unmatched);
        passOn.addAll(extra);
        List<String> notes = new ArrayList<>();
        notes.add("from: " + describe(from));
        notes.add("into: " + describe(target));
        List<Step> steps;
        if (target.isDevelopment()) {
            if (from.isDevelopment()) throw new UsageError("cannot restore development from itself");
            DevDatabase db = workspace.developmentDatabase();
            notes.add("local database: " + db.name() + " (from " + db.source() + ")");
            steps = intoDevelopment(from, db, passOn);
        } else if (from.isDevelopment()) {
            DevDatabase db = workspace.developmentDatabase();
            notes.add("local database: " + db.name() + " (from " + db.source() + ")");
            steps = fromDevelopment(db, target, passOn);
        } else {
            steps = betweenApps(from, target, passOn);
        }
        return new Sequence(title("restore " + source), steps, notes);
    }

    /**
     * Remote → development: download (resumable, cached), check, restore into a temporary database,
     * verify it against the dump, and only then swap it in. The development database is never
     * dropped: it becomes the previous copy, which {@code --undo} puts back.
     */
    private List<Step> intoDevelopment(Environment from, DevDatabase db, List<String> passOn) {
        LocalDatabases dbs = new LocalDatabases(db, workspace.runner());
        DumpCache cache = DumpCache.under(workspace.cacheDirectory());
        int n = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        List<Step> steps = new ArrayList<>();
        steps.add(new Action("check the local PostgreSQL", "pg_restore, psql on PATH; the server answers; "
                + "no other connections to " + db.name() + (force ? " (--force: they will be ended at the swap)" : ""), ctx -> {
            Preflight.requirePrograms(ctx.runner(), "pg_restore", "psql");
            dbs.serverMajor();
            if (!force) dbs.requireNoOtherConnections(false);
        }));
        steps.add(backupUrl(from));
        steps.add(new Action("download the backup", "download <backup URL> into " + cache.dir()
                + " (mode 0600; resumes; a kept dump of the same backup is reused)" + (keepDump ? "; kept afterwards" : ""), ctx -> {
            String url = ctx.get(BACKUP_URL);
            String key = DumpCache.key(from.app(), url);
            try {
                cache.prepare();
            } catch (IOException e) {
                throw new StepFailed(ExitCodes.FAILED, "cannot create " + cache.dir() + ": " + e.getMessage());
            }
            Path complete = cache.complete(key);
            Path part = cache.part(key);
            if (!keepDump) {
                ctx.deleteAtEnd(part);
                ctx.deleteAtEnd(complete);
            }
            BackupDownload.Fetched got = BackupDownload.fetch(url, complete, part, progress(ctx, cache.dir()));
            if (got.reused()) ctx.io().progress("parity: reusing the kept dump " + complete + " (" + ProgressBar.size(got.bytes()) + ")");
            else if (got.resumedFrom() > 0) ctx.io().progress("parity: resumed at " + ProgressBar.size(got.resumedFrom()));
            ctx.put(DUMP, complete);
            ctx.put(DUMP_BYTES, got.bytes());
        }));
        steps.add(new Action("check the dump", "$ pg_restore --list <dump file>   (the dump must be readable by this pg_restore)", ctx -> {
            ctx.put(TOC, DumpCheck.check(ctx.runner(), ctx.get(DUMP)));
            if (!passOn.isEmpty()) ctx.put(TOC, DumpCheck.list(ctx.runner(), ctx.get(DUMP), passOn));
        }));
        steps.add(new Action("create the temporary database " + dbs.temporary(),
                "$ psql -c 'CREATE DATABASE " + dbs.temporary() + "'   (dropped again on any failure or interrupt)", ctx -> {
            // a restored database takes about twice the compressed dump, or more; check where it will live
            // (a server on another machine or in a container keeps its own disk: nothing to check from here)
            long needed = 2 * ctx.<Long>get(DUMP_BYTES);
            for (Path dataDir : dbs.dataDirectory().stream().toList()) {
                Preflight.requireSpace(dataDir, needed, "the restored database (about twice the dump)");
            }
            AtomicBoolean swapped = new AtomicBoolean();
            ctx.put(SWAPPED, swapped);
            ctx.atEnd(() -> {
                if (swapped.get()) return;
                try {
                    dbs.dropIfExists(dbs.temporary());
                } catch (StepFailed e) {
                    ctx.io().err().println("parity: could not drop " + dbs.temporary() + ": " + e.getMessage());
                }
            });
            dbs.createTemporary();
        }));
        steps.add(new Action("create schema heroku_ext", "$ psql --dbname " + dbs.temporary()
                + " -c 'CREATE SCHEMA IF NOT EXISTS heroku_ext'   (only if the dump uses it without creating it)", ctx -> {
            if (DumpCheck.needsSchema(ctx.runner(), ctx.get(DUMP), ctx.get(TOC), "heroku_ext")) {
                dbs.run("create schema heroku_ext", dbs.temporary(), "CREATE SCHEMA IF NOT EXISTS heroku_ext");
            } else {
                ctx.io().progress("parity: skipped: the dump does not need heroku_ext created");
            }
        }));
        List<String> restoreArgs = new ArrayList<>(List.of("--no-acl", "--no-owner", "--jobs=" + n, "--dbname",
                LocalDatabases.dbnameArgument(dbs.temporary())));
        restoreArgs.addAll(passOn);
        steps.add(new Action("restore into " + dbs.temporary(),
                "$ " + db.command("pg_restore", List.of(), plus(restoreArgs, "<dump file>")).display()
                        + "   (its errors are read: only known-harmless ones pass)", ctx -> {
            Path errors;
            try {
                errors = cache.newErrorFile();
            } catch (IOException e) {
                throw new StepFailed(ExitCodes.FAILED, "cannot create a file in " + ctx.<Path>get(DUMP).getParent() + ": " + e.getMessage());
            }
            ctx.deleteAtEnd(errors);
            Command restore = db.command("pg_restore", List.of(), plus(restoreArgs, ctx.<Path>get(DUMP).toString())).errorsTo(errors);
            int code = ctx.runner().run(restore).exitCode();
            String stderr;
            try {
                stderr = Files.exists(errors) ? Files.readString(errors) : "";
            } catch (IOException e) {
                stderr = "";
            }
            RestoreErrors found = RestoreErrors.read(stderr);
            for (String h : found.harmless()) ctx.io().progress("parity: ignored a harmless pg_restore error: " + h);
            if (!found.serious().isEmpty()) {
                throw new StepFailed(code == 0 ? ExitCodes.FAILED : code, "pg_restore reported " + found.serious().size() + " error"
                        + (found.serious().size() == 1 ? "" : "s") + ": " + String.join("; ", found.serious().subList(0, Math.min(5, found.serious().size())))
                        + (found.serious().size() > 5 ? "; …" : "") + ". " + db.name() + " was not changed");
            }
            if (code != 0 && found.harmless().isEmpty()) {
                throw new StepFailed(code, "pg_restore exited with status " + code + (stderr.isBlank() ? "" : ": " + stderr.strip())
                        + ". " + db.name() + " was not changed");
            }
        }));
        steps.add(new Action("verify the restored database", "count tables, indexes, constraints, foreign keys, sequences, views, functions "
                + "in " + dbs.temporary() + " against the dump's table of contents", ctx -> {
            String catalog = dbs.run("read the catalog of " + dbs.temporary(), dbs.temporary(), RestoreVerification.CATALOG_SQL);
            RestoreVerification.Outcome outcome = RestoreVerification.compare(ctx.get(TOC), catalog);
            if (!outcome.ok()) {
                throw new StepFailed(ExitCodes.FAILED, "the restored database is missing " + String.join("; ", outcome.missing())
                        + ". " + db.name() + " was not changed");
            }
            ctx.io().progress("parity: verified " + outcome.counts() + ", as listed in the dump");
        }));
        if ("Rails".equals(workspace.project().framework())) {
            steps.add(new Action("mark the database as development (Rails)", "$ psql --dbname " + dbs.temporary()
                    + " -c \"UPDATE ar_internal_metadata SET value = 'development' WHERE key = 'environment'\"   (only if the dump has it)", ctx -> {
                if (DumpCheck.mentions(ctx.get(TOC), "ar_internal_metadata")) {
                    dbs.run("mark the database as development", dbs.temporary(),
                            "UPDATE ar_internal_metadata SET value = 'development' WHERE key = 'environment'");
                } else {
                    ctx.io().progress("parity: skipped: the dump has no ar_internal_metadata");
                }
            }));
        }
        steps.add(new Action("swap it in as " + db.name(), "in one transaction: rename " + db.name() + " to " + dbs.previous()
                + " (replacing an older copy), " + dbs.temporary() + " to " + db.name()
                + (force ? " (--force: other connections are ended)" : " (stops if other connections are open)"), ctx -> {
            boolean hadCurrent = dbs.exists(db.name());
            dbs.swapIn(force);
            ctx.<AtomicBoolean>get(SWAPPED).set(true);
            if (hadCurrent) {
                ctx.io().progress("parity: the database you had is kept as " + dbs.previous()
                        + " (put it back with: development restore --undo)");
            }
            if (keepDump) ctx.io().progress("parity: kept the dump: " + ctx.get(DUMP));
        }));
        return steps;
    }

    /** {@code development restore --undo}: the previous copy and the current database change places. */
    private Sequence undo() throws InterruptedException {
        Environment target = environment();
        if (!target.isDevelopment()) {
            throw new UsageError("--undo puts back the local database's previous copy; it only works for development");
        }
        if (source != null) throw new UsageError("--undo takes no SOURCE");
        DevDatabase db = workspace.developmentDatabase();
        LocalDatabases dbs = new LocalDatabases(db, workspace.runner());
        return new Sequence(title("restore --undo"), List.of(new Action("put the previous copy back",
                "in one transaction: " + db.name() + " and " + dbs.previous() + " change places"
                        + (force ? " (--force: other connections are ended)" : " (stops if other connections are open)"), ctx -> {
            Preflight.requirePrograms(ctx.runner(), "psql");
            dbs.undo(force);
            ctx.io().progress("parity: " + db.name() + " is the previous copy again; the one it replaced is kept as "
                    + dbs.previous() + " (run --undo again to switch back)");
        })), List.of("local database: " + db.name() + " (from " + db.source() + ")"));
    }

    private BackupDownload.Progress progress(StepContext ctx, Path dir) {
        return new BackupDownload.Progress() {
            ProgressBar bar;

            @Override
            public void head(byte[] first) throws StepFailed, InterruptedException {
                DumpCheck.checkReadable(ctx.runner(), first);
            }

            @Override
            public LongConsumer start(long total, long from) throws StepFailed {
                Preflight.requireSpace(dir, total - from, "the dump");
                bar = ProgressBar.onStderr(ctx.io(), "download", total, from);
                return bar::update;
            }

            @Override
            public void finish(long bytes) {
                bar.done(bytes);
            }

            @Override
            public void abandon() {
                if (bar != null) bar.abandon();
            }
        };
    }

    /** Remote → remote: the source backup must exist and answer before the target is reset. */
    private List<Step> betweenApps(Environment from, Environment target, List<String> passOn) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Action("check the local tools", "heroku, pg_restore (to read the backup's table of contents), psql (for pg:psql) on PATH",
                ctx -> Preflight.requirePrograms(ctx.runner(), "heroku", "pg_restore", "psql")));
        steps.add(backupUrl(from));
        steps.add(new Action("check the backup answers", "fetch the first bytes of <backup URL>: it must be a PostgreSQL dump;"
                + " count the tables its table of contents lists (the backup's, not what the source has today)", ctx -> {
            String url = ctx.get(BACKUP_URL);
            BackupDownload.checkAnswers(url);
            java.util.Optional<String> toc = BackupDownload.tableOfContents(ctx.runner(), url);
            if (toc.isPresent()) {
                ctx.put(SOURCE_TABLES, String.valueOf(RestoreVerification.tables(toc.get())));
            } else {
                ctx.put(SOURCE_TABLES, "");
                ctx.io().progress("parity: this pg_restore cannot list the backup (a newer PostgreSQL's?); its tables will not be compared");
            }
        }));
        if (target.isProduction()) steps.add(confirmProduction(target));
        steps.add(reset(target));
        List<String> args = new ArrayList<>(List.of("pg:backups:restore", "<backup URL>", "DATABASE"));
        args.addAll(passOn);
        args.addAll(List.of("--confirm", target.app()));
        steps.add(RunProgram.deferred("restore the backup into " + target.label(), HerokuCli.command(target.app(), args), ctx -> {
            // by name (APP::b042) when known, so the CLI never prints the signed URL
            List<String> real = new ArrayList<>(args);
            real.set(1, ctx.has(BACKUP_NAME) ? ctx.get(BACKUP_NAME) : ctx.get(BACKUP_URL));
            return HerokuCli.command(target.app(), real);
        }));
        steps.add(compareTables("the backup of " + from.label(), target));
        return steps;
    }

    /** Development → remote: the local database must be readable before the target is reset. */
    private List<Step> fromDevelopment(DevDatabase db, Environment target, List<String> passOn) {
        LocalDatabases dbs = new LocalDatabases(db, workspace.runner());
        List<Step> steps = new ArrayList<>();
        steps.add(new Action("check the local database " + db.name(), "heroku, psql, pg_dump on PATH; pg_dump as new as the server; "
                + db.name() + " exists, pg_dump reads its schema, its tables can be counted", ctx -> {
            Preflight.requirePrograms(ctx.runner(), "heroku", "psql", "pg_dump");
            Preflight.requireDumpClientFor(ctx.runner(), dbs.serverMajor());
            if (!dbs.exists(db.name())) {
                throw new StepFailed(ExitCodes.FAILED, "the local database " + db.name() + " does not exist; nothing was changed");
            }
            // what pg:push will run, on the schema only: permissions and versions show here, before any reset
            Command schema = db.command("pg_dump", List.of("--schema-only", "--file=/dev/null"),
                    List.of(LocalDatabases.dbnameArgument(db.name()))).captured();
            int code = ctx.runner().run(schema).exitCode();
            if (code != 0) {
                throw new StepFailed(code, "`" + schema.display() + "` exited with status " + code
                        + ": pg_dump cannot read " + db.name() + "; nothing was changed");
            }
            ctx.put(SOURCE_TABLES, String.valueOf(parseTableCount(dbs.run("count the tables of " + db.name(), db.name(), TABLE_COUNT_SQL))));
        }));
        if (target.isProduction()) steps.add(confirmProduction(target));
        steps.add(reset(target));
        List<String> args = new ArrayList<>(List.of("pg:push", db.pushSource(), "DATABASE_URL"));
        args.addAll(passOn);
        Command push = HerokuCli.command(target.app(), args);
        if (db.password().isPresent()) push = push.withSecretEnv("PGPASSWORD", db.password().get());
        steps.add(new RunProgram("push " + db.name() + " to " + target.label(), push));
        steps.add(compareTables("the local database", target));
        return steps;
    }

    /** Tables outside the system schemas and not an extension's own, printed with a marker to find it in pg:psql's output. */
    static final String TABLE_COUNT_SQL = "SELECT 'parity-tables:' || count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
            + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')";
    static final String SOURCE_TABLES = "source-tables";

    /** After the restore: the target must have as many tables as the source had ({@code what}: where they were counted). */
    private Step compareTables(String what, Environment target) {
        Command count = HerokuCli.command(target.app(), "pg:psql", "-c", TABLE_COUNT_SQL).captured();
        return new Action("compare table counts", "$ " + count.display() + "   (must match " + what + ")", ctx -> {
            String expected = ctx.get(SOURCE_TABLES);
            if (expected.isEmpty()) return;
            dev.parity.process.Result r = ctx.runner().run(count);
            if (!r.ok()) {
                throw new StepFailed(r.exitCode(), "could not count the tables of " + target.label()
                        + " after the restore: heroku pg:psql exited with status " + r.exitCode());
            }
            long after = parseTableCount(r.stdout());
            long before = Long.parseLong(expected);
            if (after != before) {
                throw new StepFailed(ExitCodes.FAILED, "the restore finished, but " + target.label() + " has " + tables(after)
                        + " where " + what + " has " + before + ": check the restore's output above");
            }
            ctx.io().progress("parity: " + target.label() + " has " + tables(after) + ", as " + what + " has");
        });
    }

    private static String tables(long n) {
        return n + (n == 1 ? " table" : " tables");
    }

    static long parseTableCount(String out) throws StepFailed {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("parity-tables:(\\d+)").matcher(out);
        if (!m.find()) throw new StepFailed(ExitCodes.FAILED, "could not read a table count from psql's output");
        return Long.parseLong(m.group(1));
    }

    /** Where the backup comes from: {@code --backup-url} as given, else {@code pg:backups:url [--backup-id]}. */
    private Step backupUrl(Environment from) {
        if (backupUrl != null) {
            return new Action("use the given backup URL", "use --backup-url <backup URL> (a secret: never printed)", ctx -> {
                if (!backupUrl.startsWith("https://") && !backupUrl.startsWith("http://")) {
                    throw new StepFailed(ExitCodes.USAGE, "--backup-url must be an http(s) URL");
                }
                ctx.put(BACKUP_URL, backupUrl);
            });
        }
        List<String> args = backupId == null ? List.of("pg:backups:url") : List.of("pg:backups:url", backupId);
        String which = backupId == null ? "the latest backup" : "backup " + backupId;
        java.util.Optional<BackupUrls> native_ = BackupUrls.from(workspace.io().env());
        if (native_.isPresent()) {
            // the data API directly: the same two requests as the CLI, without its second of start-up
            return new Action("find " + which + " of " + from.label(), "ask the Postgres data API for its URL, as `heroku "
                    + String.join(" ", args) + " --app " + from.app() + "` does (the URL is a secret: kept, never printed)", ctx -> {
                try {
                    BackupUrls.Backup found = native_.get().find(from.app(), backupId);
                    ctx.put(BACKUP_URL, found.url());
                    ctx.put(BACKUP_NAME, from.app() + "::" + found.name());
                } catch (BackupUrls.NoBackup e) {
                    throw new StepFailed(ExitCodes.FAILED, e.getMessage() + "; capture one with: " + from.name() + " backup");
                } catch (HerokuApiException e) {
                    throw ApiFailures.of(e, from);
                }
            });
        }
        return new Capture("find " + which + " of " + from.label(), HerokuCli.command(from.app(), args),
                BACKUP_URL, "the URL is a secret: kept, never printed", out -> {
            String url = out.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse("");
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                throw new StepFailed(ExitCodes.FAILED, "heroku pg:backups:url printed no backup URL for " + from.app()
                        + "; capture one with: " + from.name() + " backup");
            }
            return url;
        });
    }

    private Step reset(Environment target) {
        return new RunProgram("reset the database of " + target.label(),
                HerokuCli.command(target.app(), "pg:reset", "--confirm", target.app()));
    }

    /** Production is only overwritten by someone who typed its name (or passed it with --confirm). */
    private Step confirmProduction(Environment target) {
        String plan = confirm != null ? "check --confirm " + confirm + " matches " + target.app()
                : "ask to type " + target.app() + " to confirm";
        return new Action("confirm overwriting " + target.label(), plan, ctx -> {
            String typed = confirm;
            if (typed == null) {
                if (!ctx.io().interactive()) {
                    throw new StepFailed(ExitCodes.REFUSED, "no terminal to confirm on; pass --confirm " + target.app());
                }
                typed = ctx.io().ask("This replaces the database of " + target.label() + ". Type " + target.app() + " to continue: ");
            }
            if (typed == null || !typed.strip().equals(target.app())) {
                throw new StepFailed(ExitCodes.REFUSED, "confirmation " + (typed == null ? "missing" : "'" + typed.strip() + "'")
                        + " did not match " + target.app() + "; nothing was changed");
            }
        });
    }

    private static String describe(Environment env) {
        return env.app() == null ? env.name() + " (the local database)" : env.name() + ": " + env.app() + " (from " + env.source() + ")";
    }

    private static List<String> plus(List<String> list, String last) {
        List<String> l = new ArrayList<>(list);
        l.add(last);
        return l;
    }
}
