package dev.parity.cli;

import dev.parity.steps.Sequence;
import picocli.CommandLine.Command;

/** The app in a browser. */
@Command(name = "open", header = "Open the app in a browser (heroku open).", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Open the app in a browser (heroku open). Arguments are passed on, e.g. a path.")
final class Open extends ArgumentsVerb {
    @Override
    protected Sequence sequence() throws InterruptedException {
        return herokuStep("open", "open", "open");
    }
}
