package dev.parity.cli.restore;

import dev.parity.cli.ExitCodes;
import dev.parity.cli.UsageError;
import dev.parity.cli.Verb;
import dev.parity.cli.Version;
import dev.parity.db.DevDatabase;
import dev.parity.env.Environment;
import dev.parity.steps.Sequence;
import dev.parity.steps.Step;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * Copies a database from one environment to another. Every direction checks its source before
 * anything is reset or dropped: a failed download never costs the database you had. The plans
 * live in {@link IntoDevelopment} and {@link IntoApp}; this class holds the options and picks one.
 */
@picocli.CommandLine.Command(name = "restore", header = "Replace this database with SOURCE's.", aliases = "restore-from", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Replace this environment's database with SOURCE's.",
                "development restore production: download production's latest backup, restore it into a temporary database,",
                "  verify it against the dump, then swap it in; the database you had is kept (development restore --undo).",
                "staging restore production: prove production's latest backup whole, back staging up, then reset it and restore;",
                "  if anything fails after the reset, staging's backup is put back (staging restore --undo, later).",
                "staging restore development: push the local database to staging (backed up first, the same way).",
                "With a scrub: section in .parity.yml its rules run before the swap (development) or in the app right after the",
                "  restore (review apps, staging, ...; the data passes through Heroku unscrubbed). Production is never scrubbed.",
                "Restoring into production needs --force and the app name typed at the prompt (or --confirm APP).",
                "Arguments after -- (or options parity does not know) go to pg_restore / heroku."})
public final class Restore extends Verb {
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

    @Option(names = "--undo", description = "Put back the database the last restore replaced: development's previous copy,"
            + " or an app's backup captured before the restore reset it.")
    boolean undo;

    @Option(names = "--no-backup", description = "Into an app: do not capture a backup of it before the reset (nothing to put back if the restore fails).")
    boolean noBackup;

    @Option(names = "--backup-id", paramLabel = "ID", description = "Restore this backup of SOURCE (e.g. b042) instead of the latest.")
    String backupId;

    @Option(names = "--backup-url", paramLabel = "URL", description = "Restore the dump at this URL (SOURCE then only names where it came from).")
    String backupUrl;

    @Option(names = "--only", split = ",", arity = "1..*", paramLabel = "TABLE", description = "Into development: restore only these tables"
            + " (and what they need); foreign keys into tables left out are dropped, and named.")
    List<String> only = new ArrayList<>();

