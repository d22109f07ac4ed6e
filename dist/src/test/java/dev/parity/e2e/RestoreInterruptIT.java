package dev.parity.e2e;

import static dev.parity.e2e.RestoreIT.DEV_DB;
import static dev.parity.e2e.RestoreIT.TEMP_DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.db.PostgresCluster;
import dev.parity.e2e.RestoreIT.Bed;
import dev.parity.e2e.RestoreIT.Production;
import dev.parity.e2e.RestoreIT.Running;
import dev.parity.support.Launcher.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code development restore production} interrupted at each stage by a signal to parity's own
 * process (the launcher execs the JVM): SIGINT (Ctrl-C) runs parity's clean-up, SIGKILL leaves
 * nothing a chance to run. Either way the development database is the very one it was, with exactly
 * its rows; after SIGINT nothing is left behind, after SIGKILL the next restore clears what was.
 * Real programs do the work: pg_restore fills the temporary database from a dump with one table
 * that takes seconds to load (each row's CHECK calls a function that sleeps 10 ms), and a psql
 * stand-in only holds back one statement before running the real psql.
 */
class RestoreInterruptIT {
    /** The exit status of a JVM ended by SIGINT (parity's "interrupted"), SIGTERM and SIGKILL. */
    static final int INTERRUPTED = 130;
    static final int TERMINATED = 143;
    static final int KILLED = 137;

    @TempDir
    static Path shared;
    static Production production;

    @TempDir
    Path tmp;
    Bed bed;
    PostgresCluster cluster;
    String oid;

    @BeforeAll
    static void startPostgres() throws Exception {
        production = Production.start(shared, true);
    }

    @AfterAll
    static void stopPostgres() {
        if (production != null) production.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        bed = new Bed(production, tmp);
        cluster = production.cluster;
        oid = bed.devOid();
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    // ---- during the download ------------------------------------------------------------------

    @Test
    void sigintDuringTheDownloadRemovesThePartialDump() throws Exception {
        int half = production.dump.length / 2;
        bed.server.stallAt(half);
        Running run = bed.start("development", "restore", "production");
        run.waitFor(() -> partSize() == half, "half the dump is on disk");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(part())), "private while it downloads");

        run.signal("INT");
        Outcome o = run.await();
        assertEquals(INTERRUPTED, o.exitCode(), o.toString());
        bed.assertNoDumpLeft();
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoSecret(o);
    }

    @Test
    void sigintDuringTheDownloadWithKeepDumpLeavesAPrivatePartThatTheNextRunResumes() throws Exception {
        int half = production.dump.length / 2;
        bed.server.stallAt(half);
        Running run = bed.start("development", "restore", "production", "--keep-dump");
        run.waitFor(() -> partSize() == half, "half the dump is on disk");
        run.signal("INT");
        Outcome o = run.await();
        assertEquals(INTERRUPTED, o.exitCode(), o.toString());
        assertEquals(List.of(part()), Bed.files(bed.dumps), "the part is kept to be resumed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(part())));
        bed.assertDevelopmentUntouched(oid);

        bed.server.stallAt(-1);
        bed.server.clearLog();
        Outcome next = bed.restore("--keep-dump");
        assertEquals(0, next.exitCode(), next.toString());
        assertEquals(List.of("bytes=0-4095", "bytes=" + half + "-"), bed.server.ranges(), "only the missing half is fetched");
        assertTrue(next.err().contains("resumed at"), next.err());
        bed.assertProductionArrived();
        bed.assertNoSecret(next);
    }

    @Test
    void sigkillDuringTheDownloadLeavesTheDatabaseAndTheNextRunFinishesCleanly() throws Exception {
        int half = production.dump.length / 2;
        bed.server.stallAt(half);
        Running run = bed.start("development", "restore", "production");
        run.waitFor(() -> partSize() == half, "half the dump is on disk");
        run.signal("KILL");
        Outcome o = run.await();
        assertEquals(KILLED, o.exitCode(), o.toString());
        bed.assertDevelopmentUntouched(oid);

        bed.server.stallAt(-1);
        Outcome next = bed.restore();
        assertEquals(0, next.exitCode(), next.toString());
        bed.assertProductionArrived();
        bed.assertNoDumpLeft();
        assertEquals(List.of(DEV_DB, RestoreIT.PREVIOUS_DB), bed.databases());
    }

    // ---- during pg_restore --------------------------------------------------------------------

    @Test
    void sigintDuringPgRestoreDropsTheTemporaryDatabase() throws Exception {
        Running run = startSlowRestore();
        run.signal("INT");
        Outcome o = run.await();
        assertEquals(INTERRUPTED, o.exitCode(), o.toString());
        assertFalse(cluster.databaseExists(TEMP_DB), "the temporary database is dropped at once");
        assertEquals("0", restoreSessions(), "pg_restore's sessions were ended with it");
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
        bed.assertNoSecret(o);
    }

    /** SIGTERM reaches parity alone (not its process group, as Ctrl-C does): its pg_restore must still end with it. */
    @Test
    void sigtermDuringPgRestoreEndsItAndDropsTheTemporaryDatabase() throws Exception {
        Running run = startSlowRestore();
        run.signal("TERM");
        Outcome o = run.await();
        assertEquals(TERMINATED, o.exitCode(), o.toString());
        assertTrue(o.err().contains(DEV_DB + " was not changed"), o.err());
        assertFalse(cluster.databaseExists(TEMP_DB), "the temporary database is dropped at once");
        assertEquals("0", restoreSessions(), "pg_restore's sessions were ended with it");
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
        bed.assertNoSecret(o);
    }

    @Test
    void sigtermDuringTheDownloadRemovesThePartialDump() throws Exception {
        int half = production.dump.length / 2;
        bed.server.stallAt(half);
        Running run = bed.start("development", "restore", "production");
        run.waitFor(() -> partSize() == half, "half the dump is on disk");
        run.signal("TERM");
        Outcome o = run.await();
        assertEquals(TERMINATED, o.exitCode(), o.toString());
        assertTrue(o.err().contains(DEV_DB + " was not changed"), o.err());
        bed.assertNoDumpLeft();
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoSecret(o);
    }

    @Test
    void sigkillDuringPgRestoreLeavesTheDatabaseAndTheNextRunDropsTheLeftover() throws Exception {
        Running run = startSlowRestore();
        run.signal("KILL");
        Outcome o = run.await();
        assertEquals(KILLED, o.exitCode(), o.toString());
        // nothing ran parity's clean-up: its pg_restore goes on filling the temporary database
        assertTrue(cluster.databaseExists(TEMP_DB));
        bed.assertDevelopmentUntouched(oid, TEMP_DB);

        bed.server.serve(production.dump);
        Outcome next = bed.restore();
        assertEquals(0, next.exitCode(), next.toString());
        bed.assertProductionArrived();
        assertEquals("0", cluster.psql(DEV_DB, "SELECT count(*) FROM pg_tables WHERE tablename = 'audit_log'"), "no rows of the killed run");
        assertEquals(List.of(DEV_DB, RestoreIT.PREVIOUS_DB), bed.databases(), "no " + TEMP_DB + " left");
        assertEquals("0", restoreSessions());
        bed.assertNoDumpLeft();
    }

    // the boundaries between steps, inside the swap and after it: RestoreInterruptMatrixIT

    // ---- helpers ------------------------------------------------------------------------------

    /** Starts a restore of the slow dump and returns once pg_restore is copying rows into the temporary database. */
    private Running startSlowRestore() throws Exception {
        bed.server.serve(production.slowDump);
        Running run = bed.start("development", "restore", "production");
        run.waitFor(() -> cluster.psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + TEMP_DB
                + "' AND application_name = 'pg_restore' AND query LIKE 'COPY public.audit_log%'").equals("1"), "pg_restore copies audit_log");
        return run;
    }

    private String restoreSessions() {
        return cluster.psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_restore'");
    }

    private Path part() {
        return bed.dumps.resolve("myapp-production-b042.dump.part");
    }

    private long partSize() {
        try {
            return Files.size(part());
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
