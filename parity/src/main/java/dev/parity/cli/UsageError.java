package dev.parity.cli;

/** The command line asks for something parity cannot do; printed as one line, exit 2. */
public class UsageError extends RuntimeException {
    private final int exitCode;

    public UsageError(String message) {
        this(message, ExitCodes.USAGE);
    }

    public UsageError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
