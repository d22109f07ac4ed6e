package dev.parity.cli;

import dev.parity.steps.Sequence;
import java.util.List;

/** `restart`: until it talks to the Platform API directly, the same as `heroku restart --app APP`. */
@picocli.CommandLine.Command(name = "restart", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "heroku restart for this environment's app.")
final class Restart extends ArgumentsVerb {
    @Override
    protected Sequence sequence() throws InterruptedException {
        return herokuStep("restart", "restart", "restart");
    }
}
