package dev.parity.sandbox.native_.migrate;

import static dev.parity.sandbox.native_.migrate.MigrateBed.APP;
import static dev.parity.sandbox.native_.migrate.MigrateBed.DYNOS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.native_.migrate.MigrateBed.Result;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrate's failure paths on the sandbox, each with its exit code, its message, and nothing
 * destructive after it: no restart after a failed or unknown migration.
 */
class MigrateFailurePathsTest {
    @TempDir
    Path tmp;
    MigrateBed bed;
    Map<String, Long> restartsBefore;

    @BeforeEach
    void setUp() throws Exception {
        bed = new MigrateBed(tmp);
        restartsBefore = bed.restartCounts();
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    void assertNothingRestarted(Result r) {
        assertEquals(0, bed.restarts(), r.toString());
        assertEquals(restartsBefore, bed.restartCounts(), "no dyno restarted");
    }

    @Test
    void aSessionThatEndsWithoutAnExitStatusIsAFailureAndRestartsNothing() throws Exception {
        bed.migrateCommand("echo migrating; kill -9 $$");
        Result r = bed.parity("production", "migrate");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.out().contains("migrating"), r.toString());
        assertTrue(r.err().matches("(?s).*'run migration on " + APP + "' failed: No exit code returned from (run\\.\\d+): the "
                + "session ended without the migration's exit status, so whether it finished is unknown; check `heroku logs "
                + "--app " + APP + " --dyno-name \\1`; no dyno was restarted.*"), r.err());
        assertTrue(r.err().contains("not run: restart every dyno of " + APP), r.err());
        assertEquals(1, bed.migrationsRun());
        assertEquals(1, bed.dynosCreated());
        assertNothingRestarted(r);
        assertFalse(bed.recorded(), "an unknown outcome is not recorded as a schema change");
    }

    @Test
    void aReleaseThatIsNotReadyYetIsAskedForAgainAndTheMigrationRunsOnce() throws Exception {
        bed.migrateCommand("echo migrated");
        bed.f.sandbox().faults().failNext("POST", 2, 409);
        Result r = bed.parity("production", "migrate");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(2, r.err().split("the release of " + APP + " is not ready yet \\(HTTP 409\\): trying again", -1).length - 1,
                r.err());
        assertEquals(1, bed.dynosCreated());
        assertEquals(1, bed.migrationsRun());
        assertEquals(1, bed.restarts());
        assertTrue(bed.recorded());
    }

    @Test
    void aReleaseThatStaysNotReadyFailsWithNothingRunAndNothingRestarted() throws Exception {
        bed.migrateCommand("echo migrated");
        bed.f.sandbox().faults().failNext("POST", 3, 409);
        Result r = bed.parity("production", "migrate");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'run migration on " + APP + "' failed: cannot start the migration dyno: The release is "
                + "not ready yet. Please try again in a moment. (POST " + DYNOS + ", HTTP 409, conflict) (the release is not "
                + "ready yet; nothing ran: try again in a moment)"), r.err());
        assertTrue(r.err().contains("not run: restart every dyno of " + APP), r.err());
        assertEquals(0, bed.dynosCreated());
        assertEquals(0, bed.migrationsRun());
        assertNothingRestarted(r);
        assertFalse(bed.recorded());
    }

    @Test
    void aRestartThatFailsSaysTheMigrationSucceededAndHowToRestart() throws Exception {
        bed.migrateCommand("echo migrated");
        bed.f.sandbox().faults().failNext("DELETE", 4, 503); // past the client's retries
        Result r = bed.parity("production", "migrate");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("migrated\n", r.out());
        assertTrue(r.err().contains("'restart every dyno of " + APP + "' failed: cannot restart the dynos of " + APP
                + ": The API is temporarily unavailable. (DELETE " + DYNOS + ", HTTP 503, service_unavailable) (gave up after "
                + "4 attempts); the migration succeeded, but every dyno still runs as it booted before it: run "
                + "`production restart` once the API answers"), r.err());
        assertTrue(r.err().contains("not run: wait for every dyno of " + APP), r.err());
        assertEquals(1, bed.migrationsRun());
        assertTrue(bed.recorded(), "the migration did succeed: ps and doctor mark the dynos that predate it");
        assertNothingRestarted(r);
    }

    @Test
    void dynosThatCannotBeReadWhileWaitingFailWithWhatIsKnown() throws Exception {
        bed.migrateCommand("echo migrated");
        bed.f.sandbox().faults().failNext("GET", 4, 503); // the first look after the restart, past the client's retries
        Result r = bed.parity("production", "migrate");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'wait for every dyno of " + APP + " to be up after the migration' failed: cannot read "
                + "the dynos of " + APP + " while waiting for them: The API is temporarily unavailable. (GET " + DYNOS
                + ", HTTP 503, service_unavailable) (gave up after 4 attempts); the migration succeeded and the restart was "
                + "sent, but whether every dyno came back is unknown: check with `production ps`"), r.err());
        assertEquals(1, bed.migrationsRun());
        assertEquals(1, bed.restarts(), "restarted once, as asked");
        assertTrue(bed.recorded());
    }
}
