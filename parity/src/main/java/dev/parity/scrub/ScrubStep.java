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
}
