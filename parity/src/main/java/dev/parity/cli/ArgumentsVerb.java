package dev.parity.cli;

import dev.parity.env.Environment;
import dev.parity.heroku.HerokuCli;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Sequence;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/** A verb whose arguments, options included, are passed on unchanged (console, tail, open, backup). */
abstract class ArgumentsVerb extends Verb {

    @Parameters(arity = "0..*", paramLabel = "ARG", description = "Passed on unchanged.")
    List<String> args = new ArrayList<>();

    @Override
    boolean passesUnknownOptions() {
        return true;
    }

    /** One step: {@code heroku SUBCOMMAND… ARGS… --app APP}. */
    protected Sequence herokuStep(String verb, String stepName, String... subcommand) throws InterruptedException {
        Environment env = remoteEnvironment(verb);
        List<String> argv = new ArrayList<>(List.of(subcommand));
        argv.addAll(args);
        return new Sequence(title(verb), List.of(new RunProgram(stepName + " " + env.app(), HerokuCli.command(env.app(), argv))),
                List.of("app: " + env.app() + " (from " + env.source() + ")"));
    }
}
