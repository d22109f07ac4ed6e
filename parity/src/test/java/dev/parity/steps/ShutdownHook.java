package dev.parity.steps;

/**
 * Tests of whole commands: runs the work parity's shutdown hook does when SIGINT or SIGTERM
 * arrives, on the caller's thread, so a test can interrupt a run at a paused boundary without
 * ending its own JVM; and forgets it again afterwards.
 */
public final class ShutdownHook {
    private ShutdownHook() {}

    /** What Ctrl-C would do now: take back, remove temporary files, say the one "interrupted" line. */
    public static void runNow() {
        Interruption.interruptNow();
    }

    /** The next run starts uninterrupted. */
    public static void forget() {
        Interruption.reset();
    }
}
