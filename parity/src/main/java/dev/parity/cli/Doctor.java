package dev.parity.cli;

import dev.parity.steps.Sequence;
import java.util.List;

/** `doctor`: until it talks to the Platform API directly, the same as `heroku doctor --app APP`. */
@picocli.CommandLine.Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "heroku doctor for this environment's app.")
final class Doctor extends ArgumentsVerb {
    @Override
    protected Sequence sequence() throws InterruptedException {
        return herokuStep("doctor", "doctor", "doctor");
    }
}
