package dev.parity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.env.Environment;
import dev.parity.heroku.HerokuApi;
import dev.parity.heroku.HerokuApiException;
import dev.parity.run.ExitMarker;
import dev.parity.run.OneOffRun;
import dev.parity.run.RestartWatcher;
import dev.parity.stale.DynoView;
import dev.parity.stale.MigrationRecords;
import dev.parity.steps.Action;
import dev.parity.steps.Sequence;
import dev.parity.steps.Step;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the migration in a one-off dyno (Platform API + rendezvous, no heroku CLI) and, only if it
 * succeeded, restarts every dyno and waits until each is up again with a boot time after the
 * migration's end, so no dyno keeps serving with the old schema cached ("stuck dynos").
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run the migration in a one-off dyno, then, if and only if it succeeded, restart every dyno "
                + "and wait until each is up again after the migration.")
final class Migrate extends Verb {
    static final int CREATE_ATTEMPTS = 3; // a 409 (release not ready) is retried twice, as the CLI does
    static final Duration POLL = Duration.ofSeconds(1);
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    @Option(names = "--no-restart", description = "Migrate only; leave the dynos running.")
    boolean noRestart;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long to wait for every dyno to be up again after the restart (90s, 5m; default ${DEFAULT-VALUE}).")
    String waitText;

    /** What the migration step leaves for the next ones. */
    private Instant finishedAt;

    @Override
    protected Sequence sequence() throws InterruptedException {
        Duration wait = parseDuration(waitText);
        Environment env = remoteEnvironment("migrate");
        String app = env.app();
        Commands.Chosen migrate = Commands.migrate(workspace);
        String sent = ExitMarker.wrap(migrate.command());
        List<Step> steps = new ArrayList<>();
        steps.add(new Action("run migration on " + app,
                "POST /apps/" + app + "/dynos {command: " + quoteJson(sent) + ", attach: true, env: {TERM: dumb}}; "
                        + "attach over rendezvous (TLS), stream the output, send EOF, exit with the status from the "
                        + "exit marker (none: fail). Non-zero: stop here, restart nothing",
                ctx -> runMigration(ctx, app, sent)));
        if (!noRestart) {
            steps.add(new Action("restart every dyno of " + app, "DELETE /apps/" + app + "/dynos",
                    ctx -> restart(app)));
            steps.add(new Action("wait for every dyno of " + app + " to be up after the migration",
                    "poll GET /apps/" + app + "/dynos until every formation dyno is up with updated_at at or after "
                            + "the migration's end (timeout " + waitText + "; a crashed dyno fails)",
                    ctx -> await(ctx, app, wait)));
        }
        return new Sequence(title("migrate"), steps, List.of("app: " + app + " (from " + env.source() + ")",
                "migrate command: " + migrate.command() + " (" + migrate.source() + ")"));
    }

    private void runMigration(StepContext ctx, String app, String command) throws StepFailed, InterruptedException {
        HerokuApi api = api();
        // TLS set-up (classes, trust, a first handshake context) happens while the API starts the dyno
        java.util.concurrent.CompletableFuture<javax.net.ssl.SSLSocketFactory> tls =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        javax.net.ssl.SSLSocketFactory f = OneOffRun.socketFactory(ctx.io().env());
                        f.createSocket().close(); // loads and initialises the TLS machinery
                        return f;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        JsonNode dyno = createDyno(ctx, api, app, command);
        String attachUrl = dyno.path("attach_url").asText(null);
        if (attachUrl == null) throw new StepFailed(ExitCodes.FAILED, "the API started " + dyno.path("name").asText("a dyno") + " without an attach_url");
        PrintStream out = ctx.io().out();
        int status;
        try {
            status = new OneOffRun(tlsFactory(tls)).attach(attachUrl, new OutputStream() {
                @Override
                public void write(int b) {
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    out.write(b, off, len);
                }

                @Override
                public void flush() {
                    out.flush();
                }
            });
        } catch (OneOffRun.NoExitCode e) {
            throw new StepFailed(ExitCodes.FAILED, e.getMessage() + " from " + dyno.path("name").asText("the dyno")
                    + " (the session ended without its exit status); no dyno was restarted");
        } catch (IOException | IllegalArgumentException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot attach to " + dyno.path("name").asText("the dyno") + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        finishedAt = Instant.now();
        if (status != 0) {
            throw new StepFailed(status, "the migration exited with status " + status + "; no dyno was restarted");
        }
        try {
            new MigrationRecords(workspace.cacheDirectory()).record(app, finishedAt, dyno.path("release").path("version").asInt(0));
        } catch (IOException e) {
            ctx.io().err().println("parity: warning: cannot record the migration in " + workspace.cacheDirectory() + ": " + e.getMessage());
        }
    }

    private static javax.net.ssl.SSLSocketFactory tlsFactory(
            java.util.concurrent.CompletableFuture<javax.net.ssl.SSLSocketFactory> tls) throws IOException, InterruptedException {
        try {
            return tls.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
            if (c instanceof IOException io) throw io;
            throw new IOException(c.getMessage(), c);
        }
    }

    private JsonNode createDyno(StepContext ctx, HerokuApi api, String app, String command) throws StepFailed, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", command);
        body.put("attach", true);
        body.put("env", Map.of("TERM", "dumb"));
        for (int attempt = 1; ; attempt++) {
            try {
                return api.post("/apps/" + app + "/dynos", body);
            } catch (HerokuApiException e) {
                if (e.status() == 409 && attempt < CREATE_ATTEMPTS) {
                    ctx.io().err().println("parity: the release is not ready yet (409); trying again");
                    Thread.sleep(1000);
                    continue;
                }
                throw new StepFailed(ExitCodes.API, "cannot start the migration dyno: " + e.getMessage());
            }
        }
    }

    private void restart(String app) throws StepFailed, InterruptedException {
        try {
            api().delete("/apps/" + app + "/dynos");
        } catch (HerokuApiException e) {
            throw new StepFailed(ExitCodes.API, "cannot restart the dynos: " + e.getMessage());
        }
    }

    private void await(StepContext ctx, String app, Duration wait) throws StepFailed, InterruptedException {
        PrintStream err = ctx.io().err();
        HerokuApi api = api();
        RestartWatcher watcher = new RestartWatcher(finishedAt, line -> err.println("  " + line));
        RestartWatcher.Result r;
        try {
            r = watcher.await(() -> {
                List<DynoView> dynos = new ArrayList<>();
                for (JsonNode d : api.list("/apps/" + app + "/dynos", null)) dynos.add(DynoView.of(d));
                return dynos;
            }, wait, POLL, RestartWatcher.Clock.SYSTEM);
        } catch (HerokuApiException e) {
            throw new StepFailed(ExitCodes.API, "cannot read the dynos: " + e.getMessage());
        }
        if (!r.ok()) throw new StepFailed(ExitCodes.FAILED, "not every dyno came back after the migration: " + r.summary());
        err.println("parity: " + r.summary());
    }

    private HerokuApi api() throws StepFailed {
        try {
            return workspace.api();
        } catch (HerokuApiException e) {
            throw new StepFailed(ExitCodes.API, e.getMessage());
        }
    }

    /** {@code 90s}, {@code 5m}, {@code 1h}, {@code 500ms}; a bare number is seconds. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.strip());
        if (!m.matches()) throw new UsageError("--wait must be a duration such as 90s or 5m, not '" + text + "'");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static String quoteJson(String s) {
        try {
            return HerokuApi.JSON.writeValueAsString(s).replace("\uFFFF", "\\uFFFF");
        } catch (IOException e) {
            return s;
        }
    }
}
