package dev.parity.sandbox.cli;

import dev.parity.cli.ToolExtension;
import dev.parity.process.ProcessRunner;
import dev.parity.steps.ExitCodes;
import dev.parity.ui.Io;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/** {@code parity sandbox …}: start, stop, status, create, demo. */
public final class SandboxExtension implements ToolExtension {
    @Override
    public String name() {
        return "sandbox";
    }

    @Override
    public int run(Io io, ProcessRunner runner, List<String> args) {
        CommandLine cl = new CommandLine(new SandboxCommands(io));
        cl.setCommandName("parity sandbox");
        cl.setExpandAtFiles(false);
        cl.setOut(new PrintWriter(io.out(), true));
        cl.setErr(new PrintWriter(io.err(), true));
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            io.err().println("parity: sandbox: " + ex.getMessage());
            return ExitCodes.FAILED;
        });
        return cl.execute(args.toArray(String[]::new));
    }
}
