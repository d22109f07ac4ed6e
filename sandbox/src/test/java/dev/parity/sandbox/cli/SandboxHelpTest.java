package dev.parity.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.steps.ExitCodes;
import dev.parity.ui.Io;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code parity sandbox --help} (and the usage printed without a subcommand) lists every
 * registered subcommand with its description: a subcommand added later shows up without a
 * hand-kept list to update.
 */
class SandboxHelpTest {
    @TempDir
    Path tmp;

    /** Every subcommand as registered, with the first line of its description. */
    static Map<String, CommandLine> registered() {
        Io io = new Io(System.out, System.err, System.in, Map.of(), Path.of("."), false);
        return new CommandLine(new SandboxCommands(io)).getSubcommands();
    }

    @Test
    void helpListsEveryRegisteredSubcommandWithItsDescription() {
        SandboxCli.Outcome help = SandboxCli.run(Map.of("HOME", tmp.toString()), tmp, "--help");
        assertEquals(0, help.exitCode(), help.toString());
        assertTrue(registered().size() >= 5, "start, stop, status, create, demo at least: " + registered().keySet());
        registered().forEach((name, sub) -> {
            String description = sub.getCommandSpec().usageMessage().description()[0];
            assertTrue(help.out().contains(name) && help.out().contains(firstWords(description)),
                    name + " (" + description + ") is missing from:\n" + help.out());
        });
    }

    @Test
    void noSubcommandPrintsTheSameGeneratedUsageAndFails() {
        SandboxCli.Outcome none = SandboxCli.run(Map.of("HOME", tmp.toString()), tmp);
        assertEquals(ExitCodes.USAGE, none.exitCode(), none.toString());
        assertEquals("", none.out());
        registered().forEach((name, sub) -> {
            String description = sub.getCommandSpec().usageMessage().description()[0];
            assertTrue(none.err().contains(firstWords(description)), name + " is missing from:\n" + none.err());
        });
    }

    @Test
    void versionNamesParity() {
        SandboxCli.Outcome version = SandboxCli.run(Map.of("HOME", tmp.toString()), tmp, "--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("parity "), version.out());
        assertFalse(version.out().isBlank());
    }

    /** The description's first words: picocli wraps long ones at the terminal width. */
    private static String firstWords(String description) {
        String[] words = description.split(" ");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(3, words.length)));
    }
}
