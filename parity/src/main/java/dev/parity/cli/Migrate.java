package dev.parity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.env.Environment;
import dev.parity.heroku.ApiFailures;
import dev.parity.heroku.HerokuApi;
import dev.parity.heroku.HerokuApiException;
import dev.parity.run.ExitMarker;
import dev.parity.run.OneOffRun;
import dev.parity.run.OneOffStart;
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
        String tag = OneOffStart.newTag();
        String sent = OneOffStart.tagged(ExitMarker.wrap(migrate.command()), tag);
        List<Step> steps = new ArrayList<>();
        steps.add(new Action("run migration on " + app,
                "POST /apps/" + app + "/dynos {command: " + quoteJson(sent) + ", attach: true, env: {TERM: dumb}}; "
                        + "never sent twice: a lost answer (5xx, dropped connection, none within " + apiTimeout() + ") is "
                        + "followed by GET /apps/" + app + "/dynos to find the dyno tagged '" + tag + "', and no dyno "
                        + "found is a failure; attach over rendezvous (TLS), stream the output, send EOF, exit with the "
                        + "status from the exit marker (none: fail). Non-zero: stop here, restart nothing",
                ctx -> runMigration(ctx, env, sent, tag)));
        if (!noRestart) {
            steps.add(new Action("restart every dyno of " + app, "DELETE /apps/" + app + "/dynos",
                    ctx -> restart(env)));
            steps.add(new Action("wait for every dyno of " + app + " to be up after the migration",
                    "poll GET /apps/" + app + "/dynos until every formation dyno is up with updated_at at or after "
                            + "the migration's end (timeout " + waitText + "; a crashed dyno fails)",
                    ctx -> await(ctx, env, wait)));
        }
        return new Sequence(title("migrate"), steps, List.of("app: " + app + " (from " + env.source() + ")",
                "migrate command: " + migrate.command() + " (" + migrate.source() + ")"));
    }

    private void runMigration(StepContext ctx, Environment env, String command, String tag) throws StepFailed, InterruptedException {
        String app = env.app();
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
        JsonNode dyno = createDyno(ctx, api, env, command, tag);
        String name = dyno.path("name").asText("the dyno");
        String attachUrl = dyno.path("attach_url").asText(null);
        if (attachUrl == null) {
            throw ApiFailures.of("the API started " + name + " without an attach_url: parity cannot follow the migration; "
                    + "check `heroku logs --app " + app + " --dyno-name " + name + "`; no dyno was restarted");
        }
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
            throw new StepFailed(ExitCodes.FAILED, e.getMessage() + " from " + name + ": the session ended without the "
                    + "migration's exit status, so whether it finished is unknown; check `heroku logs --app " + app
                    + " --dyno-name " + name + "`; no dyno was restarted");
        } catch (IOException | IllegalArgumentException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot attach to " + name + ": "
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

    private JsonNode createDyno(StepContext ctx, HerokuApi api, Environment env, String command, String tag)
            throws StepFailed, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", command);
        body.put("attach", true);
        body.put("env", Map.of("TERM", "dumb"));
        PrintStream err = ctx.io().err();
        try {
            return new OneOffStart(api, env.app(), Thread::sleep, note -> err.println("parity: " + note))
                    .start(body, tag, "the migration dyno");
        } catch (HerokuApiException e) {
            String why = e.status() == 409 ? " (the release is not ready yet; nothing ran: try again in a moment)" : "";
            throw ApiFailures.of("cannot start the migration dyno: ", new HerokuApiException(e.status(), e.id(),
                    e.getMessage() + why), env);
        } catch (OneOffStart.OutcomeUnknown e) {
            throw ApiFailures.of("cannot start the migration dyno: " + e.getMessage() + "; no dyno was restarted");
        }
    }

    private void restart(Environment env) throws StepFailed, InterruptedException {
        try {
            api().delete("/apps/" + env.app() + "/dynos");
        } catch (HerokuApiException e) {
            throw ApiFailures.of("cannot restart the dynos of " + env.app() + ": ", e, env,
                    "; the migration succeeded, but every dyno still runs as it booted before it: run `"
                            + title("restart") + "` once the API answers");
        }
    }

    private void await(StepContext ctx, Environment env, Duration wait) throws StepFailed, InterruptedException {
        String app = env.app();
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
            throw ApiFailures.of("cannot read the dynos of " + app + " while waiting for them: ", e, env,
                    "; the migration succeeded and the restart was sent, but whether every dyno came back is unknown: "
                            + "check with `" + title("ps") + "`");
        }
        if (!r.ok()) throw new StepFailed(ExitCodes.FAILED, "not every dyno came back after the migration: " + r.summary());
        err.println("parity: " + r.summary());
    }

    /** The API timeout as the plan names it: {@code 30 s}, or what {@code PARITY_API_TIMEOUT} sets. */
    private String apiTimeout() {
        try {
            return HerokuApi.readTimeout(workspace.io().env()).toSeconds() + " s";
        } catch (HerokuApiException e) {
            return "PARITY_API_TIMEOUT"; // refused with its own message when the API is used
        }
    }

    private HerokuApi api() throws StepFailed {
        try {
            return workspace.api();
        } catch (HerokuApiException e) {
            throw ApiFailures.of(e.getMessage());
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
