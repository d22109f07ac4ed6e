package dev.parity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.stale.DynoView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartWatcherTest {
    static final Instant END = Instant.parse("2026-11-25T12:00:00.700Z");
    static final Instant BEFORE = Instant.parse("2026-11-25T11:59:50Z");
    static final Instant AFTER = Instant.parse("2026-11-25T12:00:01Z");

    static DynoView dyno(String name, String state, Instant updated) {
        String type = name.substring(0, name.indexOf('.'));
        return new DynoView(name, type, state, updated, 7, "cmd", "Basic");
    }

    /** A clock that moves only when slept on. */
    static final class FakeClock implements RestartWatcher.Clock {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long millis) {
            now += millis * 1_000_000;
        }
    }

    List<String> progress = new ArrayList<>();

    RestartWatcher.Result watch(Duration timeout, List<List<DynoView>> answers) throws InterruptedException {
        Deque<List<DynoView>> q = new ArrayDeque<>(answers);
        RestartWatcher w = new RestartWatcher(END, progress::add);
        return w.await(() -> q.size() > 1 ? q.poll() : q.peek(), timeout, Duration.ofMillis(300), new FakeClock());
    }

    @Test
    void waitsUntilEveryDynoIsUpAfterTheEndAndReportsEachChange() throws InterruptedException {
        RestartWatcher.Result r = watch(Duration.ofMinutes(5), List.of(
                List.of(dyno("web.1", "up", BEFORE), dyno("worker.1", "up", BEFORE), dyno("run.1234", "up", AFTER)),
                List.of(dyno("web.1", "starting", AFTER), dyno("worker.1", "up", BEFORE)),
                List.of(dyno("web.1", "up", AFTER), dyno("worker.1", "starting", AFTER)),
                List.of(dyno("web.1", "up", AFTER), dyno("worker.1", "up", AFTER))));
        assertTrue(r.ok(), r.summary());
        assertEquals(List.of("web.1: up (since before the migration)", "worker.1: up (since before the migration)",
                "web.1: up (since before the migration) → starting", "web.1: starting → up",
                "worker.1: up (since before the migration) → starting", "worker.1: starting → up"), progress);
        assertTrue(r.summary().startsWith("all 2 dynos up after the migration"), r.summary());
    }

    @Test
    void sameSecondAsTheEndCounts() throws InterruptedException {
        Instant sameSecond = Instant.parse("2026-11-25T12:00:00Z");
        assertTrue(watch(Duration.ofSeconds(1), List.of(List.of(dyno("web.1", "up", sameSecond)))).ok());
    }

    @Test
    void crashedDynoIsNamedOnceTheOthersSettle() throws InterruptedException {
        RestartWatcher.Result r = watch(Duration.ofMinutes(5), List.of(
                List.of(dyno("web.1", "starting", AFTER), dyno("worker.1", "crashed", AFTER)),
                List.of(dyno("web.1", "up", AFTER), dyno("worker.1", "crashed", AFTER))));
        assertFalse(r.ok());
        assertEquals("worker.1 crashed after the restart (1 of 2 up)", r.summary());
    }

    @Test
    void crashedBeforeTheMigrationIsStillWaitedFor() throws InterruptedException {
        RestartWatcher.Result r = watch(Duration.ofSeconds(1), List.of(
                List.of(dyno("web.1", "crashed", BEFORE))));
        assertFalse(r.ok());
        assertTrue(r.summary().startsWith("timed out after 1.0 s: web.1 not restarted yet (crashed since"), r.summary());
    }

    @Test
    void timeoutNamesWhatIsStillStarting() throws InterruptedException {
        RestartWatcher.Result r = watch(Duration.ofSeconds(2), List.of(
                List.of(dyno("web.1", "starting", AFTER), dyno("web.2", "up", AFTER))));
        assertFalse(r.ok());
        assertEquals("timed out after 2.0 s: web.1 still starting (1 of 2 up)", r.summary());
    }

    @Test
    void noFormationDynosIsDoneAtOnce() throws InterruptedException {
        RestartWatcher.Result r = watch(Duration.ofSeconds(1), List.of(List.of(dyno("run.1", "up", AFTER))));
        assertTrue(r.ok());
        assertTrue(r.summary().contains("nothing to wait for"));
    }

    /** A deploy's wait: a dyno that restarted but still runs the old release is not done. */
    @Test
    void onAReleaseEveryDynoMustRunThatRelease() throws InterruptedException {
        Deque<List<DynoView>> q = new ArrayDeque<>(List.of(
                List.of(new DynoView("web.1", "web", "up", AFTER, 7, "cmd", "Basic"), new DynoView("worker.1", "worker", "up", AFTER, 8, "cmd", "Basic")),
                List.of(new DynoView("web.1", "web", "up", AFTER, 8, "cmd", "Basic"), new DynoView("worker.1", "worker", "up", AFTER, 8, "cmd", "Basic"))));
        RestartWatcher w = new RestartWatcher(END, 8, progress::add);
        RestartWatcher.Result r = w.await(() -> q.size() > 1 ? q.poll() : q.peek(), Duration.ofMinutes(1), Duration.ofMillis(300), new FakeClock());
        assertTrue(r.ok(), r.summary());
        assertEquals(List.of("web.1: up (not on v8 yet)", "worker.1: up", "web.1: up (not on v8 yet) → up"), progress);
        assertTrue(r.summary().startsWith("all 2 dynos up on v8"), r.summary());
    }

    @Test
    void onAReleaseATimeoutNamesTheDynoStillOnAnOlderOne() throws InterruptedException {
        RestartWatcher w = new RestartWatcher(END, 8, progress::add);
        RestartWatcher.Result r = w.await(() -> List.of(new DynoView("web.1", "web", "up", AFTER, 7, "cmd", "Basic")),
                Duration.ofSeconds(5), Duration.ofMillis(300), new FakeClock());
        assertFalse(r.ok());
        assertTrue(r.summary().contains("web.1 still on v7 (up since "), r.summary());
    }
}
