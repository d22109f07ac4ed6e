package dev.parity.sandbox.native_.restore;

import static dev.parity.sandbox.native_.restore.RestoreBetweenAppsTest.assertNotRun;
import static dev.parity.sandbox.native_.restore.RestoreSandbox.DEV_DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.native_.restore.RestoreSandbox.Outcome;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Restoring into production against the sandbox: refused without {@code --force}, refused when
 * the confirmation does not name the app (and when there is no terminal to ask on), and done
 * with {@code --force --confirm APP}. A refusal never resets production.
 */
class RestoreIntoProductionTest {
    static final String PRODUCTION_TABLE = "live_orders";
    static final int PRODUCTION_ROWS = 11;
    static final String PROD = "mill-production";

    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App production;
    static App staging;
    static String stagingAtBackup;

    @BeforeAll
    static void stagingWithABackup() throws Exception {
        s = RestoreSandbox.start(tmp);
        production = s.app("production", PROD);
        staging = s.app("staging", "mill-staging");
        s.sql(staging, RestoreSandbox.SHOP + RestoreSandbox.shopRows(8, 20));
        stagingAtBackup = s.fingerprint(staging);
        assertEquals("b001", s.capture(staging));
        s.recreate(DEV_DB);
        s.sql(DEV_DB, "CREATE TABLE from_laptop (id int); INSERT INTO from_laptop VALUES (1), (2)");
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @BeforeEach
    void productionHasItsOwnData() {
        s.ownData(production, PRODUCTION_TABLE, PRODUCTION_ROWS);
    }

    @ParameterizedTest(name = "from {0}")
    @CsvSource({"staging", "development"})
    void withoutForceItIsRefusedAndNothingRuns(String source) throws Exception {
        Outcome r = s.parity("production", "restore", source);
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("restoring into production replaces its database. If you mean it, re-run with --force"
                + " (you will be asked to type the app name, or pass --confirm " + PROD + ")"), r.err());
        assertFalse(r.err().contains("parity: [1/"), "no step ran\n" + r);
        s.assertOwnData(production, PRODUCTION_TABLE, PRODUCTION_ROWS);
    }

    @ParameterizedTest(name = "from {0}")
    @CsvSource({"staging", "development"})
    void aConfirmationThatDoesNotNameTheAppIsRefusedBeforeTheReset(String source) throws Exception {
        Outcome r = s.parity("production", "restore", source, "--force", "--confirm", "mill-staging");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("confirmation 'mill-staging' did not match " + PROD + "; nothing was changed"), r.err());
        assertNotRun(r, "reset the database of production (" + PROD + ")");
        s.assertOwnData(production, PRODUCTION_TABLE, PRODUCTION_ROWS);
    }

    @Test
    void forceWithoutATerminalToConfirmOnIsRefused() throws Exception {
        Outcome r = s.parity("production", "restore", "staging", "--force");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("no terminal to confirm on; pass --confirm " + PROD), r.err());
        assertNotRun(r, "reset the database of production (" + PROD + ")");
        s.assertOwnData(production, PRODUCTION_TABLE, PRODUCTION_ROWS);
    }

    @Test
    void forceAndConfirmRestoreStagingsBackupIntoProduction() throws Exception {
        Outcome r = s.parity("production", "restore", "staging", "--force", "--confirm", PROD);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(stagingAtBackup, s.fingerprint(production));
        assertTrue(r.err().contains("parity: production (" + PROD + ") has 2 tables, as "), r.err());
        RestoreBetweenAppsTest.assertOrder(r.err(), "check the backup is whole", "confirm overwriting production (" + PROD + ")",
                "reset the database of production (" + PROD + ")");
    }

    @Test
    void forceAndConfirmPushTheLocalDatabaseIntoProduction() throws Exception {
        Outcome r = s.parity("production", "restore", "development", "--force", "--confirm", PROD);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("2", s.sql(production, "SELECT count(*) FROM from_laptop"));
        assertTrue(r.err().contains("parity: production (" + PROD + ") has 1 table"), r.err());
    }
}
