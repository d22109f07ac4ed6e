package dev.parity.steps;

/**
 * parity's exit codes, the one place they are defined: every verb maps the same failure to the
 * same code. When a step runs a program that fails, parity exits with that program's status
 * instead, so {@code production migrate} exits with the migration's status.
 */
public class ExitCodes {
    public static final int OK = 0;
    /** A step failed without a status of its own (a download, a check, a dyno that did not come back). */
    public static final int FAILED = 1;
    /** Bad input: unknown environment or option, bad configuration, missing git remote. */
    public static final int USAGE = 2;
    /** The Heroku Platform API refused or could not be reached (the official CLI's code for API errors). */
    public static final int API = 2;
    /**
     * parity refused to go on: a destructive action without --force or with a confirmation that did
     * not match, uncommitted changes to deploy, a directory for dumps that others could write to or swap.
     */
    public static final int REFUSED = 3;
    /**
     * A deploy's release phase failed: the new release never went live and the one before it still
     * runs (a migration that fails exits with the migration's own status instead).
     */
    public static final int RELEASE_FAILED = 4;
    /** A program parity needs is not installed. */
    public static final int NOT_FOUND = 127;
    /** Interrupted with Ctrl-C (SIGINT): 128 + 2, the shell's convention. */
    public static final int INTERRUPTED = 130;
    /** Stopped with SIGTERM: 128 + 15, the shell's convention. */
    public static final int TERMINATED = 143;

    protected ExitCodes() {}
}
