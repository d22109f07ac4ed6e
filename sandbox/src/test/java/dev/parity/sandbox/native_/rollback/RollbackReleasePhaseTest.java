package dev.parity.sandbox.native_.rollback;

import static dev.parity.sandbox.native_.rollback.RollbackBed.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.native_.rollback.RollbackBed.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollback to code with a release phase runs it, as Heroku does: parity follows the new release
 * until it succeeded or failed; and a dyno that crashes on the rollback's release is named.
 */
class RollbackReleasePhaseTest {
    @TempDir
    Path tmp;
    RollbackBed bed;
    Path refuse;
    Path armed;
    Path gate;

    @BeforeEach
    void setUp() throws Exception {
        bed = new RollbackBed(tmp);
        refuse = tmp.resolve("refuse-release");
        armed = tmp.resolve("armed");
        gate = tmp.resolve("gate");
        // once armed, the release phase waits for the gate: the test sees the release pending
        bed.deploy("the shop", Map.of("Procfile", "release: echo releasing; test ! -e " + refuse + " && { [ ! -e " + armed
                + " ] || while [ ! -e " + gate + " ]; do sleep 0.05; done; }\nweb: ruby old.rb\n"));
        bed.deploy("prices", Map.of("Procfile", "web: ruby new.rb\n"));
        assertEquals(3, bed.app.currentVersion());
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void theTargetsReleasePhaseIsFollowedUntilItSucceeds() throws Exception {
        Files.writeString(armed, "");
        java.util.concurrent.CompletableFuture<Result> rollback =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> bed.parity("production", "rollback", "--confirm", APP));
        dev.parity.sandbox.support.SandboxFixture.await(java.time.Duration.ofSeconds(20), () -> bed.releases() == 4);
        synchronized (bed.app) {
            assertEquals("pending", bed.app.releases.get(3).status);
        }
        for (Dyno d : bed.formation()) assertEquals(3, d.releaseVersion, d.name);
        Files.writeString(gate, "");
        Result r = rollback.get();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: v4 runs its release phase; waiting for it"), r.err());
        assertEquals(4, bed.app.currentVersion());
        for (Dyno d : bed.formation()) assertEquals(4, d.releaseVersion, d.name);
        assertTrue(r.out().contains("production (" + APP + ") runs v4 (Rollback to v2)"), r.toString());
    }

    @Test
    void aFailedReleasePhaseFailsTheRollbackAndTheCurrentReleaseKeepsRunning() throws Exception {
        Files.writeString(refuse, "");
        Map<String, Instant> booted = bed.bootTimes();
        Result r = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'roll back " + APP + "' failed: the release phase of v4 failed: v3 still runs; see `heroku "
                + "releases:output v4 --app " + APP + "`"), r.err());
        assertTrue(r.err().contains("not run: wait for every dyno of " + APP), r.err());
        assertEquals(3, bed.app.currentVersion());
        assertEquals(booted, bed.bootTimes(), "no dyno restarted");
    }

    @Test
    void aDynoThatCrashesOnTheRollbacksReleaseIsNamed() throws Exception {
        bed.f.sandbox().crashOnBoot("worker", true);
        Result r = bed.parity("production", "rollback", "--confirm", APP, "--wait", "20s");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'wait for every dyno of " + APP + " to be up on the rollback's release' failed: not every dyno is "
                + "up on v4 (the rollback to v2): worker.1 crashed on v4 (2 of 3 up)"), r.err());
    }
}
