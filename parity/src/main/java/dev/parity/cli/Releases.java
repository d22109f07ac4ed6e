package dev.parity.cli;

import dev.parity.steps.Sequence;
import java.util.List;

/** `releases`: until it talks to the Platform API directly, the same as `heroku releases --app APP`. */
@picocli.CommandLine.Command(name = "releases", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "heroku releases for this environment's app.")
final class Releases extends ArgumentsVerb {
    @Override
    protected Sequence sequence() throws InterruptedException {
        return herokuStep("releases", "releases", "releases");
    }
}
