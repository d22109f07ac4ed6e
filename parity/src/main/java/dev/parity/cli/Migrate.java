package dev.parity.cli;

import dev.parity.env.Environment;
import dev.parity.heroku.HerokuCli;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Sequence;
import dev.parity.steps.Step;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the migration in a one-off dyno and restarts the app only if the migration succeeded, so
 * no dyno keeps serving with a schema cached from before ("stuck dynos").
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run the migration in a one-off dyno (heroku run --exit-code), then restart every dyno "
                + "if and only if it succeeded.")
final class Migrate extends Verb {

    @Option(names = "--no-restart", description = "Migrate only; leave the dynos running.")
    boolean noRestart;

    @Override
    protected Sequence sequence() throws InterruptedException {
        Environment env = remoteEnvironment("migrate");
        Commands.Chosen migrate = Commands.migrate(workspace);
        List<Step> steps = new ArrayList<>();
        steps.add(new RunProgram("run migration on " + env.app(), HerokuCli.run(env.app(), migrate.command(), List.of())));
        if (!noRestart) {
            steps.add(new RunProgram("restart every dyno of " + env.app(), HerokuCli.command(env.app(), "restart")));
        }
        return new Sequence(title("migrate"), steps, List.of("app: " + env.app() + " (from " + env.source() + ")",
                "migrate command: " + migrate.command() + " (" + migrate.source() + ")"));
    }
}
