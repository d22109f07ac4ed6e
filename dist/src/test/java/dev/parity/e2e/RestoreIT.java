package dev.parity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parity.pgcluster.PostgresCluster;
import dev.parity.pgcluster.PostgresClusterException;
import dev.parity.support.Dumps;
import dev.parity.support.FakeHeroku;
import dev.parity.support.GitRepo;
import dev.parity.support.Launcher;
import dev.parity.support.Launcher.Outcome;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code development restore production} through the real launcher, the real pg tools and a real
 * PostgreSQL: the production schema and rows arrive whole, the database you had is kept and
 * {@code --undo} brings it back, and every way the source or the local database can be wrong
 * leaves the development database exactly as it was. (Interrupts: {@link RestoreInterruptIT}.)
 *
 * <p>The nested classes are the bed both classes share: the production data and its dumps, a
 * backup server with {@code Range}, cuts and stalls, a psql gate, and a launcher in the background.
 */
class RestoreIT {
    static final String DEV_DB = "myapp_development";
    static final String TEMP_DB = DEV_DB + "_parity_restore";
    static final String PREVIOUS_DB = DEV_DB + "_parity_previous";
    static final String SECRET = "s3cr3t-signature";

    @TempDir
    static Path shared;
    static Production production;

    @TempDir
    Path tmp;
    Bed bed;

    @BeforeAll
    static void startPostgres() throws Exception {
        production = Production.start(shared, false);
    }

    @AfterAll
    static void stopPostgres() {
        if (production != null) production.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        bed = new Bed(production, tmp);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    // ---- the round trip -----------------------------------------------------------------------

    @Test
    void roundTripKeepsEverySchemaObjectAndUndoSwitchesBackAndForth() throws Exception {
        PostgresCluster c = production.cluster;
        String localOid = bed.devOid();

        Outcome o = bed.restore();
        assertEquals(0, o.exitCode(), o.toString());
        bed.assertProductionArrived();
        assertFalse(o.err().contains("skipped: the dump does not need heroku_ext"), "the dump uses heroku_ext without creating it: " + o.err());
        assertTrue(o.err().contains("parity: verified "), o.err());
        assertTrue(o.err().contains("kept as " + PREVIOUS_DB), o.err());
        // the database you had is kept, whole, under the previous name
        assertEquals(localOid, c.psql("postgres", "SELECT oid FROM pg_database WHERE datname = '" + PREVIOUS_DB + "'"));
        assertEquals(Bed.LOCAL_ROWS, c.psql(PREVIOUS_DB, Bed.LOCAL_FINGERPRINT_SQL));
        assertFalse(c.databaseExists(TEMP_DB));
        bed.assertNoDumpLeft();

        // sequences continue where production left them
        assertEquals(String.valueOf(Production.USERS + 1), c.psql(DEV_DB, "INSERT INTO users (email, name) VALUES ('new@example.com', 'New') RETURNING id"));
        assertEquals("1042", c.psql(DEV_DB, "SELECT nextval('invoice_numbers')"));
        // foreign keys are enforced again
        assertThrows(PostgresClusterException.class, () -> c.psql(DEV_DB, "INSERT INTO posts (user_id, title) VALUES (999999, 'orphan')"));

        Outcome undo = bed.launch("development", "restore", "--undo");
        assertEquals(0, undo.exitCode(), undo.toString());
        assertEquals(localOid, bed.devOid(), "the very database we had is back");
        assertEquals(Bed.LOCAL_ROWS, c.psql(DEV_DB, Bed.LOCAL_FINGERPRINT_SQL));
        assertEquals("0", c.psql(DEV_DB, "SELECT count(*) FROM pg_tables WHERE tablename = 'users'"));
        assertEquals(String.valueOf(Production.USERS + 1), c.psql(PREVIOUS_DB, "SELECT count(*) FROM users"), "the restored copy is kept for a second --undo");

        Outcome again = bed.launch("development", "restore", "--undo");
        assertEquals(0, again.exitCode(), again.toString());
        assertNotEquals(localOid, bed.devOid());
        assertEquals(String.valueOf(Production.USERS + 1), c.psql(DEV_DB, "SELECT count(*) FROM users"), "the restored copy, with the row added to it");
        assertEquals(localOid, c.psql("postgres", "SELECT oid FROM pg_database WHERE datname = '" + PREVIOUS_DB + "'"));
        assertEquals(List.of(DEV_DB, PREVIOUS_DB), bed.databases());
        for (Outcome each : List.of(o, undo, again)) bed.assertNoSecret(each);
    }

    @Test
    void undoWithoutAPreviousCopyChangesNothing() throws Exception {
        String oid = bed.devOid();
        Outcome o = bed.launch("development", "restore", "--undo");
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains("there is no previous copy of " + DEV_DB), o.err());
        bed.assertDevelopmentUntouched(oid);
    }

    @Test
    void oneJobRestoresTheSameAsTheDefaultParallelRestore() throws Exception {
        Outcome o = bed.restore("--jobs", "1");
        assertEquals(0, o.exitCode(), o.toString());
        bed.assertProductionArrived();
        assertTrue(o.err().contains("parity: verified "), o.err());
    }

    @Test
    void aRestoreWithoutALocalDatabaseCreatesIt() throws Exception {
        production.cluster.psql("postgres", "DROP DATABASE " + DEV_DB);
        Outcome o = bed.restore();
        assertEquals(0, o.exitCode(), o.toString());
        bed.assertProductionArrived();
        assertEquals(List.of(DEV_DB), bed.databases(), "nothing to keep, no previous copy");
    }

    // ---- the download -------------------------------------------------------------------------

    @Test
    void aConnectionCutOnceIsResumedWithRangeAndTheDataIsIdentical() throws Exception {
        int cut = production.dump.length / 3;
        bed.server.cutOnceAt(cut);
        Outcome o = bed.restore();
        assertEquals(0, o.exitCode(), o.toString());
        bed.assertProductionArrived();
        assertEquals(List.of("bytes=0-4095", "-", "bytes=" + cut + "-"), bed.server.ranges(),
                "a 4 KiB probe, the download cut at " + cut + ", then only the rest");
        assertEquals(4096 + production.dump.length, bed.server.bytesSent(), "no byte was fetched twice");
        bed.assertNoDumpLeft();
        bed.assertNoSecret(o);
    }

