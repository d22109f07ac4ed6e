package dev.parity.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Prints a completion script: `source <(parity completion bash)`. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Print a shell completion script.",
                "bash: source <(parity completion bash)   zsh: source <(parity completion zsh)"})
final class Completion implements Callable<Integer>, ToolCommand {
    enum Shell { bash, zsh }

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
    Shell shell;

    private Workspace workspace;

    @Override
    public void bind(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() throws IOException {
        String verbs = String.join(" ", Parity.verbNames());
        try (InputStream in = Completion.class.getResourceAsStream("/dev/parity/completion." + shell)) {
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@VERBS@", verbs)
                    .replace("@TOOLS@", String.join(" ", Parity.TOOL_COMMANDS.keySet()));
            workspace.io().out().print(script);
        }
        return ExitCodes.OK;
    }
}
