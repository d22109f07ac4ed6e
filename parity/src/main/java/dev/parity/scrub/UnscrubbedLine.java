package dev.parity.scrub;

import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import java.util.List;
import java.util.Map;

/**
 * The line a restore into development without a {@code scrub:} section ends with: how many
 * personal-looking columns the restored database holds, read from it, and the command that writes
 * rules for them. The verify step counts them, before the swap, and the swap step says it at
 * the end, so it is no step of its own; columns that cannot be read fail the verify step.
 */
public final class UnscrubbedLine {
    private UnscrubbedLine() {
    }

    /** {@code sql} runs on the restored database; {@code rules} is the absent section (its personal: list, if any, counts too). */
    public static String count(ScrubRules rules, Scrubber.Sql sql) throws StepFailed, InterruptedException {
        Map<String, List<String>> tables;
        try {
            tables = Scrubber.columns(sql);
        } catch (StepFailed | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot read the columns of the restored database: " + e.getMessage());
        }
        return line(Coverage.of(rules, tables, "the restored database"));
    }

    static String line(Coverage coverage) {
        long n = coverage.uncoveredCount();
        long tables = coverage.uncovered().size();
        if (n == 0) return "no column of the restored database looks personal by its name (email, phone, *_name, …); nothing was scrubbed";
        return n + " personal-looking column" + (n == 1 ? "" : "s") + " (in " + tables + " table" + (tables == 1 ? "" : "s")
                + ") arrived unscrubbed; `parity scrub init` writes a starting scrub: section for them";
    }
}
