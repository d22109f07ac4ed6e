package dev.parity.sandbox.native_.restore;

import static dev.parity.sandbox.native_.restore.RestoreSandbox.DEV_DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.native_.restore.RestoreSandbox.Outcome;
import dev.parity.support.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Production is the app, not the word, against the sandbox: a second remote for production's app
 * (the {@code heroku} remote {@code heroku git:remote} adds, an alias in any Heroku URL form) or a
 * {@code .parity.yml} name for it restores only with {@code --force} and the app name confirmed,
 * and with no terminal to confirm on (stdin closed) it is refused: production keeps its tables.
 */
class RestoreIntoProductionByAppTest {
    static final String PRODUCTION_TABLE = "live_orders";
    static final int PRODUCTION_ROWS = 11;
    static final String PROD = "mill-production";
    static final String RESET = "reset the database of %s (" + PROD + ", production's app)";

    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App production;
    static App staging;
    static String stagingAtBackup;
    static String parityYml;

    @BeforeAll
    static void productionUnderSeveralNames() throws Exception {
        s = RestoreSandbox.start(tmp);
        production = s.app("production", PROD);
        staging = s.app("staging", "mill-staging");
        // the remote `heroku git:remote` adds (the sandbox's own git URL), and aliases in Heroku's other URL forms
        GitRepo.run(s.repo, "git", "remote", "add", "heroku", s.f.sandbox().baseUrl() + "/" + PROD + ".git");
        GitRepo.run(s.repo, "git", "remote", "add", "live", "git@heroku.com:" + PROD + ".git");
        GitRepo.run(s.repo, "git", "remote", "add", "prod-ssh", "ssh://git@heroku.com/" + PROD + ".git");
        GitRepo.run(s.repo, "git", "remote", "add", "prod-https", "https://git.heroku.com/" + PROD + ".git");
        s.sql(staging, RestoreSandbox.SHOP + RestoreSandbox.shopRows(8, 20));
        stagingAtBackup = s.fingerprint(staging);
        assertEquals("b001", s.capture(staging));
        s.recreate(DEV_DB);
        s.sql(DEV_DB, "CREATE TABLE from_laptop (id int); INSERT INTO from_laptop VALUES (1), (2)");
        parityYml = Files.readString(s.repo.resolve(".parity.yml"));
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @BeforeEach
    void productionHasItsOwnData() {
        s.ownData(production, PRODUCTION_TABLE, PRODUCTION_ROWS);
    }

    @AfterEach
    void originalConfiguration() throws Exception {
        Files.writeString(s.repo.resolve(".parity.yml"), parityYml);
    }

    @ParameterizedTest(name = "{0} restore {1}")
    @CsvSource({"heroku, staging", "heroku, development", "live, staging", "prod-ssh, development", "prod-https, staging"})
    void withoutForceItIsRefusedAndSaysWhy(String alias, String source) throws Exception {
        Outcome r = s.parity(alias, "restore", source);
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: " + alias + " is production's app " + PROD + " (from git remote 'production'), "
                + "so parity treats it as production"), r.err());
        assertTrue(r.err().contains("If you mean it, re-run with --force (you will be asked to type the app name, or pass --confirm "
                + PROD + ")"), r.err());
        assertFalse(r.err().contains("parity: [1/"), "no step ran\n" + r);
        s.assertOwnData(production, PRODUCTION_TABLE, PRODUCTION_ROWS);
    }

    @ParameterizedTest(name = "{0} restore {1} --force")
    @CsvSource({"heroku, staging", "heroku, development", "live, staging", "prod-ssh, development"})
    void forceWithStdinClosedIsRefusedBeforeTheReset(String alias, String source) throws Exception {
        Outcome r = s.parity(alias, "restore", source, "--force");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'confirm overwriting " + alias + " (" + PROD + ", production's app)' failed: "
                + "no terminal to confirm on; pass --confirm " + PROD), r.err());
        assertNotRun(r, RESET.formatted(alias));
        s.assertOwnData(production, PRODUCTION_TABLE, PRODUCTION_ROWS);
    }

    @Test
    void aConfirmationNamingTheRemoteInsteadOfTheAppIsRefused() throws Exception {
        Outcome r = s.parity("heroku", "restore", "staging", "--force", "--confirm", "heroku");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("confirmation 'heroku' did not match " + PROD + "; nothing was changed"), r.err());
        assertNotRun(r, RESET.formatted("heroku"));
        s.assertOwnData(production, PRODUCTION_TABLE, PRODUCTION_ROWS);
    }

    @Test
    void dryRunShowsTheConfirmationStep() throws Exception {
        Outcome r = s.parity("heroku", "--dry-run", "restore", "staging", "--force");
        assertEquals(0, r.exitCode(), r.toString());
        int confirm = r.out().indexOf(". confirm overwriting heroku (" + PROD + ", production's app)\n     ask to type " + PROD + " to confirm");
        int reset = r.out().indexOf(". " + RESET.formatted("heroku"));
        assertTrue(confirm > 0 && reset > confirm, r.out());
        s.assertOwnData(production, PRODUCTION_TABLE, PRODUCTION_ROWS);
    }

    @Test
    void aParityYmlNameForProductionsAppIsRefusedWithStdinClosed() throws Exception {
        Files.writeString(s.repo.resolve(".parity.yml"), parityYml + "environments:\n  prod-eu: {app: " + PROD + "}\n");
        Outcome r = s.parity("prod-eu", "restore", "staging", "--force");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("prod-eu is production's app " + PROD + " (from git remote 'production')"), r.err());
        assertTrue(r.err().contains("no terminal to confirm on; pass --confirm " + PROD), r.err());
        s.assertOwnData(production, PRODUCTION_TABLE, PRODUCTION_ROWS);
    }

    @Test
    void productionNamedInParityYmlGuardsTheRemoteOfAnotherNameOnItsApp() throws Exception {
        Files.writeString(s.repo.resolve(".parity.yml"), parityYml + "environments:\n  production: {app: " + PROD + "}\n");
        Outcome r = s.parity("live", "restore", "development", "--force");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("live is production's app " + PROD + " (from .parity.yml environments.production.app)"), r.err());
        assertNotRun(r, RESET.formatted("live"));
        s.assertOwnData(production, PRODUCTION_TABLE, PRODUCTION_ROWS);
    }

    @Test
    void productionAndStagingOnOneAppIsRefusedNamingBoth() throws Exception {
        Files.writeString(s.repo.resolve(".parity.yml"), parityYml + "environments:\n  staging: {app: " + PROD + "}\n");
        Outcome r = s.parity("staging", "restore", "development", "--force", "--confirm", PROD);
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: " + PROD + " is both production's app (from git remote 'production') and staging's "
                + "(from .parity.yml environments.staging.app)"), r.err());
        assertFalse(r.err().contains("parity: [1/"), "no step ran\n" + r);
        s.assertOwnData(production, PRODUCTION_TABLE, PRODUCTION_ROWS);
    }

    @Test
    void forceAndTheAppNameRestoreThroughTheAlias() throws Exception {
        Outcome r = s.parity("heroku", "restore", "staging", "--force", "--confirm", PROD);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(stagingAtBackup, s.fingerprint(production));
    }

    static void assertNotRun(Outcome r, String step) {
        assertFalse(r.err().contains("] " + step + "\n"), "'" + step + "' ran\n" + r);
        assertTrue(r.err().contains("parity: not run: ") && r.err().contains(step), r.err());
    }
}
