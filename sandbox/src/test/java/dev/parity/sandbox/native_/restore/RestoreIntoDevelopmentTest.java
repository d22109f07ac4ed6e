package dev.parity.sandbox.native_.restore;

import static dev.parity.sandbox.native_.restore.RestoreSandbox.DEV_DB;
import static dev.parity.sandbox.native_.restore.RestoreSandbox.PREVIOUS;
import static dev.parity.sandbox.native_.restore.RestoreSandbox.TEMPORARY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.native_.restore.RestoreSandbox.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * {@code development restore production} against the sandbox: real backups taken with
 * {@code heroku pg:backups:capture}, downloaded from their expiring URLs, restored into a
 * temporary database, verified, and swapped in; every failing source leaves the local database
 * exactly as it was.
 */
class RestoreIntoDevelopmentTest {
    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App production;
    /** What production looked like at each backup. */
    static String atB001;
    static String atB002;
    static String answersAtB002;

    @BeforeAll
    static void productionWithTwoBackups() throws Exception {
        s = RestoreSandbox.start(tmp);
        production = s.app("production", "shop-production");
        s.app("empty", "shop-empty"); // a Postgres add-on, never backed up
        s.sql(production, RestoreSandbox.SHOP + RestoreSandbox.shopRows(40, 160));
        atB001 = s.fingerprint(production);
        assertEquals("b001", s.capture(production));
        s.sql(production, RestoreSandbox.shopRows(10, 90).replace("'Customer' || g", "'Late' || g")
                + " CREATE TABLE refunds (id serial PRIMARY KEY, order_id int NOT NULL REFERENCES orders(id), amount numeric(10,2));"
                + " CREATE INDEX refunds_order_idx ON refunds (order_id);"
                + " INSERT INTO refunds (order_id, amount) SELECT g, 1 FROM generate_series(1, 12) g;"
                + " SELECT nextval('invoice_numbers') FROM generate_series(1, 5);");
        atB002 = s.fingerprint(production);
        assertEquals("b002", s.capture(production));
        answersAtB002 = s.sql(production, RestoreSandbox.SHOP_ANSWERS); // nextval: only after the capture
        assertNotEquals(atB001, atB002);
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @BeforeEach
    void developerWasWorkingLocally() {
        s.localWork();
    }

    @AfterEach
    void noFaultsLeft() {
        s.clearFaults();
    }

    @Test
    void latestBackupBecomesTheLocalDatabaseAndTheOldOneIsKept() throws Exception {
        Outcome r = s.parity("development", "restore", "production");
        assertEquals(0, r.exitCode(), r.toString());

        assertEquals(atB002, s.fingerprint(DEV_DB), "the local database is production's latest backup, object for object");
        assertEquals(answersAtB002, s.sql(DEV_DB, RestoreSandbox.SHOP_ANSWERS), "citext, the function, the view and the sequence work");
        assertEquals("citext", s.sql(DEV_DB, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'customers'::regclass AND attname = 'email'"));
        assertTrue(r.err().contains("verified 3 tables, 3 indexes, 4 constraints, 2 foreign keys, 4 sequences, 1 view, 1 function"),
                r.err());

        assertEquals("my unsaved experiment", s.sql(PREVIOUS, "SELECT note FROM local_work"), "the database you had is kept");
        assertTrue(r.err().contains("the database you had is kept as " + PREVIOUS + " (put it back with: development restore --undo)"),
                r.err());
        assertFalse(s.exists(TEMPORARY));
        s.assertNoDumpLeft();
        RestoreSandbox.assertNoBackupUrl(r);
    }

    @Test
    void backupIdRestoresThatOlderBackup() throws Exception {
        Outcome r = s.parity("development", "restore", "production", "--backup-id", "b001");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("find backup b001 of production (shop-production)"), r.err());
        assertEquals(atB001, s.fingerprint(DEV_DB));
        assertEquals("40 160", s.sql(DEV_DB, "SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) FROM orders)"));
        assertTrue(r.err().contains("verified 2 tables, 2 indexes, 3 constraints, 1 foreign key, 3 sequences, 1 view, 1 function"),
                r.err());
        assertEquals("my unsaved experiment", s.sql(PREVIOUS, "SELECT note FROM local_work"));
    }

    @Test
    void undoPutsTheDatabaseYouHadBackAndCanItselfBeUndone() throws Exception {
        assertEquals(0, s.parity("development", "restore", "production").exitCode());
        Outcome undo = s.parity("development", "restore", "--undo");
        assertEquals(0, undo.exitCode(), undo.toString());
        assertEquals("my unsaved experiment", s.sql(DEV_DB, "SELECT note FROM local_work"));
        assertEquals(atB002, s.fingerprint(PREVIOUS), "the restored copy is kept in turn");

        Outcome again = s.parity("development", "restore", "--undo");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(atB002, s.fingerprint(DEV_DB));
    }

    @Test
    void aSecondRestoreReplacesTheOlderPreviousCopy() throws Exception {
        assertEquals(0, s.parity("development", "restore", "production", "--backup-id", "b001").exitCode());
        Outcome r = s.parity("development", "restore", "production");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(atB002, s.fingerprint(DEV_DB));
        assertEquals(atB001, s.fingerprint(PREVIOUS), "the previous copy is what the second restore replaced");
    }

    @Test
    void aFirstRestoreCreatesTheLocalDatabase() throws Exception {
        s.drop(DEV_DB);
        Outcome r = s.parity("development", "restore", "production");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(atB002, s.fingerprint(DEV_DB));
        assertFalse(s.exists(PREVIOUS), "there was nothing to keep");
        assertFalse(r.err().contains("kept as"), r.err());
    }

    @Test
    void aKeptDumpIsPrivateAndReusedByTheNextRestoreOfTheSameBackup() throws Exception {
        Path dumps = s.cache.resolve("parity/dumps");
        try {
            Outcome first = s.parity("development", "restore", "production", "--keep-dump");
            assertEquals(0, first.exitCode(), first.toString());
            Path kept = dumps.resolve("shop-production-b002.dump");
            assertTrue(first.err().contains("parity: kept the dump: " + kept), first.err());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dumps)));

            s.localWork();
            Outcome second = s.parity("development", "restore", "production", "--keep-dump");
            assertEquals(0, second.exitCode(), second.toString());
            assertTrue(second.err().contains("parity: reusing the kept dump " + kept), second.err());
            assertEquals(atB002, s.fingerprint(DEV_DB));
            assertEquals("my unsaved experiment", s.sql(PREVIOUS, "SELECT note FROM local_work"));
        } finally {
            try (var files = Files.list(dumps)) {
                for (Path p : files.toList()) Files.delete(p);
            }
        }
    }

    @Test
    void aBackupIdThatDoesNotExistChangesNothing() throws Exception {
        Outcome r = s.parity("development", "restore", "production", "--backup-id", "b042");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'find backup b042 of production (shop-production)' failed: no backup b042 on shop-production"), r.err());
        assertTrue(r.err().contains("not run: copy the snapshot of production if it holds this backup, download the backup"), r.err());
        s.assertLocalWorkUntouched();
    }

    /**
     * No credentials anywhere: parity's own lookup finds no token, so the pinned CLI is asked, with no
     * terminal to log in on; the restore stops there in one line saying how to log in, and nothing changes.
     */
    @Test
    void withoutCredentialsTheRestoreSaysHowToLogInAndChangesNothing() throws Exception {
        Outcome r = s.parity(java.util.Map.of("HEROKU_API_KEY", ""), "development", "restore", "production");
        assertTrue(r.exitCode() != 0, r.toString());
        assertTrue(r.err().contains("parity found no Heroku credentials: run `heroku login`, or set HEROKU_API_KEY to one API token"), r.err());
        assertTrue(r.err().contains("not run: download the backup"), r.err()); // without the data API no snapshot is used or kept
        assertTrue(!r.err().contains("at dev.parity") && !r.err().contains("Exception"), r.err());
        s.assertLocalWorkUntouched();
    }

    @Test
    void aSourceWithoutBackupsChangesNothing() throws Exception {
        Outcome r = s.parity("development", "restore", "empty");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'find the latest backup of empty (shop-empty)' failed: no backups on shop-empty;"
                + " capture one with: empty backup"), r.err());
        s.assertLocalWorkUntouched();
    }

    @Test
    void anExpiredBackupUrlChangesNothing() throws Exception {
        s.publicUrls().lifetime(Duration.ZERO);
        Outcome r = s.parity("development", "restore", "production");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'download the backup' failed: backup URL "), r.err());
        assertTrue(r.err().contains("answered HTTP 403 Forbidden (backup URLs expire; ask again); no database was touched"), r.err());
        RestoreSandbox.assertNoBackupUrl(r);
        s.assertLocalWorkUntouched();
        s.assertNoDumpLeft();
    }

    /** The data API answers 401, or keeps failing with 5xx past parity's retries: nothing local changes. */
    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource(delimiter = '|', value = {
            "401|the Heroku API refused the credentials from HEROKU_API_KEY",
            "500|Internal server error. (GET /client/v11/apps/shop-production/transfers, HTTP 500, internal_server_error) (gave up after 4 attempts)",
            "503|The API is temporarily unavailable. (GET /client/v11/apps/shop-production/transfers, HTTP 503, service_unavailable) (gave up after 4 attempts)"})
    void anApiFailureWhileFindingTheBackupChangesNothing(int status, String says) throws Exception {
        s.f.sandbox().faults().failNext(4, status, 0);
        Outcome r = s.parity("development", "restore", "production");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'find the latest backup of production (shop-production)' failed: " + says), r.err());
        assertTrue(r.err().contains("not run: copy the snapshot of production if it holds this backup, download the backup"), r.err());
        s.assertLocalWorkUntouched();
    }

    @Test
    void aPassingDataApiFailureIsRetried() throws Exception {
        s.f.sandbox().faults().failNext(2, 503, 0);
        Outcome r = s.parity("development", "restore", "production");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(atB002, s.fingerprint(DEV_DB));
    }

    @Test
    void anOpenConnectionStopsTheRestoreBeforeAnythingIsDownloaded() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(s.cluster.program("psql"), "-X", "-q", "-h", s.cluster.host(), "-p",
                String.valueOf(s.cluster.port()), "-U", s.cluster.user(), "-d", DEV_DB, "-c", "SELECT pg_sleep(60)");
        pb.environment().put("PGAPPNAME", "rails server");
        Process session = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            dev.parity.sandbox.support.SandboxFixture.await(Duration.ofSeconds(10), () -> "1".equals(s.sql("postgres",
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + DEV_DB + "' AND application_name = 'rails server'")));
            Outcome r = s.parity("development", "restore", "production");
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.err().contains("1 other connection to " + DEV_DB + ": rails server (pid "), r.err());
            assertTrue(r.err().contains("re-run with --force to end them"), r.err());
            s.assertLocalWorkUntouched();

            Outcome forced = s.parity("development", "restore", "production", "--force");
            assertEquals(0, forced.exitCode(), forced.toString());
            assertEquals(atB002, s.fingerprint(DEV_DB));
            assertEquals("my unsaved experiment", s.sql(PREVIOUS, "SELECT note FROM local_work"));
        } finally {
            session.destroyForcibly();
        }
    }
}
