package dev.parity.process;

/** How a program ended; {@code stdout} is empty unless the command was captured. */
public record Result(int exitCode, String stdout) {
    public boolean ok() {
        return exitCode == 0;
    }
}
