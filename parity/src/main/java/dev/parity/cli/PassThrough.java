package dev.parity.cli;

import dev.parity.env.Environment;
import dev.parity.heroku.HerokuCli;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Sequence;
import java.util.ArrayList;
import java.util.List;

/**
 * Anything parity has no verb for: {@code production ps} runs {@code heroku ps --app APP}, every
 * argument exactly as typed (no option parsing at all).
 */
final class PassThrough extends Verb {
    private final List<String> argv;

    PassThrough(String herokuCommand, List<String> args) {
        this.argv = new ArrayList<>();
        argv.add(herokuCommand);
        argv.addAll(args);
    }

    @Override
    protected Sequence sequence() throws InterruptedException {
        Environment env = remoteEnvironment(argv.get(0));
        return new Sequence(title(argv.get(0)), List.of(new RunProgram("heroku " + argv.get(0), HerokuCli.command(env.app(), argv))),
                List.of("app: " + env.app() + " (from " + env.source() + ")"));
    }
}
