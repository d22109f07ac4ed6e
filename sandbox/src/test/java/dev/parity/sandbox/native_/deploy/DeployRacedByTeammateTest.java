package dev.parity.sandbox.native_.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.native_.migrate.MigrateBed;
import dev.parity.sandbox.support.SandboxFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A teammate deploys right after parity's push, before parity looks for its release: the newest
 * release is the teammate's, not this push's. parity must not take it for its own (and migrate or
 * wait on it): it says what happened and stops, with maintenance mode off again.
 */
class DeployRacedByTeammateTest {
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
    void aTeammatesReleaseAfterThePushIsNotTakenForThisPushs() throws Exception {
        Path err = Files.createTempFile(tmp, "parity", ".err");
        Path resume = tmp.resolve("resume");
        // steps: maintenance on, push, find the new release: parity waits after its push (v3)
        Process p = bed.start(err, Map.of("PARITY_TEST_PAUSE", "step:3", "PARITY_TEST_RESUME", resume.toString()),
                "production", "deploy", "--no-backup", "--maintenance");
        try {
            SandboxFixture.await(Duration.ofSeconds(60), () -> said(err).contains("parity: test pause at step:3"));
            assertEquals(3, bed.currentVersion());
            Path teammate = tmp.resolve("teammate");
            assertEquals(0, bed.f.run(List.of("git", "clone", "-q", bed.f.sandbox().baseUrl() + "/" + APP + ".git", teammate.toString()), "",
                    tmp).exitCode());
            assertEquals(0, bed.f.run(List.of("git", "-c", "user.email=t@example.com", "-c", "user.name=T", "commit", "-q", "--allow-empty",
                    "-m", "hotfix"), "", teammate).exitCode());
            assertEquals(0, bed.f.run(List.of("git", "push", "-q", "origin", "main"), "", teammate).exitCode());
            assertEquals(4, bed.currentVersion(), "the teammate's deploy is v4");
            Files.createFile(resume);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "parity ended");
        } finally {
            p.destroyForcibly();
        }
        String said = said(err);
        assertEquals(1, p.exitValue(), said);
        String v4 = bed.app.currentRelease().orElseThrow().description;
        assertTrue(said.contains("v4 (" + v4 + ") was made after this push's v3: someone else deployed " + APP
                + " meanwhile, so parity stops here and migrates nothing"), said);
        assertFalse(said.contains("the push made v4"), said);
        assertEquals(0, bed.dynosCreated(), "no migration ran");
        assertEquals(0, bed.restarts());
        assertEquals("off", bed.maintenance());
        assertEquals(4, bed.currentVersion());
    }

    private static String said(Path err) {
        try {
            return Files.readString(err);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
