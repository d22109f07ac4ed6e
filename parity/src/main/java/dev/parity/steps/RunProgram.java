package dev.parity.steps;

import dev.parity.process.Command;
import dev.parity.process.Result;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs a program attached to the terminal; a non-zero exit fails the step with that status.
 * The command may depend on what earlier steps found (a downloaded file), and the step may apply
 * only when an earlier step found something (the dump uses a schema).
 */
public final class RunProgram implements Step {
    private final String name;
    private final Command planned;
    private final Function<StepContext, Command> build;
    private final Predicate<StepContext> applies;
    private final String condition;

    private RunProgram(String name, Command planned, Function<StepContext, Command> build,
                       Predicate<StepContext> applies, String condition) {
        this.name = name;
        this.planned = planned;
        this.build = build;
        this.applies = applies;
        this.condition = condition;
    }

    public RunProgram(String name, Command command) {
        this(name, command, c -> command, c -> true, null);
    }

    /** A command completed at run time; {@code planned} shows it with placeholders. */
    public static RunProgram deferred(String name, Command planned, Function<StepContext, Command> build) {
        return new RunProgram(name, planned, build, c -> true, null);
    }

    /** Runs only when {@code applies} holds; {@code condition} explains when, for the plan. */
    public RunProgram onlyIf(Predicate<StepContext> applies, String condition) {
        return new RunProgram(name, planned, build, applies, condition);
    }

    public Command command() {
        return planned;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String plan() {
        return "$ " + planned.display() + (condition == null ? "" : "   (" + condition + ")");
    }

    @Override
    public void run(StepContext context) throws StepFailed, InterruptedException {
        if (!applies.test(context)) {
            context.io().err().println("parity: skipped: " + name + " (runs " + condition + ")");
            return;
        }
        Command command = build.apply(context);
        Result r = context.runner().run(command);
        if (!r.ok()) {
            throw new StepFailed(r.exitCode(), "`" + command.display() + "` exited with status " + r.exitCode());
        }
    }
}
