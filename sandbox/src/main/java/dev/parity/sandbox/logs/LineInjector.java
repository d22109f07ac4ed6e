package dev.parity.sandbox.logs;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Appends lines to an app's log for tests and the tail benchmark: all at once, or paced at a
 * rate on a thread of its own (stopped by {@link #close()}).
 */
public final class LineInjector implements AutoCloseable {
    /** What an injection did: how many lines, and the ids of the first and last (0 if none or paced). */
    public record Result(long count, long firstId, long lastId) {}

    private final LogHub hub;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    public LineInjector(LogHub hub) {
        this.hub = hub;
    }

    /** Appends every line now. */
    public Result appendNow(String app, Iterator<RawLine> lines) {
        long count = 0;
        long first = 0;
        long last = 0;
        while (lines.hasNext()) {
            last = lines.next().appendTo(hub, app).id();
            if (count++ == 0) first = last;
        }
        return new Result(count, first, last);
    }

    /**
     * Appends {@code lines} at {@code perSecond} on a background thread. Pacing follows the clock
     * from the start, not the previous line, so the rate holds when appends are slow.
     */
    public void appendPaced(String app, Iterator<RawLine> lines, double perSecond) {
        if (!(perSecond > 0)) throw new IllegalArgumentException("rate must be > 0: " + perSecond);
        Thread t = new Thread(() -> {
            try {
                long start = System.nanoTime();
                for (long i = 0; lines.hasNext(); i++) {
                    long wait = start + (long) (i * 1e9 / perSecond) - System.nanoTime();
                    if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                    lines.next().appendTo(hub, app);
                }
            } catch (InterruptedException e) {
                // closing
            } finally {
                running.remove(Thread.currentThread());
            }
        }, "sandbox-log-injector-" + app);
        t.setDaemon(true);
        running.add(t);
        t.start();
    }

    /** Paced injections still running. */
    public int running() {
        return running.size();
    }

    @Override
    public void close() {
        for (Thread t : running) t.interrupt();
        for (Thread t : running) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
