package dev.parity.sandbox.native_.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.Dyno;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A signal to a real parity JVM while its migration runs in a one-off dyno: leaving does not stop
 * the dyno for sure (it hangs up on it), so the interrupted line names it as the API lists it then (the migration may still
 * change the database) and how to follow it; interrupted before the migration started, the line
 * says nothing of a migration dyno.
 */
class InterruptedMigrationDynoTest {
    static final String APP = MigrateBed.APP;

    @TempDir
    Path tmp;
    MigrateBed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = new MigrateBed(tmp);
        bed.runningV2();
        bed.addPendingMigration();
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @ParameterizedTest(name = "SIGTERM to production {0} --maintenance")
    @ValueSource(strings = {"deploy", "migrate"})
    void theLineNamesTheMigrationsDynoAsTheApiListsIt(String verb) throws Exception {
        bed.migrateCommand("echo started; sleep 60");
        Path err = Files.createTempFile(tmp, "parity", ".err");
        Process p = verb.equals("deploy") ? bed.start(err, Map.of(), "production", "deploy", "--no-backup", "--maintenance")
                : bed.start(err, Map.of(), "production", "migrate", "--maintenance");
        String dyno;
        try {
            SandboxFixture.await(Duration.ofSeconds(60), () -> !bed.oneOffs().isEmpty() && bed.oneOffs().get(0).state.equals("up"));
            dyno = bed.oneOffs().get(0).name;
            new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "parity ended");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String said = Files.readString(err);
        assertEquals(143, p.exitValue(), said);
        String last = said.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("parity: interrupted by SIGTERM during step "), said);
        // while the line is written the session is still open: the API lists the dyno up, and parity's leaving need not end it
        assertTrue(last.contains("the migration's dyno " + dyno + " is up (read back from the API): parity's leaving only hangs up on it, so "
                + "the migration may still be running; follow it with `heroku logs --tail --app " + APP + " --dyno-name " + dyno + "`"), said);
        assertTrue(last.endsWith("maintenance mode is off for " + APP + " (read back from the API)"), said);
        assertEquals("off", bed.maintenance());
        assertEquals(0, bed.restarts());
    }

    @Test
    void interruptedBeforeTheMigrationStartedTheLineNamesNoMigrationDyno() throws Exception {
        bed.migrateCommand("echo migrated");
        Path err = Files.createTempFile(tmp, "parity", ".err");
        // steps: maintenance on, push, find the new release, run the migration: stop just before the migration
        Process p = bed.start(err, Map.of("PARITY_TEST_PAUSE", "step:4"), "production", "deploy", "--no-backup", "--maintenance");
        try {
            SandboxFixture.await(Duration.ofSeconds(60), () -> said(err).contains("parity: test pause at step:4"));
            new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "parity ended");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String said = Files.readString(err);
        assertEquals(130, p.exitValue(), said);
        String last = said.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("parity: interrupted by SIGINT"), said);
        assertTrue(last.contains("v3 is the live release of " + APP + " (read back from the API)"), said);
        assertFalse(last.contains("dyno"), "no migration dyno was started, so none is named: " + said);
        assertEquals(0, bed.dynosCreated());
        assertEquals(0, bed.migrationsRun());
        assertEquals("off", bed.maintenance());
        for (Dyno d : bed.formation()) assertEquals("up", d.state, d.name);
    }

    private static String said(Path err) {
        try {
            return Files.readString(err);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
