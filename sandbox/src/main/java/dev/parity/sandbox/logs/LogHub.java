package dev.parity.sandbox.logs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every app's log: platform lines (dyno states, releases), one-off output and injected lines.
 * Keeps the last {@value #KEEP} lines per app, as logplex does, and notifies tail listeners.
 * Line ids rise across all apps, so a stream can resume after any id it has seen.
 */
public final class LogHub {
    static final int KEEP = 1500;

    private final Clock clock;
    private final Map<String, List<LogLine>> lines = new HashMap<>();
    private final Map<String, List<Consumer<LogLine>>> listeners = new HashMap<>();
    private long nextId = 1000;

    public LogHub(Clock clock) {
        this.clock = clock;
    }

    /** Adds a line and hands it to the app's listeners (on the caller's thread: listeners must not block). */
    public LogLine append(String app, String source, String dyno, String message) {
        LogLine line;
        List<Consumer<LogLine>> toNotify;
        synchronized (this) {
            line = new LogLine(nextId++, clock.instant(), source, dyno, message);
            List<LogLine> l = lines.computeIfAbsent(app, k -> new ArrayList<>());
            l.add(line);
            if (l.size() > KEEP) l.subList(0, l.size() - KEEP).clear();
            toNotify = List.copyOf(listeners.getOrDefault(app, List.of()));
        }
        for (Consumer<LogLine> c : toNotify) c.accept(line);
        return line;
    }

    /** Platform lines: {@code heroku[dyno]: message}. */
    public void heroku(String app, String dyno, String message) {
        append(app, "heroku", dyno, message);
    }

    public synchronized List<LogLine> recent(String app) {
        return List.copyOf(lines.getOrDefault(app, List.of()));
    }

    /** Receives every new line of {@code app} until {@link #unsubscribe}. */
    public synchronized void subscribe(String app, Consumer<LogLine> listener) {
        listeners.computeIfAbsent(app, k -> new CopyOnWriteArrayList<>()).add(listener);
    }

    public synchronized void unsubscribe(String app, Consumer<LogLine> listener) {
        List<Consumer<LogLine>> l = listeners.get(app);
        if (l != null) l.remove(listener);
    }

    /** How many listeners (open tails) all apps have: lets tests see that a closed tail let go. */
    public synchronized int listenerCount() {
        return listeners.values().stream().mapToInt(List::size).sum();
    }
}
