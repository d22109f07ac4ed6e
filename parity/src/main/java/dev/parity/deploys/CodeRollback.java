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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

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
            if (!e.outcomeUnknown()) {
                return "rolling back to " + target.label() + " failed (" + e.getMessage() + "): the new code still runs on the old schema; "
                        + "roll back with `heroku releases:rollback " + target.label() + " --app " + app + "`";
            }
            // the request went out and its answer was lost: what happened is read from the releases, never assumed (nor sent again)
            Optional<Release> readBack = madeAfterLostAnswer(target, e);
            if (readBack.isEmpty()) return lostAnswerState(target, e);
            made = readBack.get();
            err.println("parity: the rollback's answer was lost (" + e.getMessage() + "), but the releases show " + made.label()
                    + " (" + Printable.line(made.description()) + "): the rollback was made");
        }
        try {
            String up = new DynoRestart(platform, env, wait, err).awaitUp(since, made.version(),
                    "not every dyno came up on the rollback release " + made.label(), "");
            return "the code was rolled back to " + target.label() + " (as " + made.label() + "): " + up;
        } catch (StepFailed f) {
            return "the code was rolled back to " + target.label() + " (as " + made.label() + "), but " + f.getMessage();
        }
    }

    /** The rollback's release when the releases show one after the lost answer; empty when they do not (or cannot be read). */
    private Optional<Release> madeAfterLostAnswer(Release target, HerokuApiException lost) throws InterruptedException {
        try {
            String description = "Rollback to " + target.label();
            return platform.releases(env.app(), Platform.RECENT_RELEASES).stream()
                    .filter(r -> r.version() > target.version() && r.description().startsWith(description))
                    .max(Comparator.comparingInt(Release::version));
        } catch (HerokuApiException e) {
            return Optional.empty();
        }
    }

    /** What the API shows after a lost answer that made no rollback release: the live release, read back. */
    private String lostAnswerState(Release target, HerokuApiException lost) throws InterruptedException {
        String app = env.app();
        String again = "; check `heroku releases --app " + app + "` before rolling back with `heroku releases:rollback " + target.label()
                + " --app " + app + "`";
        try {
            List<Release> releases = platform.releases(app, Platform.RECENT_RELEASES);
            String live = Release.current(releases).map(r -> r.label() + " is the live release").orElse("the API shows no live release");
            return "the answer to rolling back to " + target.label() + " was lost (" + lost.getMessage() + ") and the releases show no '"
                    + "Rollback to " + target.label() + "': the rollback was not made; " + live + " (read back from the API)" + again;
        } catch (HerokuApiException e) {
            return "the answer to rolling back to " + target.label() + " was lost (" + lost.getMessage() + ") and the releases cannot be read ("
                    + e.getMessage() + "): whether the code was rolled back is unknown" + again;
        }
    }
}
