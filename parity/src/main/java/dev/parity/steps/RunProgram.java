package dev.parity.steps;

import dev.parity.process.Command;
import dev.parity.process.Result;

/** Runs a program attached to the terminal; a non-zero exit fails the step with that code. */
public final class RunProgram implements Step {
    private final String name;
    private final Command command;

    public RunProgram(String name, Command command) {
        this.name = name;
        this.command = command;
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
        return "$ " + command.display();
    }

    @Override
    public void run(StepContext context) throws StepFailed, InterruptedException {
        Result r = context.runner().run(command);
        if (!r.ok()) {
            throw new StepFailed(r.exitCode(), "`" + command.display() + "` exited with status " + r.exitCode());
        }
    }
}
