package dev.parity.sandbox.native_.migrate;

import static dev.parity.sandbox.native_.migrate.MigrateBed.APP;
import static dev.parity.sandbox.native_.migrate.MigrateBed.DYNOS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.native_.migrate.MigrateBed.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /apps/APP/dynos} starts a migration dyno each time the API carries it out, so when
 * its answer is lost parity looks for the dyno it made instead of asking again: exactly one
 * migration runs, or parity stops and says what may be running.
 */
class MigrateStartsOneDynoTest {
    @TempDir
    Path tmp;
    MigrateBed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = new MigrateBed(tmp);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    /** The lost answer was followed by the dyno's discovery, one migration, the restart and the wait. */
    void assertRanOnceAndRestarted(Result r) throws Exception {
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("migrated\n", r.out(), r.toString());
        assertEquals(1, bed.dynosCreated(), "one migration dyno made\n" + r);
        assertEquals(1, bed.migrationsRun(), "the migration ran once\n" + r);
        assertTrue(r.err().contains("looking for the migration dyno it may have started"), r.err());
        assertTrue(r.err().matches("(?s).*found run\\.\\d+, started by that request: continuing with it.*"), r.err());
        assertEquals(1, bed.restarts(), r.toString());
        assertTrue(r.err().contains("all 3 dynos up after the migration"), r.err());
        assertTrue(bed.recorded());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 503})
    void anErrorAnswerAfterTheDynoWasMadeContinuesWithThatDyno(int status) throws Exception {
        bed.migrateCommand("echo migrated");
        bed.f.sandbox().faults().failNextAfterHandling("POST", 1, status);
        Result r = bed.parity("production", "migrate");
        assertRanOnceAndRestarted(r);
        assertTrue(r.err().contains("(POST " + DYNOS + ", HTTP " + status), r.err());
    }

    @Test
    void aConnectionDroppedAfterTheDynoWasMadeContinuesWithThatDyno() throws Exception {
        bed.migrateCommand("echo migrated");
        bed.f.sandbox().faults().dropNextAfterHandling("POST", 1);
        Result r = bed.parity("production", "migrate");
        assertRanOnceAndRestarted(r);
        assertTrue(r.err().contains("broke after POST " + DYNOS + " was sent"), r.err());
    }

    @Test
    void noAnswerWithinTheApiTimeoutContinuesWithTheDynoTheRequestMade() throws Exception {
        bed.env.put("PARITY_API_TIMEOUT", "1");
        bed.migrateCommand("echo migrated");
        bed.f.sandbox().faults().delayNextAnswer("POST", 1, 4000);
        Result r = bed.parity("production", "migrate");
        assertRanOnceAndRestarted(r);
        assertTrue(r.err().contains("no answer to POST " + DYNOS + " within 1 s"), r.err());
    }

    @Test
    void anErrorWithNoDynoMadeStopsSayingWhatMayBeRunningAndStartsNone() throws Exception {
        Map<String, Long> before = bed.restartCounts();
        bed.migrateCommand("echo migrated");
        bed.f.sandbox().faults().failNext("POST", 1, 503); // refused before anything was made: parity cannot know that
        Result r = bed.parity("production", "migrate");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'run migration on " + APP + "' failed: cannot start the migration dyno: "
                + "The API is temporarily unavailable. (POST " + DYNOS + ", HTTP 503, service_unavailable); no dyno of "
                + APP + " carries the tag 'parity-run "), r.err());
        assertTrue(r.err().contains("so whether the migration dyno started cannot be told: the migration dyno may be running; "
                + "check `heroku ps --app " + APP + "` before trying again; no dyno was restarted"), r.err());
        assertTrue(r.err().contains("not run: restart every dyno of " + APP), r.err());
        assertEquals(0, bed.dynosCreated(), "not asked again");
        assertEquals(0, bed.migrationsRun());
        assertEquals(0, bed.restarts());
        assertEquals(before, bed.restartCounts());
        assertFalse(bed.recorded());
    }

    @Test
    void aLostAnswerWhenTheDynosCannotBeListedEitherNamesWhatMayBeRunning() throws Exception {
        bed.migrateCommand("echo migrated");
        bed.f.sandbox().faults().failNextAfterHandling("POST", 1, 503);
        bed.f.sandbox().faults().failNext("GET", 12, 503); // every look, with the client's retries
        Result r = bed.parity("production", "migrate");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("listing the dynos of " + APP + " failed too (The API is temporarily unavailable. (GET "
                + DYNOS + ", HTTP 503, service_unavailable) (gave up after 4 attempts))"), r.err());
        assertTrue(r.err().contains("the migration dyno may be running; check `heroku ps --app " + APP + "`"), r.err());
        assertEquals(1, bed.dynosCreated(), "made once, never asked for again");
        List<Dyno> waiting = bed.oneOffs();
        assertEquals(1, waiting.size(), "the one dyno that may be running is the one the request made");
        assertEquals(0, bed.migrationsRun(), "nothing attached to it, so it did not run");
        assertEquals(0, bed.restarts());
        assertFalse(bed.recorded());
    }

    @Test
    void theDynoCarriesATagThatTheDynoListShows() throws Exception {
        bed.migrateCommand("sleep 2; echo migrated");
        var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> bed.parity("production", "migrate", "--no-restart"));
        dev.parity.sandbox.support.SandboxFixture.await(java.time.Duration.ofSeconds(10), () -> !bed.oneOffs().isEmpty());
        String command = bed.oneOffs().get(0).command;
        assertTrue(command.matches("(?s)echo ran >> .*; sleep 2; echo migrated ; echo \"\uFFFF heroku-command-exit-status: \\$\\?\""
                + " # parity-run [0-9a-f]{16}"), command);
        Result r = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("migrated\n", r.out());
    }
}