    @Test
    void aDownloadThatKeepsBeingCutFailsAndLeavesNothing() throws Exception {
        String oid = bed.devOid();
        bed.server.cutAlwaysAt(production.dump.length / 2);
        Outcome o = bed.restore();
        assertEquals(1, o.exitCode(), o.toString());
        // the table of contents had come: the restore into the temporary database had begun, and stops there
        assertTrue(o.err().contains("'restore into " + TEMP_DB + "' failed: the download failed while the restore went on: download of "), o.err());
        assertTrue(o.err().contains("was cut short: got " + production.dump.length / 2 + " of " + production.dump.length + " bytes"), o.err());
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
        bed.assertNoSecret(o);
    }

    @Test
    void anHttpErrorLeavesTheDevelopmentDatabaseUntouched() throws Exception {
        String oid = bed.devOid();
        bed.server.failWith(403);
        Outcome o = bed.restore();
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains("HTTP 403"), o.err());
        assertTrue(o.err().contains("no database was touched"), o.err());
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
        bed.assertNoSecret(o);
    }

    @Test
    void anErrorPageInsteadOfADumpLeavesTheDevelopmentDatabaseUntouched() throws Exception {
        String oid = bed.devOid();
        bed.server.serve("<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>".getBytes(StandardCharsets.UTF_8));
        Outcome o = bed.restore();
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains("does not serve a PostgreSQL custom-format dump"), o.err());
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
        bed.assertNoSecret(o);
    }

    @Test
    void aFailingBackupLookupLeavesTheDevelopmentDatabaseUntouched() throws Exception {
        String oid = bed.devOid();
        bed.env.put("FAKE_HEROKU_FAIL", "pg:backups:url");
        bed.env.put("FAKE_HEROKU_FAIL_CODE", "2");
        Outcome o = bed.restore();
        assertEquals(2, o.exitCode(), o.toString());
        assertEquals(List.of(), bed.server.ranges(), "nothing was downloaded");
        bed.assertDevelopmentUntouched(oid);
    }

    // ---- the dump check -----------------------------------------------------------------------

    @Test
    void aCorruptDumpIsRefusedBeforeAnyDatabaseIsTouched() throws Exception {
        String oid = bed.devOid();
        // the magic and the whole header intact, then a table of contents of 1000 entries made of garbage
        int header = headerLength(production.dump);
        byte[] corrupt = Arrays.copyOf(production.dump, production.dump.length);
        byte[] garbage = new byte[corrupt.length - header];
        new java.util.Random(42).nextBytes(garbage);
        garbage[0] = 0; // the entry count's sign: positive
        garbage[1] = (byte) 0xe8; // 1000, little-endian
        garbage[2] = 0x03;
        garbage[3] = 0;
        garbage[4] = 0;
        System.arraycopy(garbage, 0, corrupt, header, garbage.length);
        bed.server.serve(corrupt);
        Outcome o = bed.restore();
        // parity keeps pg_restore --list's status: on this garbage PostgreSQL 15's even crashes (139)
        assertNotEquals(0, o.exitCode(), o.toString());
        assertTrue(o.err().contains("'check the dump' failed: pg_restore " + production.cluster.version() + "."), o.err());
        assertTrue(o.err().contains("corrupt or incomplete; no database was touched"), o.err());
        assertFalse(o.err().contains("[5/"), "no later step ran: " + o.err());
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
        bed.assertNoSecret(o);
    }

    @Test
    void aDumpWhoseTableOfContentsCountIsCorruptIsRefusedNotRestoredAsAnEmptyDatabase() throws Exception {
        String oid = bed.devOid();
        // one byte flipped: the entry count's sign. pg_restore --list then lists nothing and exits 0,
        // and pg_restore --jobs=1 restores nothing and exits 0: an empty database would pass for production's.
        byte[] corrupt = Arrays.copyOf(production.dump, production.dump.length);
        corrupt[headerLength(corrupt)] = 1;
        bed.server.serve(corrupt);
        Outcome o = bed.restore("--jobs", "1");
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains("'check the dump' failed"), o.err());
        assertTrue(o.err().contains("corrupt or incomplete; no database was touched"), o.err());
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
    }

    /** Where a custom-format dump's table of contents starts: after the header's fields and its three strings. */
    static int headerLength(byte[] dump) {
        int intSize = dump[8];
        int minor = dump[6];
        int pos = 5 + 3 + 3 + (minor >= 15 ? 1 : 1 + intSize) + 7 * (1 + intSize);
        for (int i = 0; i < 3; i++) {
            int len = 0;
            for (int b = 0; b < 4; b++) len |= (dump[pos + 1 + b] & 0xff) << (8 * b);
            pos += 1 + intSize + len;
        }
        return pos;
    }

    @Test
    void aDumpInANewerArchiveFormatNamesTheClientItNeeds() throws Exception {
        String oid = bed.devOid();
        // a real dump whose header says archive format 1.15, which pg_dump 16 writes and pg_restore 15 cannot read
        byte[] newer = Arrays.copyOf(production.dump, production.dump.length);
        assertEquals("PGDMP", new String(newer, 0, 5, StandardCharsets.US_ASCII));
        assertEquals(1, newer[5]);
        assertTrue(newer[6] <= 14, "this machine's pg_dump writes format 1." + newer[6]);
        newer[6] = 15;
        bed.server.serve(newer);
        Outcome o = bed.restore();
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains("'download the backup' failed: the backup was written by"), o.err());
        assertTrue(o.err().contains("(archive format 1.15); this pg_restore is " + production.cluster.version() + "."), o.err());
        assertTrue(o.err().contains("Install the PostgreSQL 16 client or newer"), o.err());
        assertTrue(o.err().contains("nothing was downloaded and no database was touched"), o.err());
        assertEquals(List.of("bytes=0-4095"), bed.server.ranges(), "refused from the first bytes");
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
        bed.assertNoSecret(o);
    }

    @Test
    void aDumpFromANewerPgDumpNamesTheClientItNeeds() throws Exception {
        String oid = bed.devOid();
        bed.server.serve(Dumps.header(16, "17.2"));
        Outcome o = bed.restore();
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains("'download the backup' failed: the backup was written by pg_dump 17.2 (archive format 1.16)"), o.err());
        assertTrue(o.err().contains("Install the PostgreSQL 17 client or newer"), o.err());
        assertTrue(o.err().contains("nothing was downloaded and no database was touched"), o.err());
        assertEquals(List.of("bytes=0-4095"), bed.server.ranges(), "refused from the first bytes");
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
    }

    // ---- other connections --------------------------------------------------------------------

    @Test
    void anOpenConnectionStopsTheRestoreBeforeTheDownloadAndIsNamed() throws Exception {
        String oid = bed.devOid();
        try (Session s = Session.open(production.cluster, DEV_DB, "myserver")) {
            Outcome o = bed.restore();
            assertEquals(1, o.exitCode(), o.toString());
            assertTrue(o.err().contains("'check the local PostgreSQL' failed: 1 other connection to " + DEV_DB + ": myserver (pid "), o.err());
            assertTrue(o.err().contains("re-run with --force"), o.err());
            assertEquals(List.of(), bed.server.ranges(), "stopped before downloading anything");
            assertTrue(s.alive(), "the session was left alone");
        }
        bed.assertDevelopmentUntouched(oid);
    }

    @Test
    void aConnectionOpenedDuringTheRestoreStopsTheSwapAndTheTemporaryDatabaseIsDropped() throws Exception {
        String oid = bed.devOid();
        Bed.Pause gate = bed.pauseAt("step:8");
        Running run = bed.start("development", "restore", "production");
        run.waitFor(gate::reached, "the restore reached the verification");
        try (Session s = Session.open(production.cluster, DEV_DB, "myserver")) {
            assertTrue(production.cluster.databaseExists(TEMP_DB));
            gate.open();
            Outcome o = run.await();
            assertEquals(1, o.exitCode(), o.toString());
            assertTrue(o.err().contains("'swap it in as " + DEV_DB + "' failed: 1 other connection to " + DEV_DB + ": myserver (pid "), o.err());
            assertTrue(s.alive());
            bed.assertNoSecret(o);
        }
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
    }

    @Test
    void aSwapThatFailsKeepsThePreviousCopyToo() throws Exception {
        String local = bed.devOid();
        Outcome first = bed.restore();
        assertEquals(0, first.exitCode(), first.toString());
        String restored = bed.devOid();

        // the second restore's swap fails: a connection arrives after the check, before the renames
        Bed.Pause gate = bed.pauseAt("swap:checked");
        Running run = bed.start("development", "restore", "production");
        run.waitFor(gate::reached, "the restore reached the swap's renames");
        try (Session s = Session.open(production.cluster, DEV_DB, "myserver")) {
            gate.open();
            Outcome o = run.await();
            assertNotEquals(0, o.exitCode(), o.toString());
            assertTrue(o.err().contains("'swap it in as " + DEV_DB + "' failed"), o.err());
        }
        assertEquals(restored, bed.devOid(), "the current database stays");
        assertEquals(local, production.cluster.psql("postgres", "SELECT oid FROM pg_database WHERE datname = '" + PREVIOUS_DB + "'"),
                "and so does the copy --undo would put back");
        assertEquals(Bed.LOCAL_ROWS, production.cluster.psql(PREVIOUS_DB, Bed.LOCAL_FINGERPRINT_SQL));
        assertEquals(List.of(DEV_DB, PREVIOUS_DB), bed.databases());
    }

    /**
     * Two restores into one database: whichever comes second is refused at once, naming the run
     * that holds the lock, and changes nothing; the first finishes as if alone. The first is held
     * at {@code boundary}: early (downloading), or with its restored copy ready to be swapped in.
     */
    @ParameterizedTest(name = "the first run at {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"step:3", "step:10", "swap:checked"})
    void aSecondRestoreIntoTheSameDatabaseIsRefusedWhileTheFirstRuns(String boundary) throws Exception {
        String oid = bed.devOid();
        Bed.Pause first = bed.pauseAt(boundary);
        Running run = bed.start("development", "restore", "production");
        run.waitFor(first::reached, "the first restore paused at " + boundary);
        bed.env.remove("PARITY_TEST_PAUSE");

        for (String[] second : List.of(new String[] {"restore", "production"}, new String[] {"restore", "--undo"},
                new String[] {"restore", "production", "--force"})) {
            Outcome o = bed.launch("development", second);
            assertEquals(1, o.exitCode(), o.toString());
            assertTrue(o.err().contains("another restore into " + DEV_DB + " is running: parity (pid " + run.pid() + ")"), o.err());
            assertTrue(o.err().contains("nothing was changed"), o.err());
        }
        assertEquals(oid, bed.devOid(), "the second runs changed nothing");
        assertTrue(boundary.equals("step:3") || production.cluster.databaseExists(TEMP_DB), "and left the first run's copy alone");

        first.open();
        Outcome o = run.await();
        assertEquals(0, o.exitCode(), o.toString());
        bed.assertProductionArrived();
        assertEquals(oid, production.cluster.psql("postgres", "SELECT oid FROM pg_database WHERE datname = '" + PREVIOUS_DB + "'"));
        assertEquals(List.of(DEV_DB, PREVIOUS_DB), bed.databases());
        bed.assertNoDumpLeft();
    }

    /** The lock ends with the run: once a run is killed, the next one takes it and finishes. */
    @Test
    void aKilledRunLeavesNoLockBehind() throws Exception {
        Bed.Pause first = bed.pauseAt("step:5");
        Running run = bed.start("development", "restore", "production");
        run.waitFor(first::reached, "the first restore paused");
        bed.env.remove("PARITY_TEST_PAUSE");
        run.signal("KILL");
        run.await();
        Outcome o = bed.restore();
        assertEquals(0, o.exitCode(), o.toString());
        bed.assertProductionArrived();
    }

    @Test
    void forceEndsTheOtherConnectionsAndSwaps() throws Exception {
        String oid = bed.devOid();
        try (Session s = Session.open(production.cluster, DEV_DB, "myserver")) {
            Outcome o = bed.restore("--force");
            assertEquals(0, o.exitCode(), o.toString());
            bed.assertProductionArrived();
            assertEquals(oid, production.cluster.psql("postgres", "SELECT oid FROM pg_database WHERE datname = '" + PREVIOUS_DB + "'"));
            assertEquals("0", production.cluster.psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'myserver'"));
            bed.assertNoSecret(o);
        }
    }

    // ---- the dump cache -----------------------------------------------------------------------

    @Test
    void aKeptDumpIsPrivateAndReusedInsteadOfDownloaded() throws Exception {
        Path xdg = tmp.resolve("xdg-cache");
        bed.env.put("XDG_CACHE_HOME", xdg.toString());
        Path dir = xdg.resolve("parity/dumps");

        Outcome first = bed.restore("--keep-dump");
        assertEquals(0, first.exitCode(), first.toString());
        bed.assertProductionArrived();
        List<Path> kept = Bed.files(dir);
        assertEquals(1, kept.size(), kept.toString());
        Path dump = kept.get(0);
        assertTrue(first.err().contains("kept the dump: " + dump), first.err());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dump)));
        assertTrue(Arrays.equals(production.dump, Files.readAllBytes(dump)));
        assertFalse(dump.toString().contains(SECRET));
        assertFalse(Files.exists(tmp.resolve("home/.cache/parity/dumps")), "XDG_CACHE_HOME wins over ~/.cache");
        assertEquals(List.of("bytes=0-4095", "-"), bed.server.ranges());

        bed.server.clearLog();
        production.cluster.psql(DEV_DB, "INSERT INTO users (email, name) VALUES ('local@example.com', 'Local')");
        Outcome second = bed.restore("--keep-dump");
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(List.of("bytes=0-4095"), bed.server.ranges(), "only the probe: the kept dump was used");
        assertEquals(4096, bed.server.bytesSent());
        assertTrue(second.err().contains("reusing the kept dump " + dump), second.err());
        bed.assertProductionArrived(); // the local row is gone again: a fresh copy of the dump
        assertEquals(List.of(dump), Bed.files(dir));

        // a changed backup behind the same URL is downloaded again, not mistaken for the kept one
        bed.server.clearLog();
        byte[] other = production.otherDump;
        bed.server.serve(other);
        Outcome third = bed.restore("--keep-dump");
        assertEquals(0, third.exitCode(), third.toString());
        assertEquals(List.of("bytes=0-4095", "-"), bed.server.ranges(), third.err());
        assertEquals("1", production.cluster.psql(DEV_DB, "SELECT count(*) FROM other_marker"));
        assertTrue(Arrays.equals(other, Files.readAllBytes(dump)));

        // without --keep-dump the kept file is used one last time and removed
        bed.server.clearLog();
        Outcome fourth = bed.restore();
        assertEquals(0, fourth.exitCode(), fourth.toString());
        assertEquals(List.of("bytes=0-4095"), bed.server.ranges());
        assertEquals(List.of(), Bed.files(dir));
        assertEquals(List.of(DEV_DB, PREVIOUS_DB), bed.databases(), "each restore replaced the older previous copy");
        for (Outcome each : List.of(first, second, third, fourth)) bed.assertNoSecret(each);
    }

    @Test
    void aRelativeXdgCacheHomeIsIgnoredSoNoDumpLandsInTheWorkingTree() throws Exception {
        bed.env.put("XDG_CACHE_HOME", "cache");
        Outcome o = bed.restore("--keep-dump");
        assertEquals(0, o.exitCode(), o.toString());
        assertFalse(Files.exists(bed.repo.dir().resolve("cache")), "nothing under the repository: " + o.err());
        assertEquals(1, Bed.files(bed.dumps).size(), "the kept dump is in ~/.cache/parity/dumps: " + o.err());
    }

    /**
     * pg_restore failing for real: each row's CHECK looks up another table, which pg_restore (one job)
     * fills only later, so the COPY fails. The development database stays the very one it was.
     */
    @Test
    void aPgRestoreThatFailsForRealLeavesTheDevelopmentDatabaseAsItWas() throws Exception {
        String oid = bed.devOid();
        PostgresCluster c = production.cluster;
        c.psql("postgres", "DROP DATABASE IF EXISTS failing_copy");
        c.createDatabase("failing_copy");
        c.psql("failing_copy", """
                CREATE TABLE z_allowed (v int PRIMARY KEY);
                CREATE FUNCTION is_allowed(x int) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT EXISTS (SELECT 1 FROM public.z_allowed WHERE v = x) $$;
                CREATE TABLE a_guarded (v int CHECK (public.is_allowed(v)));
                INSERT INTO z_allowed VALUES (1);
                INSERT INTO a_guarded VALUES (1);
                """);
        bed.server.serve(Production.dump(c, tmp, "failing_copy"));
        Outcome o = bed.restore("--jobs", "1");
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains("'restore into " + TEMP_DB + "' failed: pg_restore reported") && o.err().contains("a_guarded"), o.err());
        assertTrue(o.err().contains(DEV_DB + " was not changed"), o.err());
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
    }

    /**
     * Verification failing for real: pg_restore reports success, but an event trigger the local
     * server copies into every new database (from template1) drops each index as it is made.
     */
    @Test
    void aRestoreMissingIndexesForRealIsNeverSwappedIn() throws Exception {
        String oid = bed.devOid();
        PostgresCluster c = production.cluster;
        c.psql("template1", """
                CREATE FUNCTION drop_new_indexes() RETURNS event_trigger LANGUAGE plpgsql AS $$
                DECLARE r record;
                BEGIN
                    FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
                        EXECUTE 'DROP INDEX ' || r.object_identity;
                    END LOOP;
                END $$;
                CREATE EVENT TRIGGER drop_new_indexes ON ddl_command_end WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION drop_new_indexes();
                """);
        try {
            Outcome o = bed.restore("--jobs", "1"); // one index at a time: parallel drops by the trigger could deadlock
            assertEquals(1, o.exitCode(), o.toString());
            assertTrue(o.err().contains("'verify the restored database' failed: the restored database is missing")
                    && o.err().contains("posts_user_id"), o.err());
            assertTrue(o.err().contains(DEV_DB + " was not changed"), o.err());
        } finally {
            c.psql("template1", "DROP EVENT TRIGGER drop_new_indexes; DROP FUNCTION drop_new_indexes()");
        }
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
    }

    /** The issue's own example of a redirected restore, on a real server: refused, nothing fetched or touched. */
    @Test
    void pgRestoreOptionsThatChooseTheTargetAreRefusedBeforeAnythingRuns() throws Exception {
        String oid = bed.devOid();
        Outcome o = bed.restore("--", "-d", DEV_DB);
        assertEquals(2, o.exitCode(), o.toString());
        assertTrue(o.err().contains("refused: -d"), o.err());
        assertEquals(List.of(), bed.server.ranges(), "nothing downloaded");
        bed.assertDevelopmentUntouched(oid);
    }

    @Test
    void developmentBackupWritesARestorableDump() throws Exception {
        Outcome o = bed.launch("development", "backup");
        assertEquals(0, o.exitCode(), o.toString());
        Path file = Path.of(o.out().strip());
        assertTrue(file.startsWith(tmp.resolve("home/.cache/parity/backups")), file.toString());
        String toc = GitRepo.run(tmp, production.cluster.program("pg_restore"), "--list", file.toString());
        assertTrue(toc.contains("TABLE public precious"), toc);
    }

    // =============================================================================================
    // The bed shared with RestoreInterruptIT
    // =============================================================================================

    /** A PostgreSQL cluster holding "production" and the dumps made from it. */
    static final class Production implements AutoCloseable {
        static final int USERS = 300;
        static final int POSTS = 1200;
        /** Fingerprint of production's rows: users, posts, invoice sequence, metadata. */
        static final String FINGERPRINT_SQL = """
                SELECT md5(concat_ws('|',
                  (SELECT string_agg(u::text, ',' ORDER BY u.id) FROM users u),
                  (SELECT string_agg(p::text, ',' ORDER BY p.id) FROM posts p),
                  (SELECT string_agg(c::text, ',' ORDER BY c.user_id) FROM post_counts c),
                  (SELECT string_agg(v::text, ',' ORDER BY v.id) FROM published_posts v)))""";

        final PostgresCluster cluster;
        /** pg_dump -Fc of production, heroku_ext left out as on Heroku (so the restore must create it). */
        final byte[] dump;
        /** Another backup: production plus a marker table. */
        final byte[] otherDump;
        /** Production plus a table whose rows take about {@link #SLOW_SECONDS} s to restore. */
        final byte[] slowDump;
        final String fingerprint;
        static final int SLOW_SECONDS = 12;
        /** Whether this machine has the citext extension (PostgreSQL's contrib), whose type the users' email column has. */
        static boolean citext;

        private Production(PostgresCluster cluster, byte[] dump, byte[] otherDump, byte[] slowDump, String fingerprint) {
            this.cluster = cluster;
            this.dump = dump;
            this.otherDump = otherDump;
            this.slowDump = slowDump;
            this.fingerprint = fingerprint;
        }

        static Production start(Path dir, boolean slow) throws Exception {
            PostgresCluster c = PostgresCluster.start(dir);
            try {
                c.createDatabase("production_copy");
                citext = c.psql("postgres", "SELECT count(*) FROM pg_available_extensions WHERE name = 'citext'").equals("1");
                c.psql("production_copy", citext
                        ? "CREATE SCHEMA heroku_ext; CREATE EXTENSION citext WITH SCHEMA heroku_ext"
                        : "CREATE SCHEMA heroku_ext; CREATE DOMAIN heroku_ext.citext AS text"); // no contrib here: a stand-in type
                c.psql("production_copy", """
                        CREATE TABLE users (id bigserial PRIMARY KEY, email heroku_ext.citext NOT NULL UNIQUE, name text NOT NULL);
                        CREATE TABLE posts (id serial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id),
                                            title text NOT NULL, published boolean NOT NULL DEFAULT false);
                        CREATE INDEX posts_user_id ON posts (user_id);
                        CREATE INDEX posts_published_title ON posts (lower(title)) WHERE published;
                        CREATE SEQUENCE invoice_numbers START 1000;
                        CREATE FUNCTION slugify(t text) RETURNS text LANGUAGE sql IMMUTABLE
                            AS $$ SELECT lower(regexp_replace(t, '[^A-Za-z0-9]+', '-', 'g')) $$;
                        CREATE VIEW published_posts AS
                            SELECT p.id, u.email, public.slugify(p.title) AS slug FROM posts p JOIN users u ON u.id = p.user_id WHERE p.published;
                        CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar);
                        INSERT INTO ar_internal_metadata VALUES ('environment', 'production');
                        """);
                c.psql("production_copy", "INSERT INTO users (email, name) SELECT 'User' || g || '@Example.com', 'User ' || g FROM generate_series(1, "
                        + USERS + ") g");
                c.psql("production_copy", "INSERT INTO posts (user_id, title, published) SELECT 1 + g % " + USERS
                        + ", 'Post number ' || g || '!', g % 3 = 0 FROM generate_series(1, " + POSTS + ") g");
                c.psql("production_copy", """
                        CREATE MATERIALIZED VIEW post_counts AS SELECT user_id, count(*) AS n FROM posts GROUP BY user_id;
                        SELECT setval('invoice_numbers', 1041);
                        """);
                String fingerprint = c.psql("production_copy", FINGERPRINT_SQL);
                byte[] dump = dump(c, dir, "production_copy");
                c.psql("postgres", "CREATE DATABASE other_copy TEMPLATE production_copy");
                c.psql("other_copy", "CREATE TABLE other_marker (id int); INSERT INTO other_marker VALUES (1)");
                byte[] other = dump(c, dir, "other_copy");
                byte[] slowDump = null;
                if (slow) {
                    c.psql("postgres", "CREATE DATABASE slow_copy TEMPLATE production_copy");
                    // every row's CHECK sleeps 10 ms (unless told not to, as here): pg_restore's COPY takes SLOW_SECONDS
                    c.psql("slow_copy", """
                            CREATE FUNCTION slow_ok(v int) RETURNS boolean LANGUAGE plpgsql AS $$
                            BEGIN
                                IF pg_catalog.current_setting('audit.fast', true) IS DISTINCT FROM 'on' THEN PERFORM pg_catalog.pg_sleep(0.01); END IF;
                                RETURN v IS NOT NULL;
                            END $$;
                            CREATE TABLE audit_log (id int PRIMARY KEY, v int CHECK (public.slow_ok(v)));
                            SET audit.fast = 'on';
                            INSERT INTO audit_log SELECT g, g FROM generate_series(1, %d) g;
                            """.formatted(SLOW_SECONDS * 100));
                    slowDump = dump(c, dir, "slow_copy");
                }
                return new Production(c, dump, other, slowDump, fingerprint);
            } catch (Exception | Error e) {
                c.close();
                throw e;
            }
        }

        static byte[] dump(PostgresCluster c, Path dir, String db) throws Exception {
            Path file = dir.resolve(db + ".dump");
            List<String> argv = new ArrayList<>(List.of(c.program("pg_dump"), "--format=custom", "--file", file.toString(),
                    "--host", c.host(), "--port", String.valueOf(c.port()), "--username", c.user()));
            // as on Heroku, the extension's schema is not in the dump (a stand-in domain would be lost with it)
            if (citext) argv.add("--exclude-schema=heroku_ext");
            argv.add(db);
            GitRepo.run(dir, argv.toArray(String[]::new));
            return Files.readAllBytes(file);
        }

        @Override
        public void close() {
            cluster.close();
        }
    }

    /** One test's world: the local database, a Rails repository, heroku's stand-in, the backup server. */
    static final class Bed implements AutoCloseable {
        static final String LOCAL_FINGERPRINT_SQL = "SELECT string_agg(note, ',' ORDER BY note) FROM precious";
        static final String LOCAL_ROWS = "local work,more local work";

        final Production production;
        final PostgresCluster cluster;
        final Path tmp;
        final GitRepo repo;
        final FakeHeroku heroku;
        final BackupServer server;
        final Map<String, String> env;
        final Path dumps;
        final List<Running> started = new ArrayList<>();

        Bed(Production production, Path tmp) throws Exception {
            this.production = production;
            this.cluster = production.cluster;
            this.tmp = tmp;
            for (String db : List.of(DEV_DB, TEMP_DB, PREVIOUS_DB)) {
                cluster.psql("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
            cluster.createDatabase(DEV_DB);
            cluster.psql(DEV_DB, "CREATE TABLE precious (note text); INSERT INTO precious VALUES ('local work'), ('more local work')");

            repo = GitRepo.init(tmp.resolve("myapp"), "main");
            // A Rails app: the database name comes from config/database.yml
            Files.createDirectories(repo.dir().resolve("config"));
            Files.writeString(repo.dir().resolve("config/database.yml"), """
                    default: &default
                      adapter: postgresql
                      pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>
                    development:
                      <<: *default
                      database: myapp_development
                    """);
            Files.writeString(repo.dir().resolve("Gemfile"), "gem 'rails'\n");
            repo.addHerokuRemote("production", "myapp-production", tmp.resolve("heroku-git"));
            heroku = new FakeHeroku(tmp);
            server = new BackupServer().serve(production.dump);
            env = Launcher.env(tmp.resolve("home"), heroku.binDir(), cluster.binDir());
            env.putAll(cluster.libpqEnv());
            env.put("FAKE_HEROKU_LOG", heroku.logDir().toString());
            env.put("FAKE_HEROKU_BACKUP_URL", server.url());
            dumps = tmp.resolve("home/.cache/parity/dumps");
        }

        Outcome restore(String... extra) throws Exception {
            List<String> args = new ArrayList<>(List.of("restore", "production"));
            args.addAll(List.of(extra));
            return launch("development", args.toArray(String[]::new));
        }

        Outcome launch(String launcher, String... args) throws Exception {
            return Launcher.run(repo.dir(), env, launcher, args);
        }

        Running start(String launcher, String... args) throws IOException {
            Running r = Running.start(repo.dir(), env, tmp, launcher, args);
            started.add(r);
            return r;
        }

        /** Makes the next run pause at {@code boundary} (PARITY_TEST_PAUSE) until the test opens the pause. */
        Pause pauseAt(String boundary) {
            Pause p = new Pause(boundary, tmp.resolve("resume-" + started.size()));
            env.put("PARITY_TEST_PAUSE", boundary);
            env.put("PARITY_TEST_RESUME", p.resume.toString());
            return p;
        }

        /** The runs' standard error, to see where they paused. */
        String errors() throws IOException {
            StringBuilder all = new StringBuilder();
            for (Running r : started) all.append(Files.readString(r.err));
            return all.toString();
        }

        /** A pause of the launched run at a named boundary. */
        final class Pause {
            final String boundary;
            final Path resume;

            Pause(String boundary, Path resume) {
                this.boundary = boundary;
                this.resume = resume;
            }

            boolean reached() {
                try {
                    return errors().contains("parity: test pause at " + boundary);
                } catch (IOException e) {
                    return false;
                }
            }

            void open() throws IOException {
                Files.writeString(resume, "");
                env.remove("PARITY_TEST_PAUSE");
                env.remove("PARITY_TEST_RESUME");
            }
        }

        String devOid() {
            return cluster.psql("postgres", "SELECT oid FROM pg_database WHERE datname = '" + DEV_DB + "'");
        }

        /** Databases of this app, sorted: the current one and its companions. */
        List<String> databases() {
            String s = cluster.psql("postgres", "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database WHERE datname LIKE 'myapp%'");
            return s.isEmpty() ? List.of() : List.of(s.split(","));
        }

        /**
         * The development database is the very one it was, with exactly its rows, and nothing
         * exists beside it but {@code leftovers} (what a killed run could not clean up).
         */
        void assertDevelopmentUntouched(String oid, String... leftovers) {
            assertEquals(oid, devOid(), "the same database, not a re-created one");
            assertEquals(LOCAL_ROWS, cluster.psql(DEV_DB, LOCAL_FINGERPRINT_SQL));
            assertEquals("precious", cluster.psql(DEV_DB, "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'"));
            List<String> expected = new ArrayList<>(List.of(DEV_DB));
            expected.addAll(List.of(leftovers));
            expected.sort(null);
            assertEquals(expected, databases(), "no temporary or previous database");
        }

        /** Production's schema and rows, and the Rails environment marked. */
        void assertProductionArrived() {
            assertEquals(production.fingerprint, cluster.psql(DEV_DB, Production.FINGERPRINT_SQL), "identical rows");
            assertEquals(Production.USERS + "|" + Production.POSTS,
                    cluster.psql(DEV_DB, "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM posts)"));
            assertEquals("posts_pkey,posts_published_title,posts_user_id,users_email_key,users_pkey",
                    cluster.psql(DEV_DB, "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'"
                            + " AND tablename IN ('users', 'posts')"));
            assertEquals("posts_user_id_fkey", cluster.psql(DEV_DB, "SELECT string_agg(conname, ',') FROM pg_constraint WHERE contype = 'f'"));
            // the extension's type, in heroku_ext, still compares case-insensitively
            assertEquals("heroku_ext|citext", cluster.psql(DEV_DB,
                    "SELECT n.nspname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace n ON n.oid = t.typnamespace"
                            + " WHERE a.attrelid = 'users'::regclass AND a.attname = 'email'"));
            if (Production.citext) {
                assertEquals("heroku_ext", cluster.psql(DEV_DB, "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'citext'"));
                assertEquals("1", cluster.psql(DEV_DB, "SET search_path = public, heroku_ext; SELECT id FROM users WHERE email = 'USER1@EXAMPLE.COM'"));
            }
            // the function and the views that use it
            assertEquals("post-number-3-", cluster.psql(DEV_DB, "SELECT slug FROM published_posts WHERE id = 3"));
            assertEquals("hello-world", cluster.psql(DEV_DB, "SELECT slugify('Hello, World')"));
            assertEquals(String.valueOf(Production.USERS), cluster.psql(DEV_DB, "SELECT count(*) FROM post_counts"));
            assertEquals("1041|t", cluster.psql(DEV_DB, "SELECT last_value, is_called FROM invoice_numbers"));
            assertEquals(Production.USERS + "|t", cluster.psql(DEV_DB, "SELECT last_value, is_called FROM users_id_seq"));
            assertEquals("development", cluster.psql(DEV_DB, "SELECT value FROM ar_internal_metadata WHERE key = 'environment'"));
            assertEquals("0", cluster.psql(DEV_DB, "SELECT count(*) FROM pg_tables WHERE tablename = 'precious'"));
            assertFalse(cluster.databaseExists(TEMP_DB), "the temporary database was swapped in");
        }

        void assertNoDumpLeft() throws IOException {
            assertEquals(List.of(), files(dumps), "no dump, part or error file stays behind");
        }

        void assertNoSecret(Outcome o) {
            assertFalse(o.out().contains(SECRET) || o.err().contains(SECRET), "the signed URL never prints: " + o);
        }

        static List<Path> files(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) return List.of();
            try (Stream<Path> s = Files.list(dir)) {
                return s.sorted().toList();
            }
        }

        @Override
        public void close() {
            for (Running r : started) r.destroy();
            server.close();
        }
    }

    /**
     * A loopback HTTP server standing in for a backup's signed URL: it answers only with the
     * signature, honours {@code Range}, and can cut a response once or every time at an offset,
     * or stall there until released. It logs each request's Range header ("-" for none).
     */
    static final class BackupServer implements AutoCloseable {
        private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
        private final ServerSocket socket;
        private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "backup-server");
            t.setDaemon(true);
            return t;
        });
        private final List<String> ranges = java.util.Collections.synchronizedList(new ArrayList<>());
        private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile byte[] body = new byte[0];
        private volatile int status = 200;
        private volatile long cutOnceAt = -1;
        private volatile long cutAlwaysAt = -1;
        private volatile long stallAt = -1;

        BackupServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            pool.execute(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        pool.execute(() -> handle(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        BackupServer serve(byte[] bytes) {
            body = bytes;
            status = 200;
            return this;
        }

        BackupServer failWith(int httpStatus) {
            status = httpStatus;
            return this;
        }

        /** The first response that reaches {@code offset} is cut there; later ones are whole. */
        BackupServer cutOnceAt(long offset) {
            cutOnceAt = offset;
            return this;
        }

        /** Every response stops at {@code offset}: the rest never arrives. */
        BackupServer cutAlwaysAt(long offset) {
            cutAlwaysAt = offset;
            return this;
        }

        /** Responses hang at {@code offset} until the server closes. */
        BackupServer stallAt(long offset) {
            stallAt = offset;
            return this;
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/backups/b042.dump?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=" + SECRET;
        }

        List<String> ranges() {
            synchronized (ranges) {
                return List.copyOf(ranges);
            }
        }

        long bytesSent() {
            return sent.get();
        }

        void clearLog() {
            ranges.clear();
            sent.set(0);
        }

        private void handle(Socket s) {
            try (s) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                String request = in.readLine();
                if (request == null) return;
                Map<String, String> headers = new HashMap<>();
                for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                    int colon = line.indexOf(':');
                    if (colon > 0) headers.put(line.substring(0, colon).strip().toLowerCase(), line.substring(colon + 1).strip());
                }
                String range = headers.get("range");
                ranges.add(range == null ? "-" : range);
                OutputStream out = s.getOutputStream();
                byte[] b = body;
                if (!request.contains(SECRET)) {
                    respond(out, 403, "Forbidden", "<Error><Code>SignatureDoesNotMatch</Code></Error>");
                    return;
                }
                if (status != 200) {
                    respond(out, status, "Error", "<html><body>AccessDenied</body></html>");
                    return;
                }
                long start = 0;
                long end = b.length - 1;
                Matcher m = range == null ? null : RANGE.matcher(range);
                String head;
                if (m != null && m.matches() && Long.parseLong(m.group(1)) < b.length) {
                    start = Long.parseLong(m.group(1));
                    if (!m.group(2).isEmpty()) end = Math.min(end, Long.parseLong(m.group(2)));
                    head = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + start + "-" + end + "/" + b.length + "\r\n";
                } else {
                    head = "HTTP/1.1 200 OK\r\n";
                }
                out.write((head + "Content-Type: application/octet-stream\r\nContent-Length: " + (end - start + 1)
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                long at = start;
                if (cutAlwaysAt >= 0 && at >= cutAlwaysAt) return; // nothing past the cut ever arrives
                while (at <= end) {
                    long stop = end + 1;
                    long once = cutOnceAt;
                    long always = cutAlwaysAt;
                    long stall = stallAt;
                    if (once > at && once < stop) stop = once;
                    if (always > at && always < stop) stop = always;
                    if (stall > at && stall < stop) stop = stall;
                    out.write(b, (int) at, (int) (stop - at));
                    out.flush();
                    sent.addAndGet(stop - at);
                    at = stop;
                    if (at > end) break;
                    if (at == once) {
                        cutOnceAt = -1;
                        return; // the connection drops
                    }
                    if (at == always) return;
                    if (at == stall) {
                        closed.await(); // hangs until the test is over
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        }

        private static void respond(OutputStream out, int status, String reason, String page) throws IOException {
            byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/html\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
        }

        @Override
        public void close() {
            closed.countDown();
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            pool.shutdownNow();
        }
    }

    /** A launcher running in the background, to be watched and signalled. */
    static final class Running {
        final Process process;
        final Path out;
        final Path err;
        final Map<String, String> env;

        private Running(Process process, Path out, Path err, Map<String, String> env) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.env = Map.copyOf(env);
        }

        static Running start(Path cwd, Map<String, String> env, Path tmp, String launcher, String... args) throws IOException {
            List<String> argv = new ArrayList<>(List.of(Launcher.BIN.resolve(launcher).toString()));
            argv.addAll(List.of(args));
            Path out = Files.createTempFile(tmp, "out", ".txt");
            Path err = Files.createTempFile(tmp, "err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null"));
            pb.environment().clear();
            pb.environment().putAll(env);
            return new Running(pb.start(), out, err, env);
        }

        /** The launcher execs the JVM: this is parity's own process. */
        long pid() {
            return process.pid();
        }

        void signal(String name) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-s", name, String.valueOf(pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
        }

        /** Polls {@code condition} every 20 ms for up to 60 s; fails with parity's output if parity exits first. */
        void waitFor(BooleanSupplier condition, String what) throws Exception {
            poll(condition, what, Duration.ofSeconds(60), false);
        }

        /** Polls {@code condition} for up to 10 s, whether or not parity still runs. */
        void waitAfterExit(BooleanSupplier condition, String what) throws Exception {
            poll(condition, what, Duration.ofSeconds(10), true);
        }

        private void poll(BooleanSupplier condition, String what, Duration limit, boolean evenAfterExit) throws Exception {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!condition.getAsBoolean()) {
                if (!evenAfterExit && !process.isAlive()) fail("parity exited (" + process.exitValue() + ") before " + what + ":\n" + output());
                if (System.nanoTime() > deadline) fail("timed out waiting until " + what + ":\n" + output());
                Thread.sleep(20);
            }
        }

        Outcome await() throws Exception {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("parity did not end:\n" + output());
            }
            return Launcher.assertNoSecret(new Outcome(process.exitValue(), Files.readString(out), Files.readString(err)), env);
        }

        String output() throws IOException {
            return "--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err);
        }

        void destroy() {
            process.destroyForcibly();
        }
    }

    /** A client holding a connection open, as a running Rails server would: idle, named. */
    static final class Session implements AutoCloseable {
        private final Process psql;
        private final PostgresCluster cluster;
        private final String name;

        private Session(Process psql, PostgresCluster cluster, String name) {
            this.psql = psql;
            this.cluster = cluster;
            this.name = name;
        }

        static Session open(PostgresCluster cluster, String database, String applicationName) throws Exception {
            ProcessBuilder pb = new ProcessBuilder(cluster.program("psql"), "-X", "-q", "--dbname", database)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(cluster.libpqEnv());
            pb.environment().put("PGAPPNAME", applicationName);
            Session s = new Session(pb.start(), cluster, applicationName);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!s.alive()) {
                if (!s.psql.isAlive() || System.nanoTime() > deadline) fail("psql " + applicationName + " did not connect");
                Thread.sleep(20);
            }
            return s;
        }

        /** Whether the server still has the session. */
        boolean alive() {
            return !cluster.psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + name + "'").equals("0");
        }

        @Override
        public void close() throws IOException {
            psql.getOutputStream().close(); // end of input: psql quits
            try {
                if (!psql.waitFor(10, TimeUnit.SECONDS)) psql.destroyForcibly();
            } catch (InterruptedException e) {
                psql.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
