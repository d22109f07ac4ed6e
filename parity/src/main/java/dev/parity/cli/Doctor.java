package dev.parity.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parity.env.Environment;
import dev.parity.heroku.ApiFailures;
import dev.parity.heroku.HerokuApi;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.heroku.Release;
import dev.parity.process.ProgramNotFound;
import dev.parity.schema.PendingMigrations;
import dev.parity.schema.ReadOnlyPsql;
import dev.parity.schema.SchemaChanges;
import dev.parity.stale.DynoView;
import dev.parity.stale.Finding;
import dev.parity.stale.MigrationRecords;
import dev.parity.stale.SchemaChange;
import dev.parity.stale.StaleRules;
import dev.parity.steps.Action;
import dev.parity.steps.Sequence;
import dev.parity.steps.Step;
import dev.parity.steps.StepFailed;
import dev.parity.ui.Redact;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code doctor}: what is wrong with the environment's dynos and schema, each finding on one line
 * with its reason, and the one command that fixes it. Reads dynos and the current release from the
 * Platform API, the newest schema change from parity's migrate record and the app's
 * migration-history tables (read-only, through DATABASE_URL), and for Rails the migrations in the
 * repository the database has not run. Exit 0 healthy, 1 findings, 2 the API failed.
 */
@Command(name = "doctor", header = "Find stale dynos and pending migrations; name the fix.", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Find stale dynos (release lag, booted before the last schema change, crashed) and pending "
                + "migrations, and name the one command that fixes them. Exit 0 healthy, 1 problems found, 2 API error.")
final class Doctor extends Verb {
    /** How many of the newest releases settle which one is current. */
    static final int RECENT_RELEASES = 15;

    @Option(names = "--json", description = "Print the findings as JSON.")
    boolean json;

    /** One problem: the dyno it concerns (null for the app as a whole), its kind, and why. */
    record Problem(String dyno, String kind, String reason) {
        String line() {
            return (dyno == null ? "" : dyno + ": ") + reason;
        }
    }

    @Override
    protected Sequence sequence() throws InterruptedException {
        Environment env = remoteEnvironment("doctor");
        String app = env.app();
        boolean rails = PendingMigrations.applies(workspace.root());
        List<Step> steps = new ArrayList<>();
        steps.add(plan("list dynos", "GET " + Platform.dynosPath(app)));
        steps.add(plan("find the current release", "GET " + Platform.releasesPath(app)
                + "  (Range: " + Platform.releasesRange(RECENT_RELEASES) + ")"));
        steps.add(plan("read parity's migrate record", "read "
                + workspace.cacheDirectory().resolve("migrations").resolve(app + ".json") + " (if present)"));
        steps.add(plan("read the database's migration history",
                "GET " + Platform.configVarsPath(app) + " (DATABASE_URL, never shown), then read-only "
                        + ReadOnlyPsql.PROGRAM + " -X -q -A -t -v ON_ERROR_STOP=1 -1 -c '" + ReadOnlyPsql.READ_ONLY + "' -c \"" + ReadOnlyPsql.BOUNDED + "\":\n"
                        + (rails ? "       -c \"" + SchemaChanges.presenceQuery() + "\"\n" : "")
                        + "       -c \"" + SchemaChanges.newestQuery() + "\"\n"
                        + "       (the newest time of each history table present" + (rails ? ", asked only when one is" : "") + ": Flyway installed_on, "
                        + "Liquibase dateexecuted, Django applied, Knex migration_time, Prisma finished_at, Ecto inserted_at)"
                        + (rails ? "\n       -c \"" + PendingMigrations.QUERY + "\" against "
                        + PendingMigrations.repositoryVersions(workspace.root()).size() + " migrations in "
                        + PendingMigrations.DIRECTORY : "")));
        steps.add(plan("report", "one line per stale dyno or pending migration, then the command that fixes them"));
        return new Sequence(title("doctor"), steps, List.of("app: " + app + " (from " + env.source() + ")"));
    }

    private static Step plan(String name, String text) {
        return new Action(name, text, ctx -> { });
    }

