package dev.parity.cli;

import static dev.parity.support.RecordingRunner.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.RecordingRunner;
import dev.parity.support.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each verb runs, for each kind of environment: the original's behaviour, argv by argv. */
class VerbPlansTest {
    static final String PROD = "myapp-production";
    static final String STAGING = "myapp-staging";

    @TempDir
    Path repo;
    RecordingRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        Files.writeString(repo.resolve(".parity.yml"), """
                migrate: bundle exec rails db:migrate
                console: bundle exec rails console
                development: {database: myapp_development}
                """);
        runner = new RecordingRunner()
                .withRemote("production", "https://git.heroku.com/" + PROD + ".git")
                .withRemote("staging", "git@heroku.com:" + STAGING + ".git")
                .withRemote("feature-geoff", "ssh://git@heroku.com/myapp-feature-geoff.git")
                .withRemote("origin", "git@github.com:acme/myapp.git");
    }

    Run parity(String... args) {
        return Run.parity(repo, runner, args);
    }

    @Test
    void migratePlansTheOneOffDynoTheRestartAndTheWait() {
        Run r = parity("production", "migrate", "--dry-run");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("1. run migration on " + PROD), r.out);
        assertTrue(r.out.matches("(?s).*POST /apps/" + PROD + "/dynos \\{command: \"bundle exec rails db:migrate ; echo \\\\\"\\\\uFFFF "
                + "heroku-command-exit-status: \\$\\?\\\\\" # parity-run [0-9a-f]{16}\", attach: true, env: \\{TERM: dumb}}.*"), r.out);
        assertTrue(r.out.contains("never sent twice: a lost answer (5xx, dropped connection, none within 30 s) is "
                + "followed by GET /apps/" + PROD + "/dynos to find the dyno tagged 'parity-run "), r.out);
        assertTrue(r.out.contains("attach over rendezvous (TLS)"), r.out);
        assertTrue(r.out.contains("2. restart every dyno of " + PROD), r.out);
        assertTrue(r.out.contains("DELETE /apps/" + PROD + "/dynos"), r.out);
        assertTrue(r.out.contains("3. wait for every dyno of " + PROD + " to be up after the migration"), r.out);
        assertTrue(r.out.contains("updated_at at or after the migration's end (timeout 5m"), r.out);
        assertTrue(runner.actions().isEmpty(), "the official CLI is not used: " + runner.actions());
    }

    @Test
    void migrateWorksForStagingAndCustomEnvironments() {
        Run staging = parity("staging", "migrate", "--dry-run", "--wait", "90s");
        assertEquals(0, staging.exitCode, staging.toString());
        assertTrue(staging.out.contains("DELETE /apps/" + STAGING + "/dynos"), staging.out);
        assertTrue(staging.out.contains("(timeout 90s"), staging.out);
        Run custom = parity("feature-geoff", "migrate", "--dry-run");
        assertTrue(custom.out.contains("DELETE /apps/myapp-feature-geoff/dynos"), custom.out);
    }

    @Test
    void migratePlanNamesTheApiTimeoutThatDecidesWhenAnAnswerIsLost() {
        Run r = Run.parity(repo, runner, Map.of("PARITY_API_TIMEOUT", "5"), "", "production", "migrate", "--dry-run");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("(5xx, dropped connection, none within 5 s)"), r.out);
    }

    @Test
    void migrateWithABadApiTimeoutSaysWhatIsWrongInOneLineAndRunsNothing() {
        Run r = Run.parity(repo, runner, Map.of("PARITY_API_TIMEOUT", "soon", "HEROKU_API_KEY", "k"), "", "production", "migrate");
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("'run migration on " + PROD + "' failed: PARITY_API_TIMEOUT must be a number of seconds "
                + "from 1 to 3600, not 'soon'"), r.err);
        assertTrue(runner.actions().isEmpty());
    }

    @Test
    void migrateNoRestartOnlyMigrates() {
        Run r = parity("production", "migrate", "--no-restart", "--dry-run");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("1. run migration on " + PROD), r.out);
        assertFalse(r.out.contains("2. "), r.out);
        assertFalse(r.out.contains("DELETE"), r.out);
    }

    @Test
    void migrateRejectsAWaitThatIsNotADuration() {
        Run r = parity("production", "migrate", "--wait", "soon");
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("--wait must be a duration such as 90s or 5m, not 'soon'"), r.err);
        assertTrue(runner.actions().isEmpty());
    }

    @Test
    void migrateWithoutCredentialsFailsTheFirstStepAndRestartsNothing() {
        Run r = parity("production", "migrate");
        assertEquals(ExitCodes.API, r.exitCode, "the same code as ps, info, doctor and restore: " + r);
        assertTrue(r.err.contains("'run migration on " + PROD + "' failed: no Heroku credentials"), r.err);
        assertTrue(r.err.contains("not run: restart every dyno of " + PROD), r.err);
        assertTrue(runner.actions().isEmpty());
    }

    @Test
    void consoleArgumentsReachTheRemoteConsoleQuotedForTheDynoShell() {
        Run r = parity("production", "console", "--sandbox", "a b", "it's");
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(List.of(List.of("heroku", "run", "--exit-code", "--app", PROD,
                "bundle exec rails console --sandbox 'a b' 'it'\\''s'")), runner.actions());
    }

    @Test
    void tailPassesItsArguments() {
        // Native: a log session through the API (what `heroku logs --tail --ps web -n 5` sends), no program run.
        Run r = parity("staging", "--dry-run", "tail", "--ps", "web", "-n", "5");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("POST /apps/" + STAGING + "/log-sessions {\"dyno\":\"web\",\"lines\":5,\"tail\":true}"), r.out);
        assertTrue(r.out.contains("Last-Event-ID"), r.out);
        assertEquals(List.of(), runner.actions());
        Run unknown = parity("staging", "tail", "--bogus");
        assertEquals(2, unknown.exitCode, unknown.toString());
    }

    @Test
    void openAndBackupUseTheApp() {
        assertEquals(0, parity("production", "open").exitCode);
        assertEquals(0, Run.parity(repo, runner, Map.of("HEROKU_API_KEY", "t0ken"), "", "staging", "backup").exitCode);
        assertEquals(List.of(List.of("heroku", "open", "--app", PROD),
                List.of("heroku", "pg:backups:capture", "--app", STAGING)), runner.actions());
    }

    @Test
    void developmentBackupDumpsTheLocalDatabaseIntoTheCache() {
        Run r = parity("development", "backup");
        assertEquals(0, r.exitCode, r.toString());
        List<String> dump = runner.actions().get(0);
        assertEquals(List.of("pg_dump", "--format=custom", "--file"), dump.subList(0, 3));
        assertTrue(dump.get(3).startsWith(repo.resolve(".cache/parity/backups/myapp_development-").toString()), dump.get(3));
        assertEquals("myapp_development", dump.get(dump.size() - 1));
        assertTrue(r.out.strip().endsWith(".dump"), r.out);
    }

    @Test
    void reviewAppsAreNamedAfterTheFirstTwentyCharactersOfTheStagingApp() {
        runner.withRemote("staging", "https://git.heroku.com/averyveryverylongappname-staging.git");
        assertEquals(0, parity("pr_app", "1234", "console").exitCode);
        assertEquals(0, parity("pr_app", "7", "config").exitCode);
        assertEquals("averyveryverylongapp-pr-1234", runner.actions().get(0).get(4));
        assertEquals(List.of("heroku", "config", "--app", "averyveryverylongapp-pr-7"), runner.actions().get(1));
    }

    @Test
    void reviewAppWithShortStagingNameKeepsItWhole() {
        assertEquals(0, parity("pr_app", "12", "console").exitCode);
        assertEquals(STAGING + "-pr-12", runner.actions().get(0).get(4));
    }

    @Test
    void reviewAppNeedsANumber() {
        Run r = parity("pr_app", "console");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("pull request number"), r.err);
        assertTrue(runner.actions().isEmpty());
    }

    @Test
    void appFromParityYmlWinsOverTheGitRemote() throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), """
                environments:
                  production: {app: configured-production}
                  qa: {app: myapp-qa}
                migrate: bin/migrate
                """);
        assertEquals(0, parity("production", "config").exitCode);
        assertEquals(0, parity("qa", "config").exitCode);
        assertEquals(List.of(List.of("heroku", "config", "--app", "configured-production"),
                List.of("heroku", "config", "--app", "myapp-qa")), runner.actions());
    }

    @Test
    void unknownEnvironmentListsTheKnownOnes() {
        Run r = parity("prodution", "migrate");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("unknown environment 'prodution'"), r.err);
        assertTrue(r.err.contains("development, feature-geoff, pr_app, production, staging"), r.err);
        assertFalse(r.err.contains("origin"), "origin is not a Heroku app: " + r.err);
        assertTrue(runner.actions().isEmpty());
    }

    @Test
    void missingRemoteSaysHowToAddIt() {
        runner = new RecordingRunner().withRemote("production", "https://git.heroku.com/" + PROD + ".git");
        Run r = parity("staging", "migrate");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("heroku git:remote -r staging -a APP"), r.err);
        assertTrue(runner.actions().isEmpty());
    }

    @Test
    void remoteThatIsNotHerokuIsExplainedWithoutItsCredentials() {
        runner.withRemote("staging", "https://user:ghp_secret@github.com/acme/myapp.git");
        Run r = parity("staging", "migrate");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("not a Heroku app"), r.err);
        assertFalse(r.err.contains("ghp_secret"), r.err);
    }

    @Test
    void developmentOnlyRestoresAndBacksUp() {
        Run r = parity("development", "migrate");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("development restore SOURCE"), r.err);
        assertTrue(runner.actions().isEmpty());
    }

    @Test
    void noVerbPrintsUsageAndFails() {
        Run r = parity("production");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("Usage: production"), r.err);
    }

    @Test
    void helpAndVersionWorkEverywhere() {
        for (String[] args : new String[][] {{"--help"}, {"production", "--help"}, {"production", "migrate", "--help"},
                {"staging", "deploy", "--help"}, {"development", "restore", "--help"}, {"pr_app", "--help"},
                {"binstub", "--help"}, {"completion", "--help"}, {"environments", "--help"}}) {
            Run r = parity(args);
            assertEquals(0, r.exitCode, String.join(" ", args) + "\n" + r);
            assertTrue(r.out.contains("Usage:"), String.join(" ", args) + "\n" + r);
        }
        for (String[] args : new String[][] {{"--version"}, {"production", "--version"}, {"production", "migrate", "--version"}}) {
            Run r = parity(args);
            assertEquals(0, r.exitCode, r.toString());
            assertTrue(r.out.startsWith("parity "), r.out);
        }
        assertTrue(runner.actions().isEmpty());
    }

    @Test
    void unknownOptionOfAVerbIsAUsageError() {
        Run r = parity("production", "migrate", "--bogus");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("--bogus"), r.err);
        assertTrue(runner.actions().isEmpty());
    }

    @Test
    void missingHerokuCliSaysHowToInstallIt() {
        runner.without("heroku");
        Run r = parity("production", "console"); // migrate no longer needs the CLI; console still does
        assertEquals(127, r.exitCode);
        assertTrue(r.err.contains("heroku is not installed"), r.err);
        assertTrue(r.err.contains("devcenter.heroku.com/articles/heroku-cli"), r.err);
    }

    @Test
    void binstubWritesALauncherForACustomEnvironment() throws IOException {
        Run r = parity("binstub", "feature-geoff");
        assertEquals(0, r.exitCode, r.toString());
        Path stub = repo.resolve("bin/feature-geoff");
        assertTrue(Files.isExecutable(stub));
        assertTrue(Files.readString(stub).contains("exec parity feature-geoff \"$@\""));
        assertEquals(2, parity("binstub", "feature-geoff").exitCode, "refuses to overwrite");
        assertEquals(0, parity("binstub", "feature-geoff", "--force").exitCode);
        assertEquals(2, parity("binstub", "../evil").exitCode);
    }

    @Test
    void completionScriptsNameTheVerbs() {
        for (String shell : new String[] {"bash", "zsh"}) {
            Run r = parity("completion", shell);
            assertEquals(0, r.exitCode, r.toString());
            assertTrue(r.out.contains("migrate") && r.out.contains("restore-from") && r.out.contains("production"), r.out);
            assertFalse(r.out.contains("@VERBS@"));
        }
        assertEquals(2, parity("completion", "fish").exitCode);
    }

    @Test
    void environmentsListsEachAppAndWhereItCameFrom() {
        Run r = parity("environments");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("production    " + PROD + "  (from git remote 'production')"), r.out);
        assertTrue(r.out.contains("feature-geoff"), r.out);
    }

    @Test
    void herokuFailureExitCodeIsKept() {
        runner.fail(startsWith("heroku", "config"), 2);
        assertEquals(2, parity("production", "config").exitCode);
    }
}
