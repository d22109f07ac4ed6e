package dev.parity.cli;

/**
 * parity's own exit codes. When a step runs a program that fails, parity exits with that
 * program's status instead, so {@code production migrate} exits with the migration's status.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** A step failed without a status of its own (a download, a check). */
    public static final int FAILED = 1;
    /** Bad input: unknown environment or option, bad configuration, missing git remote. */
    public static final int USAGE = 2;
    /** A destructive action was refused: production without --force, or the confirmation did not match. */
    public static final int REFUSED = 3;
    /** A program parity needs is not installed. */
    public static final int NOT_FOUND = 127;
    /** Interrupted (Ctrl-C). */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
