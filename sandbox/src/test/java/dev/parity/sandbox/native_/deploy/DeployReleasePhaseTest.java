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
 * {@code production deploy} of a commit whose Procfile has a {@code release:} line, real git
 * pushing to the sandbox, which runs the release phase: the new release is followed until it
 * succeeded or failed, and a failed one is a failed deploy that leaves the old release running.
 */
class DeployReleasePhaseTest {
    static final String APP = MigrateBed.APP;

    @TempDir
    Path tmp;
    MigrateBed bed;
    String before;

    @BeforeEach
    void setUp() throws Exception {
        bed = new MigrateBed(tmp);
        before = bed.runningV2(); // v2 runs `before`
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void aReleasePhaseThatSucceedsIsFollowedAndEveryDynoEndsUpOnTheNewRelease() throws Exception {
        String sha = bed.commit(Map.of("Procfile", "release: echo release-ran\nweb: ruby web.rb\nworker: ruby worker.rb\n",
                "db/migrate/002_add_email.rb", "add\n"));
        Result r = bed.parity("production", "deploy");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("  runs now:   v2 (commit " + before.substring(0, 7) + ")"), r.err());
        assertTrue(r.err().contains("  will run:   commit " + sha.substring(0, 7) + " (main)"), r.err());
        assertTrue(r.err().contains("  migrations: 1 pending: db/migrate/002_add_email.rb"), r.err());
        assertTrue(r.err().contains("  release phase: yes (release: echo release-ran)"), r.err());
        assertTrue(r.err().contains("parity: v3's release phase succeeded"), r.err());
        assertTrue(r.err().contains("all 3 dynos up on v3"), r.err());
        assertEquals(3, bed.currentVersion());
        for (Dyno d : bed.formation()) {
            assertEquals("up", d.state, d.name);
            assertEquals(3, d.releaseVersion, d.name);
        }
        assertEquals(0, bed.dynosCreated(), "the release phase migrates: parity starts no one-off dyno");
        assertEquals(0, bed.migrationsRun());
    }

    @Test
    void aReleasePhaseThatFailsExitsFourAndTheOldReleaseStillRunsOnUntouchedDynos() throws Exception {
        Map<String, Long> restarts = bed.restartCounts();
        bed.commit(Map.of("Procfile", "release: echo cannot-migrate; exit 1\nweb: ruby web.rb\nworker: ruby worker.rb\n"));
        Result r = bed.parity("production", "deploy");
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'follow the new release's release phase' failed: v3's release phase failed: "
                + "v2 still runs (the API's current release); the new code is not running"), r.err());
        assertTrue(r.err().contains("not run: wait for every dyno of " + APP + " to be up on the new release"), r.err());
        assertTrue(r.err().contains("parity: the last lines of v3's release command:\n  cannot-migrate\n"),
                "the release command's output, from output_stream_url\n" + r.err());
        assertEquals(2, bed.currentVersion(), "the old release is still current");
        bed.f.awaitReleaseQueue(bed.app);
        assertEquals(restarts, bed.restartCounts(), "no dyno restarted");
        for (Dyno d : bed.formation()) assertEquals(2, d.releaseVersion, d.name);
        assertEquals(0, bed.dynosCreated(), "nothing ran in a one-off dyno");
        assertEquals(0, bed.restarts());
    }

    @Test
    void theSameCodeAgainReleasesNothingAndSaysSo() throws Exception {
        Result r = bed.parity("production", "deploy");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("the same code: nothing new to release"), r.err());
        assertTrue(r.err().contains("  migrations: none pending"), r.err());
        assertEquals(2, bed.currentVersion());
        assertEquals(0, bed.dynosCreated());
        assertFalse(r.err().contains("failed"), r.err());
    }
}
