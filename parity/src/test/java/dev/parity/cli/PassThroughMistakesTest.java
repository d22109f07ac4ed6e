package dev.parity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.RecordingRunner;
import dev.parity.support.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What parity stops before it reaches heroku: a near-miss of one of its verbs that heroku does not
 * have either, and {@code --dry-run} where heroku, not parity, would read it. {@code ENV -- …}
 * passes both on as typed.
 */
class PassThroughMistakesTest {
    static final String PROD = "myapp-production";

    @TempDir
    Path repo;
    RecordingRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        Files.writeString(repo.resolve(".parity.yml"), "console: bundle exec rails console\n");
        runner = new RecordingRunner().withRemote("production", "https://git.heroku.com/" + PROD + ".git")
                .withRemote("staging", "https://git.heroku.com/myapp-staging.git");
    }

    Run parity(String... args) {
        return Run.parity(repo, runner, args);
    }

    // ---- near-miss verbs -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource({"production, migarte, migrate", "production, restor, restore", "staging, rollbak, rollback",
            "production, docter, doctor", "production, relases, releases", "production, Migrate, migrate", "production, deplyo, deploy"})
    void aNearMissIsStoppedWithTheVerbMeantAndHowToReachHerokuAnyway(String env, String typed, String meant) {
        Run r = parity(env, typed, "--verbose");
        assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
        assertEquals("parity: `" + typed + "` is neither a parity verb nor a heroku command. Did you mean " + env + " " + meant + "?\n"
                + "To run `heroku " + typed + " --verbose --app APP` anyway (a heroku plugin's command, say): " + env + " -- " + typed
                + " --verbose\n", r.err);
        assertEquals(List.of(), runner.actions(), "nothing ran");
    }

    @Test
    void aNearMissForAReviewAppNamesThePullRequest() {
        Run r = parity("pr_app", "12", "restor", "staging");
        assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
        assertTrue(r.err.contains("Did you mean pr_app 12 restore?"), r.err);
        assertTrue(r.err.contains("pr_app 12 -- restor staging"), r.err);
        assertEquals(List.of(), runner.actions());
    }

    /** Heroku's own commands pass, however close they are to a parity verb (pg is one letter from ps). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"config", "run", "logs", "pg:psql", "addons", "pg", "apps", "releases:info", "maintenance:on", "access"})
    void herokuCommandsPassThrough(String command) {
        Run r = parity("production", command);
        assertEquals(ExitCodes.OK, r.exitCode, r.toString());
        assertEquals(1, runner.actions().size(), runner.actions().toString());
        assertEquals(List.of("heroku", command), runner.actions().get(0).subList(0, 2));
    }

    /** Far from every verb: heroku answers for it, as before (a plugin's command, or heroku's own error). */
    @Test
    void aWordFarFromEveryVerbGoesToHeroku() {
        assertEquals(ExitCodes.OK, parity("production", "repo:gc").exitCode);
        assertEquals(List.of(List.of("heroku", "repo:gc", "--app", PROD)), runner.actions());
    }

    @Test
    void afterDashDashTheWordIsHerokusEvenANearMissOrAVerb() {
        assertEquals(ExitCodes.OK, parity("production", "--", "migarte", "--verbose").exitCode);
        assertEquals(ExitCodes.OK, parity("production", "--", "restore").exitCode);
        assertEquals(ExitCodes.OK, parity("pr_app", "--dry-run", "7", "--", "migarte").exitCode);
        assertEquals(List.of(List.of("heroku", "migarte", "--verbose", "--app", PROD), List.of("heroku", "restore", "--app", PROD)),
                runner.actions());
    }

    @Test
    void dashDashWithNothingAfterItIsAUsageError() {
        Run r = parity("production", "--");
        assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
        assertEquals("parity: nothing after --: production -- VERB ARGS... runs heroku VERB ARGS... --app APP\n", r.err);
        assertEquals(List.of(), runner.actions());
    }

    // ---- --dry-run placement ---------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"config --dry-run", "config:set FOO=bar --dry-run", "config:set --dry-run FOO=bar", "run rake --dry-run=1"})
    void dryRunAfterAHerokuCommandIsRefusedSayingWhereItGoes(String typed) {
        List<String> words = List.of(typed.split(" "));
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("production"), words.stream()).toArray(String[]::new);
        Run r = parity(args);
        assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
        String without = String.join(" ", words.stream().filter(w -> !w.startsWith("--dry-run")).toList());
        assertEquals("parity: --dry-run after `" + words.get(0) + "` would be heroku's: parity would run `heroku " + typed + " --app APP`.\n"
                + "To see the heroku command and run nothing, put it before the verb: production --dry-run " + without + "\n"
                + "To give it to heroku as typed: production -- " + typed + "\n", r.err);
        assertEquals(List.of(), runner.actions(), "heroku was not run");
    }

    @Test
    void dryRunBeforeTheVerbShowsTheHerokuCommandAndRunsNothing() {
        Run r = parity("production", "--dry-run", "config:set", "FOO=bar");
        assertEquals(ExitCodes.OK, r.exitCode, r.toString());
        assertTrue(r.out.contains("$ heroku config:set FOO=bar --app " + PROD), r.out);
        assertEquals(List.of(), runner.actions());
    }

    @Test
    void dryRunAfterTheUsersDashDashOrAfterParitysGoesToHerokuAsTyped() {
        assertEquals(ExitCodes.OK, parity("production", "run", "--", "rake", "--dry-run").exitCode);
        assertEquals(ExitCodes.OK, parity("production", "--", "config:set", "FOO=bar", "--dry-run").exitCode);
        assertEquals(List.of(List.of("heroku", "run", "--app=" + PROD, "--", "rake", "--dry-run"),
                List.of("heroku", "config:set", "FOO=bar", "--dry-run", "--app", PROD)), runner.actions());
    }

    /** parity's own verbs read --dry-run anywhere: it is their option. */
    @Test
    void dryRunAfterAParityVerbIsParitys() {
        Run r = parity("production", "console", "--dry-run");
        assertEquals(ExitCodes.OK, r.exitCode, r.toString());
        assertEquals(List.of(), runner.actions());
    }

    // ---- pr_app: options before or after the number ----------------------------------------------

    @Test
    void prAppTakesDryRunBeforeTheNumber() {
        Run before = parity("pr_app", "--dry-run", "1234", "console");
        assertEquals(ExitCodes.OK, before.exitCode, before.toString());
        Run after = parity("pr_app", "1234", "--dry-run", "console");
        assertEquals(ExitCodes.OK, after.exitCode, after.toString());
        assertEquals(after.out, before.out);
        assertTrue(before.out.contains("--app myapp-staging-pr-1234"), before.out);
        assertEquals(List.of(), runner.actions(), "a dry run runs nothing");
    }

    @Test
    void prAppHelpBeforeOrAfterTheNumber() {
        Run before = parity("pr_app", "--help");
        assertEquals(ExitCodes.OK, before.exitCode, before.toString());
        assertTrue(before.out.startsWith("Usage: pr_app NUMBER [--dry-run] VERB"), before.out);
        Run after = parity("pr_app", "1234", "-h");
        assertTrue(after.out.startsWith("Usage: pr_app 1234 [--dry-run] VERB"), after.out);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "pr_app console|pr_app needs a pull request number before the verb, e.g. `pr_app 1234 console` (got 'console')",
            "pr_app --dry-run console|pr_app needs a pull request number before the verb, e.g. `pr_app 1234 console` (got 'console')",
            "pr_app --dry-run|pr_app needs a pull request number before the verb, e.g. `pr_app 1234 console`",
            "pr_app 0 console|pr_app needs a pull request number before the verb, e.g. `pr_app 1234 console` (got '0')",
            "pr_app --bogus 12 console|unknown option --bogus before the verb. Try: pr_app NUMBER --help"})
    void prAppWithoutAUsableNumberIsAUsageError(String typed, String message) {
        Run r = parity(typed.split(" "));
        assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
        assertEquals("parity: " + message + "\n", r.err);
        assertEquals(List.of(), runner.actions());
    }
}
