package dev.parity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.RecordingRunner;
import dev.parity.support.Run;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Help is made from the registry: every registered verb is listed, under its group, with the
 * summary of its own {@code @Command}; and every verb class parity has is registered.
 */
class HelpListsEveryVerbTest {
    @TempDir
    Path repo;
    RecordingRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        runner = new RecordingRunner().withRemote("production", "https://git.heroku.com/myapp-production.git")
                .withRemote("staging", "https://git.heroku.com/myapp-staging.git");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--help", "production --help", "staging -h", "development --help", "pr_app --help", "pr_app 12 --help", "parity help"})
    void everyRegisteredVerbIsListedUnderItsGroupWithItsOwnSummary(String command) {
        String[] args = command.startsWith("parity ") ? command.substring(7).split(" ") : command.split(" ");
        Run r = Run.parity(repo, runner, args);
        assertEquals(ExitCodes.OK, r.exitCode, r.toString());
        for (Verbs.Entry verb : Verbs.ALL) {
            String line = r.out.lines().filter(l -> l.matches("  " + verb.name() + " +.*")).findFirst()
                    .orElseThrow(() -> new AssertionError(verb.name() + " is not listed by " + command + ":\n" + r.out));
            assertTrue(line.contains(verb.summary()), line);
            String heading = verb.group().heading + ":";
            int under = r.out.lastIndexOf("\n" + heading + "\n", r.out.indexOf("\n" + line + "\n"));
            assertTrue(under >= 0, verb.name() + " is not under " + heading + "\n" + r.out);
            for (VerbGroup other : VerbGroup.values()) {
                if (other != verb.group()) {
                    assertTrue(r.out.lastIndexOf("\n" + other.heading + ":\n", r.out.indexOf("\n" + line + "\n")) < under,
                            verb.name() + " is listed after the " + other.heading + " heading\n" + r.out);
                }
            }
            for (String alias : verb.aliases()) assertTrue(line.contains(alias), alias + " in " + line);
        }
        assertTrue(r.out.matches("(?s).*\nAnything else goes to the heroku CLI, every argument as typed:\n  VERB ARGS +heroku VERB ARGS --app APP .*"), r.out);
        assertTrue(r.out.matches("(?s).*\n  -- VERB ARGS +the same, even for a VERB parity has or takes for a typo .*"), r.out);
        assertTrue(r.out.contains("--dry-run goes before the verb"), r.out);
        assertEquals(List.of(), runner.actions(), "help runs nothing");
    }

    @Test
    void parityHelpAlsoListsTheSandboxAndTheToolsOwnCommands() {
        Run r = Run.parity(repo, runner, "--help");
        assertTrue(r.out.contains("\nSandbox:\n  sandbox "), r.out);
        assertTrue(r.out.contains("parity sandbox --help lists its commands)"), r.out);
        for (String tool : Parity.TOOL_COMMANDS.keySet()) assertTrue(r.out.contains("\n  " + tool + " "), tool + "\n" + r.out);
    }

    /** The names the issue found missing from `production --help`. */
    @Test
    void theEverydayVerbsAreThere() {
        Run r = Run.parity(repo, runner, "production", "--help");
        for (String verb : List.of("ps", "doctor", "restart", "releases", "info")) {
            assertTrue(r.out.contains("\n  " + verb + " "), verb + "\n" + r.out);
        }
    }

    /** One line each: a summary longer than this wraps in an 80-column terminal after the name column. */
    @Test
    void everySummaryFitsOnOneLine() {
        for (Verbs.Entry verb : Verbs.ALL) {
            String shown = verb.summary() + (verb.aliases().isEmpty() ? "" : " (alias: " + String.join(", ", verb.aliases()) + ")");
            assertTrue(shown.length() <= 80 - 18, verb.name() + ": " + shown.length() + " characters: " + shown);
        }
    }

    /** A verb class that is not registered would be unreachable (and missing from help): there is none. */
    @Test
    void everyVerbClassIsRegistered() throws IOException, URISyntaxException {
        Path classes = Path.of(Verb.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> unregistered = new ArrayList<>();
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/parity/cli"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c;
                try {
                    c = Class.forName(name, false, Verb.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
                if (!Verb.class.isAssignableFrom(c) || Modifier.isAbstract(c.getModifiers()) || c == PassThrough.class) continue;
                found.add(c);
                if (Verbs.ALL.stream().noneMatch(v -> v.type() == c)) unregistered.add(c.getName());
            }
        }
        assertTrue(found.size() >= Verbs.ALL.size(), "found " + found);
        assertEquals(List.of(), unregistered, "verbs missing from Verbs.ALL (and so from help)");
    }

    /** The tool's own commands come from the registry too, and scrub offers its two commands. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bash", "zsh"})
    void completionOffersTheToolsOwnCommandsAndScrubsCommands(String shell) {
        Run r = Run.parity(repo, runner, "completion", shell);
        assertEquals(ExitCodes.OK, r.exitCode, r.toString());
        assertTrue(r.out.contains(String.join(" ", Parity.TOOL_COMMANDS.keySet()) + " sandbox"), r.out);
        assertTrue(r.out.contains("scrub"), r.out);
        assertTrue(r.out.matches("(?s).*\\bcheck init\\b.*"), r.out);
        assertFalse(r.out.contains("@TOOLS@") || r.out.contains("@VERBS@"), r.out);
    }

    @Test
    void scrubHelpListsCheckAndInitAndScrubAloneIsAUsageError() {
        Run help = Run.parity(repo, runner, "scrub", "--help");
        assertEquals(ExitCodes.OK, help.exitCode, help.toString());
        assertTrue(help.out.matches("(?s).*\n  check +Show which personal-looking columns.*"), help.out);
        assertTrue(help.out.matches("(?s).*\n  init +Append a starting scrub: section.*"), help.out);
        Run parityHelp = Run.parity(repo, runner, "--help");
        assertTrue(parityHelp.out.contains("\n  scrub           Scrub rules against a backup's schema: scrub check, scrub init.\n"), parityHelp.out);
        Run bare = Run.parity(repo, runner, "scrub");
        assertEquals(ExitCodes.USAGE, bare.exitCode, bare.toString());
        assertTrue(bare.err.contains("parity: scrub needs a command: parity scrub check [ENV] or parity scrub init [ENV]"), bare.err);
        Run dev = Run.parity(repo, runner, "scrub", "check", "development");
        assertEquals(ExitCodes.USAGE, dev.exitCode, dev.toString());
        assertTrue(dev.err.contains("development has none"), dev.err);
        assertEquals(List.of(), runner.actions(), "nothing ran");
    }

    @Test
    void completionOffersEveryVerbAndAlias() {
        Run r = Run.parity(repo, runner, "completion", "bash");
        for (String name : Verbs.names()) assertTrue(r.out.matches("(?s).*\\b" + name + "\\b.*"), name);
    }
}
