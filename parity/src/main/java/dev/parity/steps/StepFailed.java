package dev.parity.steps;

/** A step did not succeed. {@code exitCode} becomes parity's exit code. */
public class StepFailed extends Exception {
    private final int exitCode;

    public StepFailed(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
