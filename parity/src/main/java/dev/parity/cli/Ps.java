package dev.parity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.dynos.Ago;
import dev.parity.heroku.ApiFailures;
import dev.parity.dynos.PsLayout;
import dev.parity.env.Environment;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.heroku.Release;
import dev.parity.process.ProgramNotFound;
import dev.parity.schema.ReadOnlyPsql;
import dev.parity.schema.SchemaChanges;
import dev.parity.stale.DynoView;
import dev.parity.stale.MigrationRecords;
import dev.parity.stale.SchemaChange;
import dev.parity.stale.StaleRules;
import dev.parity.steps.Action;
import dev.parity.steps.Sequence;
import dev.parity.steps.StepFailed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `ps [TYPE...]`: the app's dynos straight from the Platform API, in {@code heroku ps}'s layout, each
 * formation dyno followed by its release and, when it is stale, why (see {@link PsLayout}): on an
 * older release, booted before the newest schema change (parity's migrate record or the database's
 * migration-history tables), or crashed.
 */
@picocli.CommandLine.Command(name = "ps", header = "The app's dynos, each with its release and a stale mark.", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "The app's dynos as `heroku ps` shows them, plus each dyno's release and a stale mark.")
final class Ps extends Verb {
    @Parameters(arity = "0..*", paramLabel = "TYPE", description = "Only these process types (web, worker, run).")
    List<String> types = new ArrayList<>();

    @Option(names = "--json", description = "The dyno array as JSON, sorted by name, each with a `stale` field (null or the reason).")
    boolean json;

    /** The API answers, fetched while picocli parses the arguments (see {@link Verb#prefetch()}). */
    private record Fetched(List<JsonNode> dynos, int current, Optional<SchemaChange> history, boolean historyCut) {}

    /** How long ps waits, once the API has answered, for a history read still under way. */
    static final Duration HISTORY_GRACE = Duration.ofSeconds(2);

    private CompletableFuture<Fetched> prefetched;

