package dev.parity.sandbox.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The narrated tour; filled in once deploys, one-off dynos and the data API are in. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "A narrated tour of parity on a local sandbox.")
final class SandboxDemo implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand
    SandboxCommands parent;

    @Override
    public Integer call() {
        parent.io.out().println("The sandbox demo is not built yet. Meanwhile: parity demo");
        return 0;
    }
}
