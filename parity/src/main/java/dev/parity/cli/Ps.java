package dev.parity.cli;

import dev.parity.steps.Sequence;
import java.util.List;

/** `ps`: until it talks to the Platform API directly, the same as `heroku ps --app APP`. */
@picocli.CommandLine.Command(name = "ps", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "heroku ps for this environment's app.")
final class Ps extends ArgumentsVerb {
    @Override
    protected Sequence sequence() throws InterruptedException {
        return herokuStep("ps", "ps", "ps");
    }
}