    @Override
    void prefetch() {
        prefetched = CompletableFuture.supplyAsync(() -> {
            try {
                return fetch(remoteEnvironment("ps").app());
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * The dynos and the current release's version, and with them the database's newest migration
     * time: read (where psql is on PATH) while the API answers, and awaited for at most
     * {@link #HISTORY_GRACE} after that, so a slow or unreachable database costs ps a bounded wait,
     * never its stale marks on a healthy one. A read still running then is stopped, and ps says so.
     */
    private Fetched fetch(String app) throws InterruptedException {
        Platform platform = workspace.platform();
        FutureTask<Optional<SchemaChange>> history = null;
        if (workspace.runner().available(ReadOnlyPsql.PROGRAM)) {
            history = new FutureTask<>(() -> databaseHistory(platform, app));
            Thread reader = new Thread(history, "ps-database-history");
            reader.setDaemon(true);
            reader.start();
        }
        CompletableFuture<Integer> current = CompletableFuture.supplyAsync(() -> {
            try {
                Optional<Release> live = platform.currentRelease(app);
                return live.isPresent() ? live.get().version() : 0;
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
        List<JsonNode> dynos = platform.dynosJson(app);
        int version;
        try {
            version = current.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new CompletionException(e.getCause());
        }
        if (history == null) return new Fetched(dynos, version, Optional.empty(), false);
        try {
            return new Fetched(dynos, version, history.get(HISTORY_GRACE.toMillis(), TimeUnit.MILLISECONDS), false);
        } catch (TimeoutException e) {
            history.cancel(true); // interrupts the reader: the runner ends its psql
            return new Fetched(dynos, version, Optional.empty(), true);
        } catch (ExecutionException | CancellationException e) {
            return new Fetched(dynos, version, Optional.empty(), false);
        }
    }

    /**
     * The newest time in the app's migration-history tables, read-only through its DATABASE_URL as
     * {@code doctor} reads it (so a migration run by hand shows too), or empty when it cannot be read.
     */
    private Optional<SchemaChange> databaseHistory(Platform platform, String app) throws InterruptedException {
        try {
            String url = platform.configVars(app).get("DATABASE_URL");
            if (url == null || url.isBlank()) return Optional.empty();
            Optional<ReadOnlyPsql> psql = ReadOnlyPsql.of(workspace.runner(), url);
            // quiet, and not waiting long for a database this machine may not reach (private spaces)
            return psql.isEmpty() ? Optional.empty() : SchemaChanges.read(psql.get().quiet(3), false).newest();
        } catch (HerokuApiException | ProgramNotFound | ReadOnlyPsql.QueryFailed e) {
            return Optional.empty(); // the dynos are shown all the same; doctor says why the history is unreadable
        }
    }

    @Override
    protected Sequence sequence() throws InterruptedException {
        Environment env = remoteEnvironment("ps");
        String app = env.app();
        String base = workspace.hosts().apiBase();
        String plan = "GET " + base + Platform.dynosPath(app) + "; GET " + base + Platform.releasesPath(app)
                + " (Range: " + Platform.releasesRange(Platform.RECENT_RELEASES) + ") for the current release; GET " + base
                + Platform.configVarsPath(app) + " (DATABASE_URL, never shown), then read-only " + ReadOnlyPsql.PROGRAM
                + " for the newest time in the migration-history tables (when psql is on PATH; awaited up to "
                + HISTORY_GRACE.toSeconds() + " s after the API's answers)";
        return new Sequence(title("ps"), List.of(new Action("ps " + app, plan, ctx -> show(env))),
                List.of("app: " + app + " (from " + env.source() + ")"));
    }

    private void show(Environment env) throws StepFailed, InterruptedException {
        String app = env.app();
        Fetched fetched = null;
        try {
            if (prefetched != null) {
                try {
                    fetched = prefetched.get();
                } catch (ExecutionException e) {
                    // an API failure is reported as such; anything else is retried on the plain path below
                    if (e.getCause() instanceof HerokuApiException api) throw api;
                    if (e.getCause() instanceof CompletionException c && c.getCause() instanceof HerokuApiException api) throw api;
                }
            }
            if (fetched == null) fetched = fetch(app);
        } catch (HerokuApiException e) {
            throw ApiFailures.of(e, env);
        }
        List<JsonNode> dynos = fetched.dynos();
        int current = fetched.current();
        List<JsonNode> selected = dynos;
        if (!types.isEmpty()) {
            selected = PsLayout.ofTypes(dynos, types);
            for (String t : types) {
                if (PsLayout.ofTypes(selected, List.of(t)).isEmpty()) throw new StepFailed(ExitCodes.FAILED, "No " + t + " dynos on " + app);
            }
        }
        selected = PsLayout.sortByName(selected);
        Optional<SchemaChange> schema = SchemaChanges.newest(new MigrationRecords(workspace.cacheDirectory()), app, fetched.history());
        var io = workspace.io();
        if (json) {
            io.out().print(PsLayout.json(selected, d -> stale(d, current, schema)));
        } else if (selected.isEmpty()) {
            io.out().println("No dynos on " + app);
        } else {
            io.out().print(PsLayout.render(selected, d -> PsLayout.suffix(d, stale(d, current, schema)), Instant.now(),
                    Ago.zone(io.env())));
        }
        io.out().flush();
        if (fetched.historyCut()) {
            io.err().println("parity: the database's migration history was not read within " + HISTORY_GRACE.toSeconds()
                    + " s of the API's answers, so these stale marks leave it out; `" + env.name() + " doctor` waits for it.");
        }
    }

    private static Optional<String> stale(JsonNode d, int current, Optional<SchemaChange> schema) {
        try {
            return StaleRules.reason(DynoView.of(d), current, schema);
        } catch (RuntimeException unparsable) {
            return Optional.empty();
        }
    }
}
