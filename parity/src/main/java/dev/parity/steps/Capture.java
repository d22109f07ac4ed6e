package dev.parity.steps;

import dev.parity.process.Command;
import dev.parity.process.Result;

/** Runs a program, keeps its standard output for later steps under {@code key}. */
public final class Capture implements Step {

    /** Checks the captured output; returns the value to keep or throws. */
    @FunctionalInterface
    public interface Check {
        String accept(String stdout) throws StepFailed;
    }

    private final String name;
    private final Command command;
    private final String key;
    private final Check check;
    private final String note;

    public Capture(String name, Command command, String key, String note, Check check) {
        this.name = name;
        this.command = command.captured();
        this.key = key;
        this.note = note;
        this.check = check;
    }

    public Command command() {
        return command;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String plan() {
        return "$ " + command.display() + (note == null ? "" : "   (" + note + ")");
    }

    @Override
    public void run(StepContext context) throws StepFailed, InterruptedException {
        Result r = context.runner().run(command);
        if (!r.ok()) {
            throw new StepFailed(r.exitCode(), "`" + command.display() + "` exited with status " + r.exitCode());
        }
        context.put(key, check.accept(r.stdout()));
    }
}
