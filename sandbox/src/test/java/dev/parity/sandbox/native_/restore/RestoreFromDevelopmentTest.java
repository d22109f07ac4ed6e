package dev.parity.sandbox.native_.restore;

import static dev.parity.sandbox.native_.restore.RestoreBetweenAppsTest.assertNotRun;
import static dev.parity.sandbox.native_.restore.RestoreBetweenAppsTest.assertOrder;
import static dev.parity.sandbox.native_.restore.RestoreSandbox.DEV_DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.native_.restore.RestoreSandbox.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code staging restore development} against the sandbox: the local database is checked, then
 * staging is reset and {@code heroku pg:push} copies it there; a missing local database never
 * costs staging its data.
 */
class RestoreFromDevelopmentTest {
    static final String STAGING_TABLE = "staging_only";
    static final int STAGING_ROWS = 5;

    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App staging;

    @BeforeAll
    static void start() throws Exception {
        s = RestoreSandbox.start(tmp);
        staging = s.app("staging", "depot-staging");
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @BeforeEach
    void stagingHasItsOwnData() throws Exception {
        s.ownData(staging, STAGING_TABLE, STAGING_ROWS);
        Files.writeString(s.repo.resolve(".parity.yml"), "development:\n  database: " + DEV_DB + "\n");
    }

    @AfterEach
    void noFaultsLeft() {
        s.clearFaults();
    }

    @Test
    void theLocalDatabaseIsPushedAndTheTablesMatch() throws Exception {
        s.recreate(DEV_DB);
        s.sql(DEV_DB, RestoreSandbox.SHOP + RestoreSandbox.shopRows(12, 34)
                + " CREATE TABLE drafts (id int PRIMARY KEY, body text); INSERT INTO drafts VALUES (1, 'from my laptop');");
        String local = s.fingerprint(DEV_DB);

        Outcome r = s.parity("staging", "restore", "development");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(local, s.fingerprint(staging), "staging is the local database, object for object");
        assertEquals("from my laptop", s.sql(staging, "SELECT body FROM drafts"));
        assertTrue(r.err().contains("parity: staging (depot-staging) has 3 tables, as the local database has"), r.err());
        assertOrder(r.err(), "check the local database " + DEV_DB, "reset the database of staging (depot-staging)",
                "push " + DEV_DB + " to staging (depot-staging)", "compare table counts");
        assertEquals(local, s.fingerprint(DEV_DB), "the local database is only read");
    }

    @Test
    void aMissingLocalDatabaseNeverResetsStaging() throws Exception {
        s.drop(DEV_DB);
        Outcome r = s.parity("staging", "restore", "development");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("the local database " + DEV_DB + " does not exist; nothing was changed"), r.err());
        assertNotRun(r, "reset the database of staging (depot-staging)");
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    @Test
    void aLocalServerThatDoesNotAnswerNeverResetsStaging() throws Exception {
        Outcome r = s.parity(java.util.Map.of("PGPORT", "1"), "staging", "restore", "development");
        assertNotEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'check the local database " + DEV_DB + "' failed"), r.err());
        assertNotRun(r, "reset the database of staging (depot-staging)");
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    @Test
    void anApiFailureWhenResettingStopsBeforeThePush() throws Exception {
        s.recreate(DEV_DB);
        s.sql(DEV_DB, "CREATE TABLE drafts (id int)");
        Outcome r = s.parity(s.faultOn("pg:reset", 3, 503), "staging", "restore", "development");
        assertNotEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("The API is temporarily unavailable."), r.err());
        assertNotRun(r, "push " + DEV_DB + " to staging (depot-staging)");
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }
}