    @Option(names = "--exclude", split = ",", arity = "1..*", paramLabel = "TABLE", description = "Into development: leave these tables out"
            + " (with their indexes, constraints, views over them); foreign keys into them are dropped, and named.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--exclude-data", split = ",", arity = "1..*", paramLabel = "TABLE", description = "Into development: restore these tables"
            + " empty (schema kept, rows not); foreign keys from restored rows into them are dropped, and named.")
    List<String> excludeData = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "NAME", description = "Into development: the subset named NAME under restore_profiles"
            + " in .parity.yml (its only/exclude/exclude_data lists, added to the options given here).")
    String profile;

    /** The tables to restore: every one unless --only, --exclude, --exclude-data or --profile narrow it. */
    dev.parity.db.TocFilter.Subset subset() {
        List<String> o = new ArrayList<>(only);
        List<String> x = new ArrayList<>(exclude);
        List<String> d = new ArrayList<>(excludeData);
        if (profile != null) {
            java.util.Map<String, dev.parity.config.RestoreProfiles.Profile> profiles = dev.parity.config.RestoreProfiles.load(workspace.root());
            dev.parity.config.RestoreProfiles.Profile p = profiles.get(profile);
            if (p == null) {
                throw new UsageError("--profile " + profile + ": no such profile under restore_profiles in .parity.yml"
                        + (profiles.isEmpty() ? " (it has none)" : " (it has: " + String.join(", ", profiles.keySet()) + ")"));
            }
            o.addAll(p.only());
            x.addAll(p.exclude());
            d.addAll(p.excludeData());
        }
        return new dev.parity.db.TocFilter.Subset(List.copyOf(o), List.copyOf(x), List.copyOf(d));
    }

    /** More parallel jobs than this only queue for connections (and pg_restore fails past its own limits). */
    static final int MAX_JOBS = 64;

    public Restore() {
    }

    /**
     * Arguments passed on may narrow the work but never choose where it goes: pg_restore's target and
     * mode are parity's (the temporary database it verifies and swaps in), the app is the target's.
     */
    static void refuseRedirection(boolean intoDevelopment, List<String> passOn) {
        if (intoDevelopment) {
            List<String> refused = dev.parity.db.PgRestoreOptions.refused(passOn);
            if (!refused.isEmpty()) {
                throw new UsageError("parity chooses pg_restore's target and mode itself (a temporary database, verified, then swapped in);"
                        + " refused: " + String.join(" ", refused) + ". Selections such as -n, -t, -s pass; use --jobs N for -j");
            }
            return;
        }
        for (String a : passOn) {
            // short flags bundle in the CLI (-va APP is -v -a APP); -c is pg:backups:restore's --confirm
            if (a.matches("-[^-].*") && a.substring(1).chars().anyMatch(ch -> ch == 'a' || ch == 'r' || ch == 'c')
                    || a.matches("--(app|remote|confirm)(=.*)?")) {
                throw new UsageError("the app is the target environment's, and parity confirms it itself; refused: " + a);
            }
        }
    }

    /** pg_restore's parallel jobs: --jobs, else one per core. */
    int jobs() {
        return jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
    }

    @Override
    protected Sequence sequence() throws InterruptedException {
        if (undo) return undo();
        if (source == null) throw new UsageError("restore needs a SOURCE environment, e.g. `development restore production`");
        Environment target = environment();
        if (source.equals(environmentName) && reviewAppNumber == null) {
            throw new UsageError("cannot restore " + source + " from itself");
        }
        if ("pr_app".equals(source)) throw new UsageError("a review app cannot be a restore source");
        if (jobs != null && (jobs < 1 || jobs > MAX_JOBS)) {
            throw new UsageError("--jobs must be between 1 and " + MAX_JOBS + " (each job is a connection to the server)");
        }
        if (backupId != null && !backupId.matches("[a-z]?\\d{1,9}")) {
            throw new UsageError("--backup-id looks like b042 (got '" + backupId + "')");
        }
        if (backupId != null && backupUrl != null) throw new UsageError("--backup-id and --backup-url exclude each other");
        refuseProductionWithoutForce(target, "restoring into production replaces its database");
        Environment from = workspace.environment(source);
        if (from.app() != null && from.app().equalsIgnoreCase(target.app())) {
            throw new UsageError("cannot restore " + target.app() + " from itself (" + source + " and " + environmentName + " are the same app)");
        }
        List<String> passOn = new ArrayList<>(unmatched);
        passOn.addAll(extra);
        List<String> notes = new ArrayList<>();
        notes.add("from: " + describe(from));
        notes.add("into: " + describe(target));
        forceNote(target).ifPresent(notes::add);
        BackupSource backup = new BackupSource(workspace, from, backupId, backupUrl);
        refuseRedirection(target.isDevelopment(), passOn);
        dev.parity.db.TocFilter.Subset subset = subset();
        if (!subset.isEmpty() && !target.isDevelopment()) {
            throw new UsageError("--only, --exclude, --exclude-data and --profile restore part of a dump into development;"
                    + " a restore into an app restores the whole backup");
        }
        if (!subset.only().isEmpty() && !subset.exclude().isEmpty()) throw new UsageError("--only and --exclude exclude each other (--only already leaves the rest out)");
        List<Step> steps;
        if (target.isDevelopment()) {
            if (from.isDevelopment()) throw new UsageError("cannot restore development from itself");
            DevDatabase db = workspace.developmentDatabase();
            notes.add("local database: " + db.name() + " (from " + db.source() + ")");
            steps = new IntoDevelopment(this, workspace, db).steps(from, backup, passOn);
        } else if (from.isDevelopment()) {
            DevDatabase db = workspace.developmentDatabase();
            notes.add("local database: " + db.name() + " (from " + db.source() + ")");
            steps = new IntoApp(this, workspace, target).fromDevelopment(db, passOn);
        } else {
            steps = new IntoApp(this, workspace, target).fromApp(from, backup, passOn);
        }
        return new Sequence(title("restore " + source), steps, notes);
    }

    /**
     * {@code development restore --undo}: the previous copy and the current database change places;
     * {@code staging restore --undo}: the backup captured before the last restore into it goes back.
     */
    private Sequence undo() throws InterruptedException {
        Environment target = environment();
        if (source != null) throw new UsageError("--undo takes no SOURCE");
        if (!target.isDevelopment()) {
            refuseProductionWithoutForce(target, "putting back production's backup replaces its database");
            List<String> notes = new ArrayList<>(List.of("into: " + describe(target)));
            forceNote(target).ifPresent(notes::add);
            return new Sequence(title("restore --undo"), new IntoApp(this, workspace, target).undo(), notes);
        }
        DevDatabase db = workspace.developmentDatabase();
        return new Sequence(title("restore --undo"), new IntoDevelopment(this, workspace, db).undo(),
                List.of("local database: " + db.name() + " (from " + db.source() + ")"));
    }

    /**
     * Into production without --force: refused, except that --dry-run shows the plan (its
     * confirmation step included), which changes nothing, with a note on what running it takes.
     */
    private void refuseProductionWithoutForce(Environment target, String what) {
        if (target.isProduction() && !force && !isDryRun()) {
            throw new UsageError(what + ". If you mean it, re-run with --force "
                    + "(you will be asked to type the app name, or pass --confirm " + target.app() + ")", ExitCodes.REFUSED);
        }
    }

    private java.util.Optional<String> forceNote(Environment target) {
        if (!target.isProduction() || force) return java.util.Optional.empty();
        return java.util.Optional.of("into production: running this needs --force, then the app name typed at the prompt (or --confirm "
                + target.app() + "); without --force it is refused and nothing changes");
    }

    private static String describe(Environment env) {
        return env.app() == null ? env.name() + " (the local database)" : env.name() + ": " + env.app() + " (from " + env.source() + ")";
    }
}
