package dev.parity.cli;

import dev.parity.steps.Sequence;
import java.util.List;

/** `info`: until it talks to the Platform API directly, the same as `heroku info --app APP`. */
@picocli.CommandLine.Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "heroku info for this environment's app.")
final class Info extends ArgumentsVerb {
    @Override
    protected Sequence sequence() throws InterruptedException {
        return herokuStep("info", "info", "info");
    }
}
