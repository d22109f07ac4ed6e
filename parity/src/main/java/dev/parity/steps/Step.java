package dev.parity.steps;

/** One checked step of a sequence: it either completes or throws {@link StepFailed}. */
public interface Step {

    /** Short name used in progress and failure messages, e.g. "run migration". */
    String name();

    /** What the step would do, as shown by {@code --dry-run}: a command line or an action. */
    String plan();

    void run(StepContext context) throws StepFailed, InterruptedException;
}
