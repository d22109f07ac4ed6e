package dev.parity.run;

import dev.parity.env.Environment;
import dev.parity.heroku.ApiFailures;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * Restarts every dyno of an app and proves it: waits until every formation dyno is {@code up}
 * again with a boot after a given moment (and, for a deploy or a rollback, on a given release),
 * naming the crashed or late ones. {@code migrate}, {@code deploy} and the code rollback after a
 * failed migration share it.
 */
public final class DynoRestart {
    static final Duration POLL = Duration.ofSeconds(1);

    private final Platform platform;
    private final Environment env;
    private final Duration wait;
    private final PrintStream err;

    public DynoRestart(Platform platform, Environment env, Duration wait, PrintStream err) {
        this.platform = platform;
        this.env = env;
        this.wait = wait;
        this.err = err;
    }

    /** {@code DELETE /apps/APP/dynos}; {@code whenFailed}: the state things are in if it cannot be sent. */
    public void restartAll(String whenFailed) throws StepFailed, InterruptedException {
        try {
            platform.restartAll(env.app());
        } catch (HerokuApiException e) {
            throw ApiFailures.of("cannot restart the dynos of " + env.app() + ": ", e, env, whenFailed);
        }
    }

    /**
     * Waits until every formation dyno is up with a boot at or after {@code since}, on release
     * {@code release} (0: any), printing each dyno's changes; fails naming the dynos that are not.
     *
     * @param whenUnknown the state things are in if the dynos cannot be read
     */
    public String awaitUp(Instant since, int release, String failure, String whenUnknown) throws StepFailed, InterruptedException {
        RestartWatcher watcher = new RestartWatcher(since, release, line -> err.println("  " + line));
        RestartWatcher.Result r;
        try {
            r = watcher.await(() -> platform.dynos(env.app()), wait, POLL, RestartWatcher.Clock.SYSTEM);
        } catch (HerokuApiException e) {
            throw ApiFailures.of("cannot read the dynos of " + env.app() + " while waiting for them: ", e, env, whenUnknown);
        }
        if (!r.ok()) throw new StepFailed(ExitCodes.FAILED, failure + ": " + r.summary());
        err.println("parity: " + r.summary());
        return r.summary();
    }
}
