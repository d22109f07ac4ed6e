package dev.parity.e2e;

import static dev.parity.e2e.RestoreIT.DEV_DB;
import static dev.parity.e2e.RestoreIT.PREVIOUS_DB;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code development restore production} stopped by SIGINT, SIGTERM and SIGKILL at every boundary
 * between its steps, inside the swap's transaction before COMMIT, and after the last step (parity
 * pauses there when PARITY_TEST_PAUSE names the boundary). Then the truth is read from the server:
 * the development database is the very one it was (same oid, same rows) or, once the swap has
 * committed, the restored copy with the old one kept; no temporary database or file is left after
 * SIGINT/SIGTERM; parity's last line says exactly which; after SIGKILL the next restore succeeds and
 * leaves nothing behind.
 */
class RestoreInterruptMatrixIT {
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
        production = Production.start(shared, false);
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
}
