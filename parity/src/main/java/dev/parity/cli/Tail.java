package dev.parity.cli;

import dev.parity.steps.Sequence;
import picocli.CommandLine.Command;

/** The app's live log. */
@Command(name = "tail", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Follow the app's log (heroku logs --tail). Arguments are passed on, e.g. --ps web.")
final class Tail extends ArgumentsVerb {
    @Override
    protected Sequence sequence() throws InterruptedException {
        return herokuStep("tail", "tail the log of", "logs", "--tail");
    }
}
