package dev.parity.sandbox.native_.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.native_.migrate.MigrateBed;
import dev.parity.sandbox.support.SandboxFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A teammate's release (here a config change with the pinned official CLI) lands after parity read
 * what runs now and before its push. When the migration then fails, the code goes back to the
 * release that ran right before the push, as the API lists it, not to the one the preamble read:
 * that would silently undo the teammate's release.
 */
class DeployTeammateReleaseTest {
    static final String APP = MigrateBed.APP;

    @TempDir
    Path tmp;
    MigrateBed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = new MigrateBed(tmp);
        bed.runningV2();
        bed.addPendingMigration();
        bed.migrateCommand("echo migrating; exit 3");
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void theCodeGoesBackToTheReleaseThatRanRightBeforeThePush() throws Exception {
        Path err = Files.createTempFile(tmp, "parity", ".err");
        Path resume = tmp.resolve("resume");
        // steps: maintenance on, push: parity waits just before its push, after its preamble read v2
        Process p = bed.start(err, Map.of("PARITY_TEST_PAUSE", "step:2", "PARITY_TEST_RESUME", resume.toString()),
                "production", "deploy", "--no-backup", "--maintenance");
        try {
            SandboxFixture.await(Duration.ofSeconds(60), () -> said(err).contains("parity: test pause at step:2"));
            SandboxFixture.Outcome set = bed.f.heroku("config:set", "FEATURE=on", "--app", APP);
            assertEquals(0, set.exitCode(), set.toString());
            assertEquals(3, bed.currentVersion(), "the teammate's config change is v3");
            Files.createFile(resume);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "parity ended");
        } finally {
            p.destroyForcibly();
        }
        String said = said(err);
        assertEquals(3, p.exitValue(), said);
        assertTrue(said.contains("runs now:   v2"), said);
        assertTrue(said.contains("parity: the push made v4"), said);
        assertTrue(said.contains("parity: v3 was made after parity read v2 as the live release (another deploy or a config change): "
                + "it is the release that ran right before the push"), said);
        assertTrue(said.contains("the code was rolled back to v3 (as v5): all 3 dynos up on v5"), said);
        assertEquals(5, bed.currentVersion());
        SandboxFixture.Outcome get = bed.f.heroku("config:get", "FEATURE", "--app", APP);
        assertEquals("on", get.out().strip(), "the teammate's config change still holds\n" + get);
        assertEquals("off", bed.maintenance());
    }

    private static String said(Path err) {
        try {
            return Files.readString(err);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