    @Override
    public Integer call() throws InterruptedException {
        if (dryRun) return super.call();
        Environment env = remoteEnvironment("doctor");
        PrintStream out = workspace.io().out();
        PrintStream err = workspace.io().err();
        String app = env.app();
        List<Problem> problems = new ArrayList<>();
        List<DynoView> dynos;
        int current;
        Optional<SchemaChange> schema;
        try {
            Platform platform = workspace.platform();
            dynos = platform.dynos(app);
            current = Release.current(platform.releases(app, RECENT_RELEASES)).map(Release::version).orElse(0);
            Database db = database(platform, app, err);
            schema = SchemaChanges.newest(new MigrationRecords(workspace.cacheDirectory()), app, db.newest());
            for (Finding f : StaleRules.find(dynos, current, schema)) problems.add(new Problem(f.dyno(), kind(f.reason()), f.reason()));
            db.railsVersions().ifPresent(applied -> {
                for (PendingMigrations.Pending p : PendingMigrations.pending(PendingMigrations.repositoryVersions(workspace.root()), applied)) {
                    problems.add(new Problem(null, "pending_migration", "migration " + p.version() + " (" + p.file()
                            + ") has not run: it is not in " + PendingMigrations.TABLE));
                }
            });
        } catch (HerokuApiException e) {
            StepFailed failed = ApiFailures.of(e, env); // the same code and words as every other verb's API failure
            err.println("parity: doctor: " + Redact.url(failed.getMessage()));
            return failed.exitCode();
        }
        long formation = dynos.stream().filter(d -> !d.oneOff()).count();
        err.println("parity: checked " + app + ": " + formation + " dyno" + (formation == 1 ? "" : "s")
                + (current > 0 ? ", current release v" + current : "")
                + schema.map(s -> ", newest schema change " + s.at() + " (" + s.source() + ")").orElse(", no schema change known"));
        Optional<String> fix = fix(problems);
        if (json) {
            printJson(out, app, current, schema, problems, fix);
        } else if (problems.isEmpty()) {
            out.println("No problems found");
        } else {
            for (Problem p : problems) out.println(p.line());
            out.println();
            out.println("Fix: " + fix.orElseThrow() + "  (" + why(problems) + ")");
        }
        return problems.isEmpty() ? 0 : ExitCodes.FAILED;
    }

    /** What the database told us; empty parts when it could not be read (said on stderr). */
    private record Database(Optional<SchemaChange> newest, Optional<Set<String>> railsVersions) {}

    private Database database(Platform platform, String app, PrintStream err) throws InterruptedException {
        boolean rails = PendingMigrations.applies(workspace.root());
        String url = platform.configVars(app).get("DATABASE_URL");
        if (url == null || url.isBlank()) {
            if (rails) err.println("parity: " + app + " has no DATABASE_URL: cannot tell which migrations have run");
            return new Database(Optional.empty(), Optional.empty());
        }
        Optional<ReadOnlyPsql> psql = ReadOnlyPsql.of(workspace.runner(), url);
        if (psql.isEmpty()) {
            err.println("parity: DATABASE_URL of " + app + " is not a PostgreSQL URL: its migration history was not read");
            return new Database(Optional.empty(), Optional.empty());
        }
        try {
            SchemaChanges.DatabaseView v = SchemaChanges.read(psql.get(), rails);
            return new Database(v.newest(), v.railsVersions());
        } catch (ProgramNotFound e) {
            err.println("parity: psql is not installed: the migration history in " + app + "'s database was not read");
        } catch (ReadOnlyPsql.QueryFailed e) {
            err.println("parity: could not read the migration history in " + app + "'s database (" + e.getMessage() + ")");
        }
        return new Database(Optional.empty(), Optional.empty());
    }

    static String kind(String reason) {
        if (reason.equals("crashed")) return "crashed";
        if (reason.startsWith("runs v")) return "release_lag";
        if (reason.startsWith("booted before")) return "booted_before_schema_change";
        return "stale";
    }

    /**
     * The single most effective command: {@code migrate} (runs what is pending, then restarts every
     * dyno) when migrations are pending or dynos predate the schema; else {@code restart}.
     */
    Optional<String> fix(List<Problem> problems) {
        if (problems.isEmpty()) return Optional.empty();
        boolean migrate = problems.stream().anyMatch(p -> p.kind().equals("pending_migration")
                || p.kind().equals("booted_before_schema_change"));
        return Optional.of(title(migrate ? "migrate" : "restart"));
    }

    private static String why(List<Problem> problems) {
        boolean pending = problems.stream().anyMatch(p -> p.kind().equals("pending_migration"));
        boolean before = problems.stream().anyMatch(p -> p.kind().equals("booted_before_schema_change"));
        if (pending) return "runs the pending migrations, then restarts every dyno onto the new schema";
        if (before) return "migrates (nothing to run if up to date) and restarts every dyno onto the current schema";
        return "restarts every dyno onto the current release";
    }

    private void printJson(PrintStream out, String app, int current, Optional<SchemaChange> schema, List<Problem> problems,
                           Optional<String> fix) {
        ObjectNode root = HerokuApi.JSON.createObjectNode();
        root.put("app", app);
        root.put("healthy", problems.isEmpty());
        if (current > 0) root.put("current_release", current); else root.putNull("current_release");
        if (schema.isPresent()) {
            root.putObject("schema_change").put("at", schema.get().at().toString()).put("source", schema.get().source());
        } else {
            root.putNull("schema_change");
        }
        ArrayNode list = root.putArray("findings");
        for (Problem p : problems) {
            ObjectNode n = list.addObject();
            if (p.dyno() == null) n.putNull("dyno"); else n.put("dyno", p.dyno());
            n.put("kind", p.kind()).put("reason", p.reason());
        }
        if (fix.isPresent()) root.put("fix", fix.get()); else root.putNull("fix");
        try {
            out.println(HerokuApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
