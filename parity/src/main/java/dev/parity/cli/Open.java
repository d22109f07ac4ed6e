package dev.parity.cli;

import dev.parity.env.Environment;
import dev.parity.heroku.HerokuCli;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Sequence;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The app in a browser. */
@Command(name = "open", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Open the app in a browser (heroku open). Arguments are passed on, e.g. a path.")
final class Open extends Verb {

    @Parameters(arity = "0..*", paramLabel = "ARG", description = "Arguments for heroku open.")
    List<String> args = new ArrayList<>();

    @Override
    boolean passesUnknownOptions() {
        return true;
    }

    @Override
    protected Sequence sequence() throws InterruptedException {
        Environment env = remoteEnvironment("open");
        List<String> argv = new ArrayList<>(List.of("open"));
        argv.addAll(args);
        return new Sequence(title("open"), List.of(new RunProgram("open " + env.app(), HerokuCli.command(env.app(), argv))));
    }
}
