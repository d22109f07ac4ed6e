package dev.parity.deploys;

import dev.parity.env.Environment;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.heroku.Release;
import dev.parity.run.DynoRestart;
import dev.parity.steps.StepFailed;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * After a failed migration: the code goes back to the release that ran before the push (its code
 * matches the schema a failed, transactional migration left), as {@code heroku releases:rollback}
 * does, and every dyno is proven up on the release that makes.
 */
public final class CodeRollback {
    private final Platform platform;
    private final Environment env;
    private final Duration wait;
    private final PrintStream err;

    public CodeRollback(Platform platform, Environment env, Duration wait, PrintStream err) {
        this.platform = platform;
        this.env = env;
        this.wait = wait;
        this.err = err;
    }

    /** Rolls back to {@code target}; returns what is true afterwards, in one clause, or throws saying what is not. */
    public String rollBackTo(Release target) throws InterruptedException {
        String app = env.app();
        err.println("parity: rolling the code back to " + target.label() + " (the release that ran before the push)");
        Instant since = Instant.now();
        Release made;
        try {
            made = platform.rollback(app, target);
        } catch (HerokuApiException e) {
            return "rolling back to " + target.label() + " failed (" + e.getMessage() + "): the new code still runs on the old schema; "
                    + "roll back with `heroku releases:rollback " + target.label() + " --app " + app + "`";
        }
        try {
            String up = new DynoRestart(platform, env, wait, err).awaitUp(since, made.version(),
                    "not every dyno came up on the rollback release " + made.label(), "");
            return "the code was rolled back to " + target.label() + " (as " + made.label() + "): " + up;
        } catch (StepFailed f) {
            return "the code was rolled back to " + target.label() + " (as " + made.label() + "), but " + f.getMessage();
        }
    }
}
