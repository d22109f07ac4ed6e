package dev.parity.sandbox.native_.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.native_.migrate.MigrateBed;
import dev.parity.sandbox.native_.migrate.MigrateBed.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.parity.sandbox.support.SandboxFixture;

/**
 * {@code --maintenance} on {@code deploy} and {@code migrate}: maintenance mode is on while the
 * migration runs and off again however the run ends, Ctrl-C included; what is said is the state
 * read back from the API (checked here with the pinned official CLI).
 */
class DeployMaintenanceTest {
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

    @Test
    void aDeployThatMigratesTurnsMaintenanceOnAndOffAroundIt() throws Exception {
        // the migration waits for the test, which reads maintenance mode meanwhile with the pinned CLI
        Path started = tmp.resolve("started");
        Path go = tmp.resolve("go");
        bed.migrateCommand("touch '" + started + "'; while [ ! -e '" + go + "' ]; do sleep 0.1; done; echo migrated");
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> bed.parity("production", "deploy", "--no-backup", "--maintenance"));
        SandboxFixture.await(Duration.ofSeconds(60), () -> Files.exists(started));
        String during = bed.maintenance();
        Files.createFile(go);
        Result r = run.get(120, TimeUnit.SECONDS);
        assertEquals("on", during, "maintenance was on while the migration ran");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("migrated\n", r.out());
        assertTrue(r.err().contains("all 3 dynos up on v3"), r.err());
        assertTrue(r.err().contains("parity: maintenance mode is off for " + APP + " (read back from the API)"), r.err());
        assertEquals("off", bed.maintenance());
        assertEquals(2, bed.maintenanceSwitches());
    }

    @Test
    void migrateWithMaintenanceTurnsItOffAgainWhenTheMigrationFails() throws Exception {
        bed.migrateCommand("exit 5");
        Result r = bed.parity("production", "migrate", "--maintenance");
        assertEquals(5, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: maintenance mode is off for " + APP + " (read back from the API)"), r.err());
        assertTrue(r.err().contains("not run: restart every dyno of " + APP), r.err());
        assertEquals("off", bed.maintenance());
        assertEquals(0, bed.restarts());
    }

    /** Ctrl-C while the migration runs: maintenance off again, and the interrupted line says so as the API reads it. */
    @ParameterizedTest(name = "production {0} --maintenance")
    @ValueSource(strings = {"deploy", "migrate"})
    void ctrlCDuringTheMigrationTurnsMaintenanceOffAndSaysItsState(String verb) throws Exception {
        // the migration runs until the test lets it end, so the signal always arrives while it runs
        Path started = tmp.resolve("started");
        Path go = tmp.resolve("go");
        bed.migrateCommand("echo started; touch '" + started + "'; while [ ! -e '" + go + "' ]; do sleep 0.1; done");
        Path err = Files.createTempFile(tmp, "parity", ".err");
        Process p = verb.equals("deploy") ? bed.start(err, Map.of(), "production", "deploy", "--no-backup", "--maintenance")
                : bed.start(err, Map.of(), "production", "migrate", "--maintenance");
        try {
            SandboxFixture.await(Duration.ofSeconds(120), () -> Files.exists(started));
            assertEquals("on", bed.maintenance(), "on while the migration runs");
            new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "parity ended");
        } finally {
            Files.writeString(go, ""); // the one-off dyno ends on its own, as it would on Heroku
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String said = Files.readString(err);
        assertEquals(130, p.exitValue(), said);
        String last = said.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("parity: interrupted by SIGINT during step "), said);
        assertTrue(last.contains("'run migration on " + APP + "'; "), said);
        assertTrue(last.endsWith("maintenance mode is off for " + APP + " (read back from the API)"), said);
        if (verb.equals("deploy")) {
            assertTrue(last.contains("v3 is the live release of " + APP + " (read back from the API)"), said);
        }
        assertEquals("off", bed.maintenance());
        assertEquals(0, bed.restarts(), "nothing restarted after the interrupt");
        for (Dyno d : bed.formation()) assertEquals("up", d.state, d.name);
    }
}
