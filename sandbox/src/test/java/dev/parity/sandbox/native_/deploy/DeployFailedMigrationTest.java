package dev.parity.sandbox.native_.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.native_.migrate.MigrateBed;
import dev.parity.sandbox.native_.migrate.MigrateBed.Result;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code production deploy} whose migration fails: the deploy exits with the migration's status,
 * the code goes back to the release that ran before the push (through the Platform API, as
 * {@code heroku releases:rollback} does), every dyno is proven up on it, nothing is restarted for
 * the failed migration, and maintenance mode is off again when the deploy turned it on.
 */
class DeployFailedMigrationTest {
    static final String APP = MigrateBed.APP;

    @TempDir
    Path tmp;
    MigrateBed bed;
    String before;

    @BeforeEach
    void setUp() throws Exception {
        bed = new MigrateBed(tmp);
        before = bed.runningV2(); // v2 runs `before`
        bed.addPendingMigration();
        bed.migrateCommand("echo migrating; exit 3");
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void theCodeIsRolledBackAndEveryDynoIsUpOnTheOldCode() throws Exception {
        Result r = bed.parity("production", "deploy", "--no-backup");
        assertEquals(3, r.exitCode(), "the migration's status\n" + r);
        assertTrue(r.err().contains("'run migration on " + APP + "' failed: the migration exited with status 3; no dyno was restarted; "
                + "the code was rolled back to v2 (as v4): all 3 dynos up on v4"), r.err());
        assertTrue(r.err().contains("not run: restart every dyno of " + APP), r.err());
        assertEquals(1, bed.migrationsRun(), "the migration ran once and was not tried again");
        assertEquals(1, bed.dynosCreated());
        assertEquals(0, bed.restarts(), "nothing restarted for the failed migration (the rollback moves the dynos)");
        assertEquals(4, bed.currentVersion());
        assertEquals(before, bed.app.currentRelease().orElseThrow().commit, "the code from before the push runs");
        for (Dyno d : bed.formation()) {
            assertEquals("up", d.state, d.name);
            assertEquals(4, d.releaseVersion, d.name);
        }
        assertEquals("off", bed.maintenance());
    }

    @Test
    void withMaintenanceItIsOffAgainAfterTheFailureAndSaysSo() throws Exception {
        Result r = bed.parity("production", "deploy", "--no-backup", "--maintenance");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: maintenance mode is on for " + APP), r.err());
        assertTrue(r.err().contains("the code was rolled back to v2 (as v4)"), r.err());
        assertTrue(r.err().contains("parity: maintenance mode is off for " + APP + " (read back from the API)"), r.err());
        assertEquals("off", bed.maintenance());
        assertEquals(2, bed.maintenanceSwitches(), "on once, off once");
        assertEquals(before, bed.app.currentRelease().orElseThrow().commit);
    }

    @Test
    void noRollbackKeepsTheNewCodeAndSaysHowToRollBack() throws Exception {
        Result r = bed.parity("production", "deploy", "--no-backup", "--no-rollback");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("the new code keeps running (--no-rollback); roll it back with `heroku releases:rollback v2 --app " + APP + "`"),
                r.err());
        assertEquals(3, bed.currentVersion(), "no rollback release");
        assertFalse(before.equals(bed.app.currentRelease().orElseThrow().commit));
        assertEquals(0, bed.restarts());
    }
}
