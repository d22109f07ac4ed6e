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
        Files.deleteIfExists(s.repo.resolve("config/database.yml"));
        Files.deleteIfExists(s.repo.resolve("Gemfile"));
    }

    /**
     * The second example: a Rails {@code host:} that is a socket directory. The check passed and
     * pg:push then could not parse the URL it was given, after staging was reset; now the push
     * gets what it parses (the name, the socket directory in PGHOST) and the check runs the same.
     */
    @Test
    void aRailsHostThatIsASocketDirectoryIsPushed() throws Exception {
        Files.delete(s.repo.resolve(".parity.yml"));
        Files.writeString(s.repo.resolve("Gemfile"), "source 'https://rubygems.org'\ngem 'rails'\n");
        Files.createDirectories(s.repo.resolve("config"));
        Files.writeString(s.repo.resolve("config/database.yml"), "development:\n  adapter: postgresql\n  database: " + DEV_DB
                + "\n  host: " + s.cluster.socketDir() + "\n");
        s.recreate(DEV_DB);
        s.sql(DEV_DB, "CREATE TABLE drafts (id int PRIMARY KEY, body text); INSERT INTO drafts VALUES (1, 'over the socket');");
        // libpq's own defaults point elsewhere: only the project's host can reach the server
        Outcome r = s.parity(java.util.Map.of("PGHOST", "/nonexistent"), "staging", "restore", "development");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("over the socket", s.sql(staging, "SELECT body FROM drafts"));
        assertTrue(r.err().contains("parity: staging (depot-staging) has 1 table, as the local database has"), r.err());
    }

    /** Host, port and user from the project: pg:push reaches the database through them, as the check did. */
    @Test
    void aHostPortAndUserFromTheProjectArePushed() throws Exception {
        Files.writeString(s.repo.resolve(".parity.yml"), "development:\n  database: " + DEV_DB + "\n  host: 127.0.0.1\n  port: "
                + s.cluster.port() + "\n  username: " + s.cluster.user() + "\n");
        s.recreate(DEV_DB);
        s.sql(DEV_DB, "CREATE TABLE drafts (id int PRIMARY KEY, body text); INSERT INTO drafts VALUES (1, 'over tcp');");
        Outcome r = s.parity(java.util.Map.of("PGHOST", "/nonexistent", "PGPORT", "1", "PGUSER", "nobody"), "staging", "restore", "development");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("over tcp", s.sql(staging, "SELECT body FROM drafts"));
    }

    /** A name that pg:push's URL parser and shell would change is refused before anything is reset. */
    @Test
    void aDatabaseNamePgPushCannotCarryIsRefusedBeforeTheReset() throws Exception {
        Files.writeString(s.repo.resolve(".parity.yml"), "development:\n  database: \"shop dev\"\n");
        Outcome r = s.parity("staging", "restore", "development");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("heroku pg:push cannot push the database 'shop dev'"), r.err());
        assertNotRun(r, "reset the database of staging (depot-staging)");
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
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

    /** pg:push fails after the reset (its API calls fail): staging's safety backup is put back and staging has its rows again. */
    @Test
    void aPushThatFailsAfterTheResetPutsStagingsBackupBack() throws Exception {
        s.recreate(DEV_DB);
        s.sql(DEV_DB, "CREATE TABLE drafts (id int)");
        Outcome r = s.parity(s.faultOn("pg:push", 1, 503), "staging", "restore", "development");
        assertNotEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'push " + DEV_DB + " to staging (depot-staging)' failed"), r.err());
        assertTrue(r.err().contains("parity: the restore failed after staging (depot-staging) was reset; putting back its backup b"), r.err());
        assertTrue(r.err().contains("parity: staging (depot-staging) has its database from before the restore again (backup b"), r.err());
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
