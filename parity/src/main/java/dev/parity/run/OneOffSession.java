package dev.parity.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.env.Environment;
import dev.parity.heroku.ApiFailures;
import dev.parity.heroku.HerokuApi;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import dev.parity.ui.Io;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLSocketFactory;

/**
 * One command in a one-off dyno, followed to its end: started at most once ({@link OneOffStart}:
 * the 409 retry, a lost answer looked up by the start's tag), attached over rendezvous (TLS set up
 * while the API starts the dyno), its output streamed, its exit status read from the
 * {@link ExitMarker}. {@code migrate} and {@code deploy} run their migration through this one class.
 */
public final class OneOffSession {

    /** The command ran and exited with a non-zero status: it did not do its work. */
    public static final class Exited extends StepFailed {
        Exited(int status, String message) {
            super(status, message);
        }
    }

    /** The API refused to start the dyno: nothing ran. */
    public static final class NotStarted extends StepFailed {
        NotStarted(StepFailed f) {
            super(f.exitCode(), f.getMessage());
        }
    }

    /** How the command ended: status 0, in dyno {@code dyno} of release {@code releaseVersion}, at {@code endedAt}. */
    public record Finished(String dyno, int releaseVersion, Instant endedAt) {}

    private final Environment env;
    private final String what;
    private final String tag;
    private final String sent;
    /** Set once the start is sent (a dyno may exist from then on), and the API it was sent through. */
    private volatile Platform sentThrough;

    /**
     * {@code what}: the command's name in messages ("the migration"); the command is sent wrapped
     * with the exit marker and tagged, so that a lost answer can be looked up.
     */
    public OneOffSession(Environment env, String command, String what) {
        this.env = env;
        this.what = what;
        this.tag = OneOffStart.newTag();
        this.sent = OneOffStart.tagged(ExitMarker.wrap(command), tag);
    }

    /** What {@code --dry-run} shows for the run; {@code afterFailure}: what a non-zero status stops. */
    public String plan(String apiTimeout, String afterFailure) {
        String app = env.app();
        return "POST " + Platform.dynosPath(app) + " {command: " + quoteJson(sent) + ", attach: true, env: {TERM: dumb}}; "
                + "never sent twice: a lost answer (5xx, dropped connection, none within " + apiTimeout + ") is "
                + "followed by GET " + Platform.dynosPath(app) + " to find the dyno tagged '" + tag + "', and no dyno "
                + "found is a failure; attach over rendezvous (TLS), stream the output, send EOF, exit with the "
                + "status from the exit marker (none: fail). Non-zero: " + afterFailure;
    }

    /**
     * Runs the command, its output to {@code io.out()}; returns when it exited 0.
     *
     * @param nothingElse what did not happen because it failed, for messages ("no dyno was restarted")
     * @throws Exited the command exited non-zero (the exit code is its status)
     * @throws NotStarted the API refused the dyno: nothing ran
     * @throws StepFailed the outcome is unknown (no exit status, no attach)
     */
    public Finished run(Platform platform, Io io, String nothingElse) throws StepFailed, InterruptedException {
        String app = env.app();
        // TLS set-up (classes, trust, a first handshake context) happens while the API starts the dyno
        CompletableFuture<SSLSocketFactory> tls = CompletableFuture.supplyAsync(() -> {
            try {
                SSLSocketFactory f = OneOffRun.socketFactory(io.env());
                f.createSocket().close(); // loads and initialises the TLS machinery
                return f;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        sentThrough = platform;
        JsonNode dyno = createDyno(platform, io.err(), nothingElse);
        String name = dyno.path("name").asText("the dyno");
        String attachUrl = dyno.path("attach_url").asText(null);
        if (attachUrl == null) {
            throw ApiFailures.of("the API started " + name + " without an attach_url: parity cannot follow " + what + "; "
                    + "check `heroku logs --app " + app + " --dyno-name " + name + "`; " + nothingElse);
        }
        PrintStream out = io.out();
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
            throw new StepFailed(ExitCodes.FAILED, e.getMessage() + " from " + name + ": the session ended without "
                    + what + "'s exit status, so whether it finished is unknown; check `heroku logs --app " + app
                    + " --dyno-name " + name + "`; " + nothingElse);
        } catch (IOException | IllegalArgumentException e) {
            // the API started the dyno: without its session parity cannot tell whether the command runs there
            throw new StepFailed(ExitCodes.FAILED, "cannot attach to " + name + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()) + "; whether " + what
                    + " runs in " + name + " is unknown: check `heroku ps --app " + app + "` and `heroku logs --app " + app
                    + " --dyno-name " + name + "`; " + nothingElse);
        }
        Instant ended = Instant.now();
        sentThrough = null; // its status came back: the command has ended, nothing of it runs on
        if (status != 0) throw new Exited(status, what + " exited with status " + status + "; " + nothingElse);
        return new Finished(name, dyno.path("release").path("version").asInt(0), ended);
    }

    /**
     * For the line an interrupted run prints: once the start was sent, the dyno carrying this run's
     * tag as the API lists it now. parity's leaving only hangs up on a dyno the API started (a
     * command that ignores the hang-up goes on), so while it is listed the command may still be running; else null (nothing was started).
     */
    public String interruptedState() {
        Platform platform = sentThrough;
        if (platform == null) return null;
        String app = env.app();
        String check = "check `heroku ps --app " + app + "`";
        try {
            for (JsonNode d : platform.dynosJson(app)) {
                if (!d.path("command").asText("").contains(tag)) continue;
                String name = d.path("name").asText("?");
                return what + "'s dyno " + name + " is " + d.path("state").asText("?") + " (read back from the API): parity's leaving "
                        + "only hangs up on it, so " + what + " may still be running; follow it with `heroku logs --tail --app " + app
                        + " --dyno-name " + name + "`";
            }
            return "no dyno of " + app + " carries " + what + "'s tag '" + tag + "' (read back from the API): it ended or never "
                    + "started; its output is in `heroku logs --app " + app + "`";
        } catch (HerokuApiException e) {
            return "whether " + what + "'s dyno still runs cannot be read (" + e.getMessage() + "): it may still be running; " + check;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return what + " may still be running in its dyno; " + check;
        }
    }

    private JsonNode createDyno(Platform platform, PrintStream err, String nothingElse) throws StepFailed, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", sent);
        body.put("attach", true);
        body.put("env", Map.of("TERM", "dumb"));
        String dynoName = what + " dyno";
        try {
            return new OneOffStart(platform, env.app(), Thread::sleep, note -> err.println("parity: " + note))
                    .start(body, tag, dynoName);
        } catch (HerokuApiException e) {
            String why = e.status() == 409 ? " (the release is not ready yet; nothing ran: try again in a moment)" : "";
            throw new NotStarted(ApiFailures.of("cannot start " + dynoName + ": ", new HerokuApiException(e.status(), e.id(),
                    e.getMessage() + why), env));
        } catch (OneOffStart.OutcomeUnknown e) {
            throw ApiFailures.of("cannot start " + dynoName + ": " + e.getMessage() + "; " + nothingElse);
        }
    }

    private static SSLSocketFactory tlsFactory(CompletableFuture<SSLSocketFactory> tls) throws IOException, InterruptedException {
        try {
            return tls.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            if (c instanceof IOException io) throw io;
            throw new IOException(c.getMessage(), c);
        }
    }

    private static String quoteJson(String s) {
        try {
            return HerokuApi.JSON.writeValueAsString(s).replace("\uFFFF", "\\uFFFF");
        } catch (IOException e) {
            return s;
        }
    }
}
