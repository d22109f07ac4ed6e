package dev.parity.deploys;

import dev.parity.env.Environment;
import dev.parity.heroku.Platform;
import dev.parity.run.DynoRestart;
import dev.parity.run.OneOffSession;
import dev.parity.stale.MigrationRecords;
import dev.parity.steps.Action;
import dev.parity.steps.Step;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * The migration as {@code migrate} and {@code deploy} both run it: the command in a one-off dyno,
 * its exit status kept; only if it succeeded, every dyno restarted and proven up after its end, so
 * no dyno keeps serving with the old schema cached ("stuck dynos").
 */
public final class MigrationSteps {

    /** What follows a migration that failed or never started (a deploy rolls its code back); returns what is true then. */
    @FunctionalInterface
    public interface AfterFailure {
        String after(StepContext ctx, StepFailed failure) throws InterruptedException;
    }

    /** How the verb names its neighbours in messages: {@code production restart}, {@code production ps}. */
    public record Hints(String restart, String ps) {}

    private final ApiAccess api;
    private final Environment env;
    private final Duration wait;
    private final String waitText;
    private final Path cacheDirectory;
    private final Hints hints;
    private final OneOffSession session;
    /** What else an interrupted run says (the live release, maintenance mode), before or after the migration's dyno. */
    private volatile java.util.function.Supplier<String> alsoSay = () -> null;
    /** When the migration ended: the dynos must have booted after it. */
    private Instant finishedAt;

    public MigrationSteps(ApiAccess api, Environment env, String command, Duration wait, String waitText, Path cacheDirectory, Hints hints) {
        this.api = api;
        this.env = env;
        this.wait = wait;
        this.waitText = waitText;
        this.cacheDirectory = cacheDirectory;
        this.hints = hints;
        this.session = new OneOffSession(env, command, "the migration");
    }

    /** Runs the migration; {@code afterFailure} (may be null) runs when it failed or never started, before the step fails. */
    public Step run(String apiTimeout, String onFailurePlan, AfterFailure afterFailure) {
        String app = env.app();
        return new Action("run migration on " + app, session.plan(apiTimeout, onFailurePlan), ctx -> {
            // from here on an interrupted run names the migration's dyno as the API lists it: parity's leaving does not stop it
            ctx.onInterruptSay(this::interruptedState);
            OneOffSession.Finished done;
            try {
                done = session.run(api.platform(), ctx.io(), "no dyno was restarted");
            } catch (OneOffSession.Exited | OneOffSession.NotStarted f) {
                if (afterFailure == null || ctx.interrupted()) throw f;
                throw new StepFailed(f.exitCode(), f.getMessage() + "; " + afterFailure.after(ctx, f));
            } catch (StepFailed unknown) {
                // whether the migration ran is unknown: rolling the code back could put old code on a migrated schema
                if (afterFailure == null || ctx.interrupted()) throw unknown;
                throw new StepFailed(unknown.exitCode(), unknown.getMessage() + "; the code is not rolled back, as whether the migration "
                        + "ran is unknown");
            }
            finishedAt = done.endedAt();
            try {
                new MigrationRecords(cacheDirectory).record(app, finishedAt, done.releaseVersion());
            } catch (IOException e) {
                ctx.io().err().println("parity: warning: cannot record the migration in " + cacheDirectory + ": " + e.getMessage());
            }
        });
    }

    /** What the verb's interrupted line says besides the migration's dyno (null: nothing); set before the steps run. */
    public void alsoSay(java.util.function.Supplier<String> other) {
        alsoSay = other;
    }

    /** The interrupted line's state: the migration's dyno as the API lists it (from the start until its status came back), then the verb's. */
    public String interruptedState() {
        String other = alsoSay.get();
        String dyno = session.interruptedState();
        if (other == null) return dyno;
        return dyno == null ? other : dyno + "; " + other;
    }

    public Step restart() {
        String app = env.app();
        return new Action("restart every dyno of " + app, "DELETE " + Platform.dynosPath(app) + "",
                ctx -> dynos(ctx).restartAll("; the migration succeeded, but every dyno still runs as it booted before it: run `"
                        + hints.restart() + "` once the API answers"));
    }

    /** Waits for every dyno to be up after the migration, on {@code release} (0: any; read when the step runs). */
    public Step await(String onRelease, IntSupplier release) {
        String app = env.app();
        return new Action("wait for every dyno of " + app + " to be up after the migration" + onRelease,
                "poll GET " + Platform.dynosPath(app) + " until every formation dyno is up with updated_at at or after "
                        + "the migration's end" + onRelease + " (timeout " + waitText + "; a crashed dyno fails)",
                ctx -> dynos(ctx).awaitUp(finishedAt, release.getAsInt(), "not every dyno came back after the migration",
                        "; the migration succeeded and the restart was sent, but whether every dyno came back is unknown: "
                                + "check with `" + hints.ps() + "`"));
    }

    private DynoRestart dynos(StepContext ctx) throws StepFailed {
        return new DynoRestart(api.platform(), env, wait, ctx.io().err());
    }
}
