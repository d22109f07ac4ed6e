package dev.parity.cli;

import dev.parity.db.BackupDownload;
import dev.parity.db.DevDatabase;
import dev.parity.db.DumpCheck;
import dev.parity.env.Environment;
import dev.parity.heroku.HerokuCli;
import dev.parity.process.Command;
import dev.parity.steps.Action;
import dev.parity.steps.Capture;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Sequence;
import dev.parity.steps.Step;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.nio.file.Path;
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
                "development restore production: download production's latest backup, check it, then replace the local database.",
                "staging restore production: check production's latest backup, then reset staging and restore it there.",
                "staging restore development: push the local database to staging.",
                "Restoring into production needs --force and the app name typed at the prompt (or --confirm APP).",
                "Arguments after -- (or options parity does not know) go to pg_restore / heroku."})
final class Restore extends Verb {
    static final String BACKUP_URL = "backup-url";
    static final String DUMP = "dump";
    static final String TOC = "toc";

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Environment to copy from (production, staging, development, …).")
    String source;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Passed on to pg_restore (development) or heroku.")
    List<String> extra = new ArrayList<>();

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Option(names = "--force", description = "Allow restoring into production.")
    boolean force;

    @Option(names = "--confirm", paramLabel = "APP", description = "Confirm a production restore without the prompt.")
    String confirm;

    @Option(names = "--parallelize", description = "Restore with one pg_restore job per CPU core.")
    boolean parallelize;

    @Option(names = "--jobs", paramLabel = "N", description = "Restore with N parallel pg_restore jobs.")
    Integer jobs;

    @Option(names = "--backup-id", paramLabel = "ID", description = "Restore this backup of SOURCE (e.g. b042) instead of the latest.")
    String backupId;

    @Option(names = "--backup-url", paramLabel = "URL", description = "Restore the dump at this URL (SOURCE then only names where it came from).")
    String backupUrl;

    @Override
    protected Sequence sequence() throws InterruptedException {
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

    /** Remote → development: fetch and verify the dump completely before the local database is dropped. */
    private List<Step> intoDevelopment(Environment from, DevDatabase db, List<String> passOn) {
        List<Step> steps = new ArrayList<>();
        steps.add(backupUrl(from));
        steps.add(new Action("download the backup", "download <backup URL> into a private temporary file (mode 0600)", ctx -> {
            Path file = privateFile(ctx);
            long bytes = BackupDownload.download(ctx.get(BACKUP_URL), file);
            ctx.io().progress("parity: downloaded " + bytes + " bytes");
            ctx.put(DUMP, file);
        }));
        steps.add(new Action("check the dump", "$ pg_restore --list <dump file>   (the dump must be readable by this pg_restore)",
                ctx -> ctx.put(TOC, DumpCheck.check(ctx.runner(), ctx.get(DUMP)))));
        steps.add(new RunProgram("drop the local database " + db.name(),
                db.command("dropdb", List.of("--if-exists"), List.of(db.name()))));
        steps.add(new RunProgram("create the local database " + db.name(), db.command("createdb", List.of(), List.of(db.name()))));
        steps.add(new RunProgram("create schema heroku_ext", db.psql("CREATE SCHEMA IF NOT EXISTS heroku_ext"))
                .onlyIf(ctx -> DumpCheck.needsSchema(ctx.get(TOC), "heroku_ext"), "only if the dump uses it without creating it"));
        List<String> restoreArgs = new ArrayList<>(List.of("--no-acl", "--no-owner", "--dbname", db.name()));
        Integer n = jobs != null ? Integer.valueOf(jobs) : parallelize ? Integer.valueOf(Runtime.getRuntime().availableProcessors()) : null;
        if (n != null) restoreArgs.add("--jobs=" + n);
        restoreArgs.addAll(passOn);
        steps.add(RunProgram.deferred("restore into " + db.name(),
                db.command("pg_restore", List.of(), plus(restoreArgs, "<dump file>")),
                ctx -> db.command("pg_restore", List.of(), plus(restoreArgs, ctx.<Path>get(DUMP).toString()))));
        if ("Rails".equals(workspace.project().framework())) {
            steps.add(new RunProgram("mark the database as development (Rails)",
                    db.psql("UPDATE ar_internal_metadata SET value = 'development' WHERE key = 'environment'"))
                    .onlyIf(ctx -> DumpCheck.mentions(ctx.get(TOC), "ar_internal_metadata"), "only if the dump has ar_internal_metadata"));
        }
        return steps;
    }

    /** Remote → remote: the source backup must exist and answer before the target is reset. */
    private List<Step> betweenApps(Environment from, Environment target, List<String> passOn) {
        List<Step> steps = new ArrayList<>();
        steps.add(backupUrl(from));
        steps.add(new Action("check the backup answers", "fetch the first bytes of <backup URL>: it must be a PostgreSQL dump",
                ctx -> BackupDownload.checkAnswers(ctx.get(BACKUP_URL))));
        if (target.isProduction()) steps.add(confirmProduction(target));
        steps.add(reset(target));
        List<String> args = new ArrayList<>(List.of("pg:backups:restore", "<backup URL>", "DATABASE"));
        args.addAll(passOn);
        args.addAll(List.of("--confirm", target.app()));
        steps.add(RunProgram.deferred("restore the backup into " + target.label(), HerokuCli.command(target.app(), args), ctx -> {
            List<String> real = new ArrayList<>(args);
            real.set(1, ctx.get(BACKUP_URL));
            return HerokuCli.command(target.app(), real);
        }));
        return steps;
    }

    /** Development → remote: the local database must be readable before the target is reset. */
    private List<Step> fromDevelopment(DevDatabase db, Environment target, List<String> passOn) {
        List<Step> steps = new ArrayList<>();
        Command probe = db.command("psql", List.of("-X", "-A", "-t"), List.of("--dbname", db.name(), "-c", "SELECT 1")).captured();
        steps.add(new Action("check the local database " + db.name(), "$ " + probe.display() + "   (must succeed)", ctx -> {
            int code = ctx.runner().run(probe).exitCode();
            if (code != 0) {
                throw new StepFailed(code, "`" + probe.display() + "` exited with status " + code
                        + ": the local database " + db.name() + " cannot be read");
            }
        }));
        if (target.isProduction()) steps.add(confirmProduction(target));
        steps.add(reset(target));
        List<String> args = new ArrayList<>(List.of("pg:push", db.pushSource(), "DATABASE_URL"));
        args.addAll(passOn);
        Command push = HerokuCli.command(target.app(), args);
        if (db.password().isPresent()) push = push.withSecretEnv("PGPASSWORD", db.password().get());
        steps.add(new RunProgram("push " + db.name() + " to " + target.label(), push));
        return steps;
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

    private static Path privateFile(dev.parity.steps.StepContext ctx) throws StepFailed {
        try {
            Path dir = BackupDownload.privateDirectory();
            ctx.deleteAtEnd(dir);
            return dir.resolve("latest.dump");
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot create a private temporary directory: " + e.getMessage());
        }
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
