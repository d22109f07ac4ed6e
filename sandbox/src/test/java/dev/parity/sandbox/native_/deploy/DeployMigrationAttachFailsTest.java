package dev.parity.sandbox.native_.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.native_.migrate.MigrateBed;
import dev.parity.sandbox.native_.migrate.MigrateBed.Result;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration's dyno is started but parity cannot attach to it (here: the sandbox's certificate
 * is not trusted): whether the migration runs is unknown, and the failure says so, names the dyno
 * and how to check it; nothing is restarted and the code is not rolled back (the migration may
 * still migrate the schema under it).
 */
class DeployMigrationAttachFailsTest {
    static final String APP = MigrateBed.APP;

    @TempDir
    Path tmp;
    MigrateBed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = new MigrateBed(tmp);
        bed.runningV2();
        bed.addPendingMigration();
        bed.migrateCommand("echo migrated");
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void theFailureSaysTheMigrationMayRunAndRollsNothingBack() throws Exception {
        bed.env.remove("NODE_EXTRA_CA_CERTS");
        Result r = bed.parity("production", "deploy", "--no-backup", "--maintenance");
        assertEquals(1, r.exitCode(), r.toString());
        String name = bed.oneOffs().isEmpty() ? "run." : bed.oneOffs().get(0).name;
        assertTrue(r.err().contains("cannot attach to run."), r.err());
        assertTrue(r.err().contains("; whether the migration runs in run."), r.err());
        assertTrue(r.err().contains(" is unknown: check `heroku ps --app " + APP + "` and `heroku logs --app " + APP + " --dyno-name run."),
                r.err());
        assertTrue(r.err().contains("no dyno was restarted; the code is not rolled back, as whether the migration ran is unknown"), r.err());
        assertEquals(0, bed.f.sandbox().requests().count("POST", "/apps/" + APP + "/releases"), "no rollback " + name);
        assertEquals(0, bed.restarts());
        assertEquals(3, bed.currentVersion());
        assertEquals("off", bed.maintenance());
    }
}
