package dev.parity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.db.DownloadPauses;
import dev.parity.support.DumpServer;
import dev.parity.support.Dumps;
import dev.parity.support.FakeLocalPostgres;
import dev.parity.support.RecordingRunner;
import dev.parity.support.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Guards follow the app, not the word: a second name for production's app (the {@code heroku}
 * remote {@code heroku create} adds, any alias, a {@code .parity.yml} entry) restores and deploys
 * as production does, and says why.
 */
class ProductionByAppPlansTest {
    static final String PROD = "myapp";
    static final String STAGING = "myapp-staging";
    static final String WHY = "parity: heroku is production's app myapp (from git remote 'production'), so parity treats it as production";

    @TempDir
    Path repo;
    RecordingRunner runner;
    DumpServer server;
    long pause;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        Files.writeString(repo.resolve(".parity.yml"), "development: {database: myapp_development}\n");
        // every step before the confirmation can succeed: a backup that answers, a readable local database
        server = new DumpServer().serve(Dumps.whole(14, "15.4", "1\n\\.\n"));
        runner = new FakeLocalPostgres().with("myapp_development").catalog("TABLE\tpublic\tusers\n").tables(1)
                .installOn(new RecordingRunner()
                        .withRemote("production", "https://git.heroku.com/" + PROD + ".git")
                        .withRemote("staging", "https://git.heroku.com/" + STAGING + ".git")
                        .withRemote("heroku", "git@heroku.com:" + PROD + ".git")
                        .withRemote("live", "ssh://git@heroku.com/" + PROD + ".git")
                        .withBranches("main"))
                .answer(RecordingRunner.startsWith("heroku", "pg:backups:url"), 0, server.url() + "\n")
                .answer(RecordingRunner.startsWith("heroku", "pg:backups:capture"), 0, "Backing up DATABASE to b007... done\n")
                .answer(RecordingRunner.startsWith("pg_restore", "--list"), 0, "; Archive\n215; 1259 16386 TABLE public users app\n");
        pause = DownloadPauses.set(1);
    }

    @AfterEach
    void tearDown() {
        server.close();
        DownloadPauses.set(pause);
    }

    Run parity(String... args) {
        return Run.parity(repo, runner, args);
    }

    @ParameterizedTest(name = "{0} restore {1}")
    @CsvSource({"heroku, staging", "heroku, development", "live, staging", "live, development"})
    void restoreIntoASecondNameForProductionNeedsForce(String alias, String source) {
        Run r = parity(alias, "restore", source);
        assertEquals(ExitCodes.REFUSED, r.exitCode, r.toString());
        assertTrue(r.err.contains("parity: " + alias + " is production's app myapp (from git remote 'production'), so parity treats it as production\n"),
                r.err);
        assertEquals(1, r.err.split("treats it as production", -1).length - 1, "said once\n" + r.err);
        assertTrue(r.err.contains("re-run with --force (you will be asked to type the app name, or pass --confirm " + PROD + ")"), r.err);
        assertEquals(List.of(), runner.actions(), "nothing ran");
    }

    @ParameterizedTest(name = "from {0}")
    @CsvSource({"staging", "development"})
    void forceWithoutATerminalIsRefusedBeforeAnythingIsReset(String source) {
        Run r = parity("heroku", "restore", source, "--force");
        assertEquals(ExitCodes.REFUSED, r.exitCode, r.toString());
        assertTrue(r.err.contains("'confirm overwriting heroku (myapp, production's app)' failed: no terminal to confirm on; pass --confirm "
                + PROD), r.err);
        assertTrue(r.err.contains("not run: back up the database of heroku (myapp, production's app), reset the database of heroku"), r.err);
        assertFalse(runner.actions().stream().anyMatch(a -> a.contains("pg:reset") || a.contains("pg:push")
                || a.contains("pg:backups:restore")), runner.actions().toString());
    }

    @Test
    void aConfirmationNamingAnotherAppIsRefused() {
        Run r = parity("heroku", "restore", "staging", "--force", "--confirm", "heroku");
        assertEquals(ExitCodes.REFUSED, r.exitCode, r.toString());
        assertTrue(r.err.contains("confirmation 'heroku' did not match myapp; nothing was changed"), r.err);
        assertFalse(runner.actions().stream().anyMatch(a -> a.contains("pg:reset")), runner.actions().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--force|ask to type myapp to confirm",
            "--force --confirm myapp|check --confirm myapp matches myapp"})
    void dryRunShowsTheConfirmationBeforeTheReset(String options, String confirmation) {
        List<String> args = new java.util.ArrayList<>(List.of("heroku", "--dry-run", "restore", "staging"));
        args.addAll(List.of(options.split(" ")));
        Run r = parity(args.toArray(String[]::new));
        assertEquals(0, r.exitCode, r.toString());
        int confirm = r.out.indexOf(". confirm overwriting heroku (myapp, production's app)\n     " + confirmation);
        int reset = r.out.indexOf(". reset the database of heroku (myapp, production's app)");
        assertTrue(confirm > 0 && reset > confirm, r.out);
        assertTrue(r.err.contains(WHY), r.err);
        assertEquals(List.of(), runner.actions());
    }

    @Test
    void aParityYmlEnvironmentOnProductionsAppIsGuardedToo() throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), "development: {database: myapp_development}\nenvironments: {prod-eu: {app: myapp}}\n");
        Run r = parity("prod-eu", "restore", "staging");
        assertEquals(ExitCodes.REFUSED, r.exitCode, r.toString());
        assertTrue(r.err.contains("prod-eu is production's app myapp (from git remote 'production')"), r.err);
    }

    @Test
    void productionFromParityYmlGuardsAnyRemoteOnItsApp() throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), "development: {database: myapp_development}\nenvironments: {production: {app: myapp}}\n");
        runner = new RecordingRunner().withRemote("heroku", "https://git.heroku.com/myapp.git")
                .withRemote("staging", "https://git.heroku.com/" + STAGING + ".git");
        Run r = parity("heroku", "restore", "staging");
        assertEquals(ExitCodes.REFUSED, r.exitCode, r.toString());
        assertTrue(r.err.contains("heroku is production's app myapp (from .parity.yml environments.production.app)"), r.err);
        assertEquals(List.of(), runner.actions());
    }

    @ParameterizedTest(name = "{0} deploy")
    @CsvSource({"heroku", "live"})
    void deployToASecondNameForProductionPushesMainWithoutForce(String alias) {
        Run r = parity(alias, "deploy", "--dry-run");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("\n     $ git push " + alias + " main\n"), r.out);
        assertEquals(List.of(), runner.actions());
    }

    @Test
    void deployDryRunShowsThePushWithoutForceAndWhy() {
        Run r = parity("heroku", "deploy", "--dry-run");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("# deployed as production: heroku is production's app myapp (from git remote 'production')"), r.out);
        assertTrue(r.out.contains("push to heroku (myapp, production's app)\n     $ git push heroku main\n"), r.out);
        assertFalse(r.out.contains("--force"), r.out);
        assertEquals(List.of(), runner.actions());
    }

    @Test
    void deployToAParityYmlNameForProductionPushesItsGitUrlWithoutForce() throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), "environments: {prod-eu: {app: myapp}}\n");
        Run r = parity("prod-eu", "deploy", "--dry-run");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("\n     $ git push https://git.heroku.com/myapp.git main\n"), r.out);
    }

    @Test
    void deployToASecondNameForProductionRefusesAsProductionDoesWithoutMain() {
        runner = new RecordingRunner().withRemote("production", "https://git.heroku.com/myapp.git")
                .withRemote("heroku", "https://git.heroku.com/myapp.git");
        Run r = parity("heroku", "deploy");
        assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
        assertTrue(r.err.contains("no main or master branch to deploy to production"), r.err);
        assertEquals(List.of(), runner.actions());
    }

    @Test
    void stagingAndOtherAppsKeepTheirRules() {
        Run d = parity("staging", "deploy", "--dry-run");
        assertTrue(d.out.contains("\n     $ git push staging HEAD:main --force\n"), d.out);
        Run r = parity("staging", "restore", "production", "--dry-run");
        assertEquals(0, r.exitCode, r.toString());
        assertFalse(r.out.contains("confirm overwriting"), r.out);
        assertFalse(r.err.contains("treats it as production"), r.err);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"production deploy", "staging restore production", "heroku ps", "staging deploy",
            "development restore staging", "pr_app 12 console"})
    void productionAndStagingOnOneAppIsRefusedNamingBoth(String command) throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), "development: {database: myapp_development}\nenvironments: {staging: {app: myapp}}\n");
        Run r = parity(command.split(" "));
        assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
        assertTrue(r.err.contains("parity: myapp is both production's app (from git remote 'production') and staging's (from "
                + ".parity.yml environments.staging.app), so parity cannot tell which guards apply"), r.err);
        assertEquals(List.of(), runner.actions());
    }

    @Test
    void environmentsSaysWhichNamesAreProductionsApp() {
        Run r = parity("environments");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("heroku        myapp  (from git remote 'heroku')  production's app: treated as production"), r.out);
        assertTrue(r.out.contains("production    myapp  (from git remote 'production')\n"), r.out);
    }
}
