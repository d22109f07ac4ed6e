package dev.parity.process;

/** The only way parity starts programs. */
public interface ProcessRunner {

    /**
     * Runs the command to completion. A program that cannot be started at all (not installed)
     * throws {@link ProgramNotFound}; any exit code, zero or not, is returned.
     */
    Result run(Command command) throws InterruptedException;

    /** Whether {@code program} can be found on this runner's PATH. */
    boolean available(String program);
}
