package dev.parity.sandbox.native_.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.native_.restore.RestoreSandbox.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code staging restore production} against the sandbox: the backup is found and checked before
 * {@code heroku pg:reset} touches staging, {@code heroku pg:backups:restore} brings it over, and
 * the tables are counted afterwards. Every way the source can fail leaves staging's rows intact.
 */
class RestoreBetweenAppsTest {
    static final String STAGING_TABLE = "staging_only";
    static final int STAGING_ROWS = 7;

    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App production;
    static App staging;
    static String atB001;
    static String atB002;

    @BeforeAll
    static void productionWithTwoBackups() throws Exception {
        s = RestoreSandbox.start(tmp);
        production = s.app("production", "store-production");
        staging = s.app("staging", "store-staging");
        s.app("empty", "store-empty"); // a Postgres add-on, never backed up
        s.sql(production, RestoreSandbox.SHOP + RestoreSandbox.shopRows(30, 120));
        atB001 = s.fingerprint(production);
        assertEquals("b001", s.capture(production));
        s.sql(production, "CREATE TABLE refunds (id serial PRIMARY KEY, order_id int NOT NULL REFERENCES orders(id));"
                + " INSERT INTO refunds (order_id) SELECT g FROM generate_series(1, 9) g;"
                + " INSERT INTO orders (customer_id, total) SELECT 1, 3 FROM generate_series(1, 30);");
        atB002 = s.fingerprint(production);
        assertEquals("b002", s.capture(production));
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @BeforeEach
    void stagingHasItsOwnData() {
        s.ownData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    @AfterEach
    void noFaultsLeft() {
        s.clearFaults();
    }

    @Test
    void stagingEndsWithProductionsLatestBackupAndTheTablesAreCounted() throws Exception {
        Outcome r = s.parity("staging", "restore", "production");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(atB002, s.fingerprint(staging), "staging is production's latest backup, object for object");
        assertTrue(r.err().contains("parity: staging (store-staging) has 3 tables, as "), r.err());
        assertOrder(r.err(), "check the backup is whole", "reset the database of staging (store-staging)",
                "restore the backup into staging (store-staging)", "compare table counts");
        // the backup goes to the CLI by name, so not even the CLI's own output shows its signed URL
        assertFalse((r.out() + r.err()).contains("/backups/"), r.toString());
        assertTrue(r.err().contains("Starting restore of b002 "), r.err());
    }

    @Test
    void backupIdRestoresThatOlderBackup() throws Exception {
        Outcome r = s.parity("staging", "restore", "production", "--backup-id", "b001");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("find backup b001 of production (store-production)"), r.err());
        assertEquals(atB001, s.fingerprint(staging));
    }

    /**
     * Production moves on after its nightly backup (here: a migration adds a table). Staging gets
     * the backup, exactly; the count afterwards must be compared with the backup, not with what
     * production has today, or a correct restore is reported as a failure.
     */
    @Test
    void aTableAddedToProductionAfterTheBackupIsNotCountedAgainstStaging() throws Exception {
        s.sql(production, "CREATE TABLE added_after_the_backup (id int)");
        try {
            Outcome r = s.parity("staging", "restore", "production");
            assertEquals(atB002, s.fingerprint(staging), "staging has exactly the backup");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.err().contains("parity: staging (store-staging) has 3 tables, as "), r.err());
        } finally {
            s.sql(production, "DROP TABLE added_after_the_backup");
        }
    }

    @Test
    void aSourceWithoutBackupsNeverResetsStaging() throws Exception {
        Outcome r = s.parity("staging", "restore", "empty");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'find the latest backup of empty (store-empty)' failed: no backups on store-empty;"
                + " capture one with: empty backup"), r.err());
        assertNotRun(r, "reset the database of staging (store-staging)");
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    @Test
    void aBackupIdThatDoesNotExistNeverResetsStaging() throws Exception {
        Outcome r = s.parity("staging", "restore", "production", "--backup-id", "b042");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'find backup b042 of production (store-production)' failed: no backup b042 on store-production"),
                r.err());
        assertNotRun(r, "reset the database of staging (store-staging)");
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    @Test
    void anExpiredBackupUrlNeverResetsStaging() throws Exception {
        s.publicUrls().lifetime(Duration.ZERO);
        Outcome r = s.parity("staging", "restore", "production");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'check the backup is whole' failed"), r.err());
        assertTrue(r.err().contains("answered HTTP 403 Forbidden (backup URLs expire; ask again); no database was touched"), r.err());
        RestoreSandbox.assertNoBackupUrl(r);
        assertNotRun(r, "reset the database of staging (store-staging)");
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    @Test
    void aBackupUrlThatServesNoDumpNeverResetsStaging() throws Exception {
        String refused = s.f.sandbox().baseUrl() + "/backups/" + "0".repeat(48) + "/b001.dump";
        Outcome r = s.parity("staging", "restore", "production", "--backup-url", refused);
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("answered HTTP 403"), r.err());
        assertNotRun(r, "reset the database of staging (store-staging)");
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    @Test
    void aBackupUrlGivenOutrightIsRestored() throws Exception {
        Outcome r = s.parity("staging", "restore", "production", "--backup-url", s.publicUrl(production, 1));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(atB001, s.fingerprint(staging));
    }

    /** The data API answers 401, or keeps failing with 5xx past parity's retries: staging is never reset. */
    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource(delimiter = '|', value = {
            "401|the Heroku API refused the credentials from HEROKU_API_KEY",
            "500|Internal server error. (GET /client/v11/apps/store-production/transfers, HTTP 500, internal_server_error) (gave up after 4 attempts)",
            "503|The API is temporarily unavailable. (GET /client/v11/apps/store-production/transfers, HTTP 503, service_unavailable) (gave up after 4 attempts)"})
    void anApiFailureWhileFindingTheBackupNeverResetsStaging(int status, String says) throws Exception {
        s.f.sandbox().faults().failNext(4, status, 0);
        Outcome r = s.parity("staging", "restore", "production");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'find the latest backup of production (store-production)' failed: " + says), r.err());
        assertNotRun(r, "reset the database of staging (store-staging)");
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource({"500", "503"})
    void anApiFailureWhenResettingStopsBeforeTheRestore(int status) throws Exception {
        Outcome r = s.parity(s.faultOn("pg:reset", 3, status), "staging", "restore", "production");
        assertNotEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'reset the database of staging (store-staging)' failed: "
                + "`heroku pg:reset --confirm store-staging --app store-staging` exited with status"), r.err());
        assertNotRun(r, "restore the backup into staging (store-staging)");
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    /** The lines "parity: [i/n] STEP" appear in this order. */
    static void assertOrder(String err, String... steps) {
        int at = -1;
        for (String step : steps) {
            int i = err.indexOf("] " + step + "\n", at + 1);
            assertTrue(i > at, "'" + step + "' not after the step before it\n" + err);
            at = i;
        }
    }

    static void assertNotRun(Outcome r, String step) {
        assertFalse(r.err().contains("] " + step + "\n"), "'" + step + "' ran\n" + r);
        assertTrue(r.err().matches("(?s).*parity: not run: [^\n]*" + java.util.regex.Pattern.quote(step) + ".*"), r.err());
    }
}
