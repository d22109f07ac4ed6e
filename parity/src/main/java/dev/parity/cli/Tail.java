package dev.parity.cli;

import dev.parity.env.Environment;
import dev.parity.heroku.HerokuCli;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Sequence;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The app's live log. */
@Command(name = "tail", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Follow the app's log (heroku logs --tail). Arguments are passed on, e.g. --ps web.")
final class Tail extends Verb {

    @Parameters(arity = "0..*", paramLabel = "ARG", description = "Arguments for heroku logs.")
    List<String> args = new ArrayList<>();

    @Override
    boolean passesUnknownOptions() {
        return true;
    }

    @Override
    protected Sequence sequence() throws InterruptedException {
        Environment env = remoteEnvironment("tail");
        List<String> argv = new ArrayList<>(List.of("logs", "--tail"));
        argv.addAll(args);
        return new Sequence(title("tail"), List.of(new RunProgram("tail the log of " + env.app(), HerokuCli.command(env.app(), argv))));
    }
}
