package dev.parity.cli;

import dev.parity.env.Environment;
import dev.parity.heroku.HerokuCli;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Sequence;
import java.util.List;
import picocli.CommandLine.Command;

/** The app's console in a one-off dyno, attached to this terminal. */
@Command(name = "console", header = "The app's console (e.g. rails console) in a one-off dyno.", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Open the app's console (e.g. rails console) in a one-off dyno. "
                + "Arguments are passed to the console command.")
final class Console extends ArgumentsVerb {

    @Override
    protected Sequence sequence() throws InterruptedException {
        Environment env = remoteEnvironment("console");
        Commands.Chosen console = Commands.console(workspace);
        return new Sequence(title("console"),
                List.of(new RunProgram("console on " + env.app(), HerokuCli.run(env.app(), console.command(), args))),
                List.of("app: " + env.app() + " (from " + env.source() + ")",
                        "console command: " + console.command() + " (" + console.source() + ")"));
    }
}
