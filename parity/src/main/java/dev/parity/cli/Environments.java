package dev.parity.cli;

import dev.parity.env.Environment;
import dev.parity.env.UnknownEnvironment;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists the environments this repository knows and the app each one means. */
@Command(name = "environments", header = "The environments of this repository and the app each one means.", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "List the environments of this repository and the Heroku app each one means.")
final class Environments implements Callable<Integer>, ToolCommand {
    @Option(names = "--names", description = "Only the names, one per line (for shell completion).")
    boolean namesOnly;

    private Workspace workspace;

    @Override
    public void bind(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() throws InterruptedException {
        for (String name : workspace.resolver().knownEnvironments()) {
            if (namesOnly) {
                workspace.io().out().println(name);
                continue;
            }
            String line;
            if (name.equals("pr_app")) {
                line = "pr_app N      review apps named after staging's app";
            } else {
                try {
                    Environment env = workspace.resolver().resolve(name);
                    line = String.format("%-13s %s", name, env.isDevelopment()
                            ? "local database" : env.app() + "  (from " + env.source() + ")"
                            + (env.productionByApp().isPresent() ? "  production's app: treated as production" : ""));
                } catch (UnknownEnvironment e) {
                    line = String.format("%-13s %s", name, "not set up: " + e.getMessage());
                }
            }
            workspace.io().out().println(line);
        }
        return ExitCodes.OK;
    }
}
