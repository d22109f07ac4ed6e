package dev.parity.e2e;

import static dev.parity.e2e.RestoreIT.DEV_DB;
import static dev.parity.e2e.RestoreIT.PREVIOUS_DB;
import static dev.parity.e2e.RestoreIT.TEMP_DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.pgcluster.PostgresCluster;
import dev.parity.e2e.RestoreIT.Bed;
import dev.parity.e2e.RestoreIT.Production;
import dev.parity.e2e.RestoreIT.Running;
import dev.parity.support.Launcher.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code development restore production} interrupted by a signal to parity's own process (the
 * launcher execs the JVM): during the download, during pg_restore, and at every boundary between
 * steps, inside the swap before COMMIT and after the last step. SIGINT (Ctrl-C) and SIGTERM run
 * parity's clean-up, SIGKILL leaves nothing a chance to run. The development database is the very
 * one it was, with exactly its rows, until the swap commits; after SIGINT/SIGTERM nothing is left
 * behind and the last line says what is true; after SIGKILL the next restore clears what was.
 * Real programs do the work: pg_restore fills the temporary database from a dump with one table
 * that takes seconds to load (each row's CHECK calls a function that sleeps 10 ms).
 */
class RestoreInterruptIT {
    /** The exit status of a JVM ended by SIGINT (parity's "interrupted"), SIGTERM and SIGKILL. */
    static final int INTERRUPTED = 130;
    static final int TERMINATED = 143;
    static final int KILLED = 137;

    /** The steps of a Rails project's restore into development. */
    static final List<String> STEPS = List.of("check the local PostgreSQL", "find the latest backup of production (myapp-production)",
            "download the backup", "check the dump", "create the temporary database " + TEMP_DB, "create schema heroku_ext",
            "restore into " + TEMP_DB, "verify the restored database", "mark the database as development (Rails)",
            "swap it in as " + DEV_DB);

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

    /** SIGINT (Ctrl-C, to the whole process group) and SIGTERM (to parity alone) during the download. */
    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalDuringTheDownloadRemovesThePartialDump(String signal) throws Exception {
        int half = production.dump.length / 2;
        bed.server.stallAt(half);
        Running run = bed.start("development", "restore", "production");
        run.waitFor(() -> partSize() == half, "half the dump is on disk");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(part())), "private while it downloads");

        run.signal(signal);
        Outcome o = run.await();
        assertEquals(signal.equals("INT") ? INTERRUPTED : TERMINATED, o.exitCode(), o.toString());
        assertTrue(o.err().contains(DEV_DB + " was not changed"), o.err());
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

    /** SIGTERM reaches parity alone, not its process group as Ctrl-C does: its pg_restore must still end with it. */
    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalDuringPgRestoreEndsItAndDropsTheTemporaryDatabase(String signal) throws Exception {
        Running run = startSlowRestore();
        run.signal(signal);
        Outcome o = run.await();
        assertEquals(signal.equals("INT") ? INTERRUPTED : TERMINATED, o.exitCode(), o.toString());
        assertTrue(o.err().contains(DEV_DB + " was not changed"), o.err());
        assertFalse(cluster.databaseExists(TEMP_DB), "the temporary database is dropped at once");
        assertEquals("0", restoreSessions(), "pg_restore's sessions were ended with it");
        bed.assertDevelopmentUntouched(oid);
        bed.assertNoDumpLeft();
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

    // ---- every boundary: between steps, inside the swap before COMMIT, after the last step -------

    /*
     * Stopped at each boundary (parity pauses there when PARITY_TEST_PAUSE names it). Then the truth
     * is read from the server: the development database is the very one it was (same oid, same rows)
     * or, once the swap has committed, the restored copy with the old one kept; nothing is left after
     * SIGINT/SIGTERM; parity's last line says exactly which; after SIGKILL the next restore succeeds.
     */

    static Stream<Arguments> boundaries() {
        List<Arguments> all = new ArrayList<>();
        List<String> points = new ArrayList<>();
        for (int i = 1; i <= STEPS.size(); i++) points.add("step:" + i);
        points.add("swap:uncommitted");
        points.add("end");
        for (String point : points) {
            for (String signal : List.of("INT", "TERM", "KILL")) all.add(Arguments.of(point, signal));
        }
        return all.stream();
    }

    /** Whether the swap has committed once parity is stopped at {@code point} (SIGKILL: before COMMIT it never does). */
    static boolean swappedAt(String point, String signal) {
        return point.equals("end") || point.equals("swap:uncommitted") && !signal.equals("KILL");
    }

    @ParameterizedTest(name = "{1} at {0}")
    @MethodSource("boundaries")
    void theTruthAfterASignal(String point, String signal) throws Exception {
        bed.env.put("PARITY_TEST_PAUSE", point);
        Running run = bed.start("development", "restore", "production");
        run.waitFor(() -> read(run.err).contains("parity: test pause at " + point), "parity paused at " + point);
        run.signal(signal);
        Outcome o = run.await();
        bed.assertNoSecret(o);
        List<String> lines = o.err().lines().filter(l -> l.startsWith("parity: ")).toList();
        String last = lines.get(lines.size() - 1);
        boolean swapped = swappedAt(point, signal);

        if (signal.equals("KILL")) {
            assertEquals(137, o.exitCode(), o.toString());
            if (swapped) {
                assertSwapped();
            } else {
                assertEquals(oid, bed.devOid(), "the same database, not a re-created one: " + o);
                assertEquals(Bed.LOCAL_ROWS, cluster.psql(DEV_DB, Bed.LOCAL_FINGERPRINT_SQL));
                assertFalse(cluster.databaseExists(PREVIOUS_DB), "no swap happened");
            }
            // the next run clears what the killed one left and finishes
            bed.env.remove("PARITY_TEST_PAUSE");
            Outcome next = bed.restore();
            assertEquals(0, next.exitCode(), next.toString());
            bed.assertProductionArrived();
            assertEquals(List.of(DEV_DB, PREVIOUS_DB), bed.databases(), "no " + TEMP_DB + " left");
            bed.assertNoDumpLeft();
            return;
        }

        assertEquals(signal.equals("INT") ? 130 : 143, o.exitCode(), o.toString());
        assertFalse(cluster.databaseExists(TEMP_DB), "the temporary database is dropped: " + o);
        bed.assertNoDumpLeft();
        if (swapped) {
            assertSwapped();
            assertTrue(last.startsWith("parity: interrupted by SIG" + signal + " ") && last.contains(DEV_DB + " is now the restored copy; the database you had is kept as " + PREVIOUS_DB
                    + " (put it back with: development restore --undo)"), o.toString());
        } else {
            bed.assertDevelopmentUntouched(oid);
            int step = Integer.parseInt(point.substring("step:".length()));
            String where = "parity: interrupted by SIG" + signal + " before step " + step + "/" + STEPS.size() + " '" + STEPS.get(step - 1) + "'";
            // from step 2 on, the run holds the server's truth; before it, nothing was begun
            assertEquals(step == 1 ? where : where + "; " + DEV_DB + " was not changed", last, o.toString());
        }
    }

    /** The restored copy has the name; the database that had it is kept, with its rows. */
    private void assertSwapped() {
        bed.assertProductionArrived();
        assertEquals(oid, cluster.psql("postgres", "SELECT oid FROM pg_database WHERE datname = '" + PREVIOUS_DB + "'"), "the one you had, kept");
        assertEquals(Bed.LOCAL_ROWS, cluster.psql(PREVIOUS_DB, Bed.LOCAL_FINGERPRINT_SQL));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
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
