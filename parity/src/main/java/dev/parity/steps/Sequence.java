package dev.parity.steps;

import dev.parity.process.ProgramNotFound;
import java.io.PrintStream;
import java.util.List;

/**
 * Runs steps in order and stops at the first that fails; with {@code dryRun} only prints them.
 * The exit code is the failing step's; the message names that step and the ones that did not run.
 */
public final class Sequence {
    private final String title;
    private final List<Step> steps;
    private final List<String> notes;

    public Sequence(String title, List<Step> steps) {
        this(title, steps, List.of());
    }

    /** {@code notes} say what the plan was based on (what was detected, where the app came from). */
    public Sequence(String title, List<Step> steps, List<String> notes) {
        this.title = title;
        this.steps = List.copyOf(steps);
        this.notes = List.copyOf(notes);
    }

    public List<Step> steps() {
        return steps;
    }

    public List<String> notes() {
        return notes;
    }

    public int execute(StepContext context, boolean dryRun) throws InterruptedException {
        if (dryRun) {
            printPlan(context.io().out());
            return 0;
        }
        PrintStream err = context.io().err();
        // Ctrl-C or SIGTERM: still take back what the steps started and remove what they left
        // (a downloaded production dump), then say so in one line.
        String[] where = {"before step 1/" + steps.size() + " '" + steps.get(0).name() + "'"};
        Interruption.started(context, () -> where[0], err);
        try {
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                String which = "step " + (i + 1) + "/" + steps.size() + " '" + step.name() + "'";
                where[0] = "before " + which;
                context.pauseAt("step:" + (i + 1));
                if (Interruption.interrupted()) return ExitCodes.INTERRUPTED; // no step starts while parity is ending
                where[0] = "during " + which;
                if (steps.size() > 1) err.println("parity: [" + (i + 1) + "/" + steps.size() + "] " + step.name());
                try {
                    step.run(context);
                } catch (StepFailed f) {
                    if (context.interrupted()) return ExitCodes.INTERRUPTED; // failed because of the interrupt: the hook says what is true
                    reportFailure(err, i, f.getMessage());
                    return f.exitCode();
                } catch (ProgramNotFound e) {
                    reportFailure(err, i, e.program() + " is not installed or not on PATH. " + Installs.hint(e.program()));
                    return ExitCodes.NOT_FOUND;
                }
            }
            where[0] = "after the last step";
            context.pauseAt("end");
            return 0;
        } finally {
            context.cleanUp();
            Interruption.ended(context);
        }
    }

    private void reportFailure(PrintStream err, int index, String message) {
        if (Interruption.interrupted()) return; // the step failed because a signal ended its program: that line says it
        err.println("parity: step " + (index + 1) + "/" + steps.size() + " '" + steps.get(index).name()
                + "' failed: " + message);
        if (index + 1 < steps.size()) {
            StringBuilder skipped = new StringBuilder();
            for (int j = index + 1; j < steps.size(); j++) {
                if (skipped.length() > 0) skipped.append(", ");
                skipped.append(steps.get(j).name());
            }
            err.println("parity: not run: " + skipped);
        }
    }

    public void printPlan(PrintStream out) {
        out.println("Plan for `" + title + "` (dry run: nothing was run):");
        for (String note : notes) out.println("  # " + note);
        for (int i = 0; i < steps.size(); i++) {
            out.println("  " + (i + 1) + ". " + steps.get(i).name());
            out.println("     " + steps.get(i).plan());
        }
    }
}
