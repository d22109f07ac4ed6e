package dev.parity.scrub;

import dev.parity.steps.Action;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.Step;
import dev.parity.steps.StepFailed;
import java.util.List;
import java.util.function.Supplier;

/**
 * The restore step that scrubs the temporary database after it is verified and before it is
 * swapped in. With rules it fails closed: a rule for a missing table or column, or a
 * personal-looking column no rule covers, stops the restore here (the temporary database is then
 * dropped, the development database untouched). Without rules it only counts what arrived unscrubbed.
 */
public final class ScrubStep {
    private ScrubStep() {
    }

    /** {@code sql} runs on the temporary database {@code temporary}; {@code truth} says what the development database is now. */
    public static Step of(ScrubRules rules, String temporary, Scrubber.Sql sql, Supplier<String> truth) {
        if (!rules.present()) {
            return new Action("count personal-looking columns", "look for columns named like personal data (email, phone, *_name, …) in "
                    + temporary + " (no scrub: section in .parity.yml, so nothing is scrubbed)", ctx -> {
                long n = call(() -> Scrubber.unscrubbed(sql));
                if (n > 0) {
                    ctx.io().progress("parity: " + n + " personal-looking column" + (n == 1 ? "" : "s") + " arrived unscrubbed;"
                            + " a scrub: section in .parity.yml scrubs them before the swap (see the README)");
                }
            });
        }
        List<String> lines = rules.describeLines();
        String plan = "check the scrub rules against " + temporary + " (every personal-looking column needs a rule), then in one transaction, "
                + "one UPDATE per table: " + (lines.isEmpty() ? "(no rules)" : String.join("; ", lines));
        return new Action("scrub " + temporary, plan, ctx -> {
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
        });
    }

    private interface Call<T> {
        T get() throws Exception;
    }

    private static <T> T call(Call<T> c) throws StepFailed, InterruptedException {
        try {
            return c.get();
        } catch (StepFailed | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new StepFailed(ExitCodes.FAILED, e.getMessage());
        }
    }
}
