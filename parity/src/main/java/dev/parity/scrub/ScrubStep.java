package dev.parity.scrub;

import dev.parity.steps.Action;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.Step;
import dev.parity.steps.StepFailed;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The restore step that scrubs the temporary database after it is verified and before it is
 * swapped in. With rules it fails closed: a rule for a missing table or column, or a
 * personal-looking column no rule covers, stops the restore here (the temporary database is then
 * dropped, the development database untouched). Without a scrub: section there is no such step.
 */
public final class ScrubStep {
    private ScrubStep() {
    }

    /** {@code sql} runs on the temporary database {@code temporary}; {@code truth} says what the development database is now. */
    public static Optional<Step> of(ScrubRules rules, String temporary, Scrubber.Sql sql, Supplier<String> truth) {
        if (!rules.present()) return Optional.empty(); // nothing to scrub: the restore keeps its plan
        List<String> lines = rules.describeLines();
        String plan = "check the scrub rules against " + temporary + " (every personal-looking column needs a rule), then in one transaction, "
                + "one UPDATE per table: " + (lines.isEmpty() ? "(no rules)" : String.join("; ", lines));
        return Optional.of(new Action("scrub " + temporary, plan, ctx -> {
            List<Scrubber.Touched> touched;
            try {
                touched = new Scrubber(rules).scrub(sql);
            } catch (Scrubber.Mismatch e) {
                throw new StepFailed(e.unknownNames() ? ExitCodes.USAGE : ExitCodes.REFUSED, e.getMessage()
                        + "\nstopped before the swap: " + truth.get());
            } catch (StepFailed | InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new StepFailed(ExitCodes.FAILED, e.getMessage());
            }
            for (Scrubber.Touched t : touched) {
                ctx.io().progress("parity: scrubbed " + t.table() + ": " + t.rows() + " row" + (t.rows() == 1 ? "" : "s") + " (" + t.what() + ")");
            }
        }));
    }

    /**
     * The step that scrubs an app's database right after a restore into it ({@code label}: the
     * target, e.g. "staging (shop-staging)"). The data is in the app unscrubbed until this ends, so
     * a failure says that plainly; {@code afterFailure} says what happens next (the app's backup
     * from before the restore put back, or what to run). {@code sql} is asked for its connection
     * only when the step runs. {@code done} runs once the scrub committed.
     */
    public static Optional<Step> inApp(ScrubRules rules, String label, Supplier<Scrubber.Sql> sql, Supplier<String> afterFailure, Runnable done) {
        if (!rules.present()) return Optional.empty();
        List<String> lines = rules.describeLines();
        String plan = "read DATABASE_URL from the app's config vars (never shown) and, with psql, check the scrub rules against " + label
                + "'s restored database (every personal-looking column needs a rule), then in one transaction (no superuser needed:"
                + " foreign keys on scrubbed columns are dropped and re-created, which checks them again; the updated tables' indexes"
                + " that nothing else needs are built again after the updates), one UPDATE per table: "
                + (lines.isEmpty() ? "(no rules)" : String.join("; ", lines))
                + ". The data passes through Heroku unscrubbed: it is restored into " + label + " first, then scrubbed there";
        return Optional.of(new Action("scrub " + label, plan, ctx -> {
            String unscrubbed = label + " holds the restored data unscrubbed (it was restored there first)";
            List<Scrubber.Touched> touched;
            try {
                touched = new Scrubber(rules).scrub(sql.get());
            } catch (Scrubber.Mismatch e) {
                throw new StepFailed(e.unknownNames() ? ExitCodes.USAGE : ExitCodes.REFUSED, e.getMessage()
                        + "\nnothing was scrubbed: " + unscrubbed + "; " + afterFailure.get());
            } catch (StepFailed e) {
                throw new StepFailed(e.exitCode(), e.getMessage() + "\nnothing was scrubbed: " + unscrubbed + "; " + afterFailure.get());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new StepFailed(ExitCodes.FAILED, e.getMessage() + "\nnothing was scrubbed (its transaction was rolled back): "
                        + unscrubbed + "; " + afterFailure.get());
            }
            for (Scrubber.Touched t : touched) {
                ctx.io().progress("parity: scrubbed " + t.table() + ": " + t.rows() + " row" + (t.rows() == 1 ? "" : "s") + " (" + t.what() + ")");
            }
            done.run();
            ctx.io().progress("parity: " + label + " is scrubbed; the data passed through Heroku unscrubbed (it was restored into "
                    + label + " first, then scrubbed there)");
        }));
    }
}
