package dev.parity.process;

/** A program the step needs is not installed (or not on PATH). */
public class ProgramNotFound extends RuntimeException {
    private final String program;

    public ProgramNotFound(String program) {
        super(program + ": command not found");
        this.program = program;
    }

    public String program() {
        return program;
    }
}
