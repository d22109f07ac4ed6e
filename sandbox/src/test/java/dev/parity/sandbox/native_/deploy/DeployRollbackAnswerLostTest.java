package dev.parity.sandbox.native_.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.native_.migrate.MigrateBed;
import dev.parity.sandbox.native_.migrate.MigrateBed.Result;
import dev.parity.sandbox.support.SandboxFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code rollback after a failed migration whose POST is carried out but its answer is lost:
 * what parity says is read back from the releases (the rollback was made), never the guess that
 * the new code still runs, and the POST is not sent twice.
 */
class DeployRollbackAnswerLostTest {
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
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void aLostAnswerToTheRollbackIsReadBackFromTheReleases() throws Exception {
        // the fault is armed while the migration runs, so that the next POST is the rollback's (the push is a POST too)
        Path started = tmp.resolve("started");
        Path go = tmp.resolve("go");
        bed.migrateCommand("touch '" + started + "'; while [ ! -e '" + go + "' ]; do sleep 0.1; done; exit 3");
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> bed.parity("production", "deploy", "--no-backup"));
        SandboxFixture.await(Duration.ofSeconds(60), () -> Files.exists(started));
        bed.f.sandbox().faults().failNextAfterHandling("POST", 1, 503);
        Files.createFile(go);
        Result r = run.get(120, TimeUnit.SECONDS);
        assertEquals(3, r.exitCode(), r.toString());
        assertFalse(r.err().contains("the new code still runs"), r.err());
        assertTrue(r.err().contains("the releases show v4 (Rollback to v2): the rollback was made"), r.err());
        assertTrue(r.err().contains("the code was rolled back to v2 (as v4): all 3 dynos up on v4"), r.err());
        assertEquals(1, bed.f.sandbox().requests().count("POST", "/apps/" + APP + "/releases"), "the rollback was sent once");
        assertEquals(4, bed.currentVersion());
        assertEquals(before, bed.app.currentRelease().orElseThrow().commit);
    }

    @Test
    void aLostAnswerWithoutARollbackReleaseSaysWhatIsLive() throws Exception {
        Path started = tmp.resolve("started");
        Path go = tmp.resolve("go");
        bed.migrateCommand("touch '" + started + "'; while [ ! -e '" + go + "' ]; do sleep 0.1; done; exit 3");
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> bed.parity("production", "deploy", "--no-backup"));
        SandboxFixture.await(Duration.ofSeconds(60), () -> Files.exists(started));
        bed.f.sandbox().faults().failNext("POST", 1, 503); // refused before it is carried out: a 5xx is still a lost answer to parity
        Files.createFile(go);
        Result r = run.get(120, TimeUnit.SECONDS);
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("the releases show no 'Rollback to v2': the rollback was not made; v3 is the live release "
                + "(read back from the API); check `heroku releases --app " + APP + "` before rolling back with "
                + "`heroku releases:rollback v2 --app " + APP + "`"), r.err());
        assertEquals(3, bed.currentVersion());
    }
}
