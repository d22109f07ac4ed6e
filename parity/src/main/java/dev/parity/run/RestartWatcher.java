package dev.parity.run;

import dev.parity.stale.DynoView;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Proves a restart: watches successive {@code GET /apps/APP/dynos} answers until every formation
 * dyno (not run/release) is {@code up} with {@code updated_at} at or after {@code since} (the
 * migration's end, to the second, as the API gives times), reporting each dyno's state changes.
 */
public final class RestartWatcher {

    /** Where the restart stands after one look at the dynos. */
    public enum Outcome { WAITING, ALL_UP, CRASHED }

    /** Fetches the app's dynos (one API call). */
    @FunctionalInterface
    public interface Dynos {
        List<DynoView> fetch() throws InterruptedException;
    }

    /** Time, replaceable in tests. */
    public interface Clock {
        long nanoTime();

        void sleep(long millis) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long millis) throws InterruptedException {
                Thread.sleep(millis);
            }
        };
    }

    /** The end of a watch: whether every dyno came back, and one line saying how it went. */
    public record Result(boolean ok, String summary) {}

    private final Instant since;
    /** The release every dyno must run, 0 for any. */
    private final int release;
    /** What "fresh" means in lines: "after the migration", "on v13". */
    private final String fresh;
    /** What a dyno that is not fresh yet is: "since before the migration", "still on an older release". */
    private final String stale;
    private final Consumer<String> progress;
    private final Map<String, String> shown = new LinkedHashMap<>();
    private List<DynoView> last = List.of();

    /** Watches for every dyno to be up with a boot at or after {@code since} (the migration's end). */
    public RestartWatcher(Instant since, Consumer<String> progress) {
        this(since, 0, progress);
    }

    /**
     * As {@link #RestartWatcher(Instant, Consumer)}, and on release {@code release} (0: any): a deploy
     * waits for its release, a code rollback for the release it made.
     */
    public RestartWatcher(Instant since, int release, Consumer<String> progress) {
        this.since = since.truncatedTo(ChronoUnit.SECONDS);
        this.release = release;
        this.fresh = release == 0 ? "after the migration" : "on v" + release;
        this.stale = release == 0 ? "since before the migration" : "not on v" + release + " yet";
        this.progress = progress;
    }

    /** Whether this dyno has changed state since {@code since}, on the release waited for. */
    public boolean restarted(DynoView d) {
        return d.updatedAt() != null && !d.updatedAt().isBefore(since) && (release == 0 || d.releaseVersion() == release);
    }

    /** How the dyno reads in progress lines: its state, or "up (since before the migration)". */
    private String describe(DynoView d) {
        if (restarted(d)) return d.state();
        return d.state() + " (" + stale + ")";
    }

    /** Takes one look at the dynos, prints the state changes, and says where the restart stands. */
    public Outcome observe(List<DynoView> dynos) {
        List<DynoView> formation = dynos.stream().filter(d -> !d.oneOff()).toList();
        last = formation;
        for (DynoView d : formation) {
            String now = describe(d);
            String before = shown.put(d.name(), now);
            if (before == null) {
                progress.accept(d.name() + ": " + now);
            } else if (!before.equals(now)) {
                progress.accept(d.name() + ": " + before + " → " + now);
            }
        }
        boolean allSettled = true;
        boolean anyCrashed = false;
        for (DynoView d : formation) {
            boolean fresh = restarted(d);
            if (fresh && d.state().equals("crashed")) {
                anyCrashed = true;
            } else if (!(fresh && d.state().equals("up"))) {
                allSettled = false;
            }
        }
        if (!allSettled) return Outcome.WAITING;
        return anyCrashed ? Outcome.CRASHED : Outcome.ALL_UP;
    }

    /** Quick polls while most dynos boot (a few seconds), then {@code interval}, to spare the API's rate limit. */
    static final long QUICK_POLL_MS = 100;
    static final long QUICK_PHASE_NANOS = 3_000_000_000L;

    /** Polls until every dyno is up again, one crashed for good, or {@code timeout} passed. */
    public Result await(Dynos dynos, Duration timeout, Duration interval, Clock clock) throws InterruptedException {
        long start = clock.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            Outcome o = observe(dynos.fetch());
            long took = clock.nanoTime() - start;
            if (o == Outcome.ALL_UP) {
                return new Result(true, last.isEmpty() ? "the app has no formation dynos: nothing to wait for"
                        : "all " + last.size() + " dyno" + (last.size() == 1 ? "" : "s") + " up " + fresh + " ("
                        + seconds(took) + ")");
            }
            if (o == Outcome.CRASHED) return new Result(false, failures(release == 0 ? "after the restart" : "on v" + release));
            if (clock.nanoTime() >= deadline) {
                return new Result(false, "timed out after " + seconds(timeout.toNanos()) + ": " + failures(release == 0 ? "after the restart" : "on v" + release));
            }
            long pause = took < QUICK_PHASE_NANOS ? Math.min(QUICK_POLL_MS, interval.toMillis()) : interval.toMillis();
            clock.sleep(Math.min(pause, Math.max(1, (deadline - clock.nanoTime()) / 1_000_000)));
        }
    }

    /** Names each dyno that is not up on the new schema: "worker.1 crashed after the restart, web.2 still starting". */
    private String failures(String when) {
        List<String> parts = new ArrayList<>();
        for (DynoView d : last) {
            boolean fresh = restarted(d);
            if (fresh && d.state().equals("up")) continue;
            if (fresh && d.state().equals("crashed")) {
                parts.add(d.name() + " crashed " + when);
            } else if (!fresh) {
                parts.add(d.name() + (release != 0 && d.releaseVersion() != release ? " still on v" + d.releaseVersion() : " not restarted yet")
                        + " (" + d.state() + " since " + d.updatedAt() + ")");
            } else {
                parts.add(d.name() + " still " + d.state());
            }
        }
        long up = last.stream().filter(d -> restarted(d) && d.state().equals("up")).count();
        return String.join(", ", parts) + " (" + up + " of " + last.size() + " up)";
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
