package dev.parity.deploys;

import dev.parity.env.Environment;
import dev.parity.heroku.ApiFailures;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.heroku.Release;
import dev.parity.run.RestartWatcher;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Follows what a push made: finds the new release (newer than the one live before the push) and,
 * with a release phase, waits until it has {@code succeeded} or {@code failed}. A failed release
 * is a failed deploy: its output's last lines are shown, and which release still runs is read
 * back from the API, never assumed.
 */
public final class ReleaseFollower {
    static final Duration POLL = Duration.ofSeconds(1);
    /** How many of a failed release command's last lines are shown (git push showed the rest as it ran). */
    static final int LAST_LINES = 20;

    private final Platform platform;
    private final Environment env;
    private final Duration wait;
    private final PrintStream err;
    private final RestartWatcher.Clock clock;

    public ReleaseFollower(Platform platform, Environment env, Duration wait, PrintStream err, RestartWatcher.Clock clock) {
        this.platform = platform;
        this.env = env;
        this.wait = wait;
        this.err = err;
        this.clock = clock;
    }

    /**
     * The release the push of {@code pushed} made: the newest with a version above {@code before}.
     * When a newer release says it deploys another commit ({@code Deploy <sha7>}), someone else
     * deployed after this push: which code runs is not this push's, and the deploy stops there.
     */
    public Release awaitNew(int before, String pushed) throws StepFailed, InterruptedException {
        long deadline = clock.nanoTime() + wait.toNanos();
        while (true) {
            List<Release> recent = read(() -> platform.releases(env.app(), Platform.RECENT_RELEASES));
            Optional<Release> fresh = recent.stream().filter(r -> r.version() > before).findFirst();
            Optional<Release> mine = recent.stream().filter(r -> r.version() > before)
                    .filter(r -> r.describedCommit().filter(pushed::startsWith).isPresent()).findFirst();
            Optional<Release> other = recent.stream().filter(r -> r.version() > before)
                    .filter(r -> r.describedCommit().filter(c -> !pushed.startsWith(c)).isPresent())
                    .filter(r -> mine.isEmpty() || r.version() > mine.get().version()).findFirst();
            if (other.isPresent()) {
                Release o = other.get();
                throw new StepFailed(ExitCodes.FAILED, o.label() + " (" + Printable.line(o.description()) + ") was made "
                        + mine.map(m -> "after this push's " + m.label()).orElse("after parity read v" + before + " as live")
                        + ": someone else deployed " + env.app() + " meanwhile, so parity stops here and migrates nothing; see "
                        + "`heroku releases --app " + env.app() + "`");
            }
            if (fresh.isPresent()) return mine.orElse(fresh.get());
            if (clock.nanoTime() >= deadline) {
                throw new StepFailed(ExitCodes.FAILED, "the push finished but no release newer than v" + before + " appeared within "
                        + wait.toSeconds() + " s; check `heroku releases --app " + env.app() + "` (v" + before + " was live before the push)");
            }
            clock.sleep(POLL.toMillis());
        }
    }

    /** Waits until the release phase of {@code release} has ended; fails the deploy when it failed. */
    public Release awaitOutcome(Release release) throws StepFailed, InterruptedException {
        long deadline = clock.nanoTime() + wait.toNanos();
        Release r = release;
        while (r.pending()) {
            if (clock.nanoTime() >= deadline) {
                throw new StepFailed(ExitCodes.FAILED, r.label() + "'s release phase is still running after " + wait.toSeconds()
                        + " s; follow it with `heroku releases:output " + r.label() + " --app " + env.app() + "`");
            }
            clock.sleep(POLL.toMillis());
            String id = r.id();
            r = read(() -> platform.release(env.app(), id));
        }
        if (r.succeeded()) {
            err.println("parity: " + r.label() + "'s release phase succeeded");
            return r;
        }
        Release failed = r;
        List<String> last = ReleaseOutput.lastLines(failed, LAST_LINES);
        if (!last.isEmpty()) {
            err.println("parity: the last lines of " + failed.label() + "'s release command:");
            last.forEach(l -> err.println("  " + Printable.line(l)));
        }
        Optional<Release> live = read(() -> platform.currentRelease(env.app()));
        String still = live.map(l -> l.label() + " still runs (the API's current release)")
                .orElse("the API shows no live release");
        throw new StepFailed(ExitCodes.RELEASE_FAILED, failed.label() + "'s release phase " + failed.status() + ": " + still
                + "; the new code is not running (full output: heroku releases:output " + failed.label() + " --app " + env.app() + ")");
    }

    @FunctionalInterface
    private interface Read<T> {
        T get() throws InterruptedException;
    }

    private <T> T read(Read<T> read) throws StepFailed, InterruptedException {
        try {
            return read.get();
        } catch (HerokuApiException e) {
            throw ApiFailures.of("cannot read the releases of " + env.app() + ": ", e, env,
                    "; the push went through, but how its release ended is unknown: check `heroku releases --app " + env.app() + "`");
        }
    }
}
