package dev.parity.sandbox.logs;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Serves a log session's URL: the backlog (the last N matching lines after {@code Last-Event-ID}),
 * then, for a tail, new matching lines as they are appended. Server-Sent Events by default (what
 * CLI 11 reads); plain newline-terminated lines for a client that asks for {@code text/plain}
 * (the older logplex form).
 *
 * <p>A tail runs on the HTTP worker thread that serves it. Appenders only put lines in the
 * stream's bounded queue, so a slow client never blocks a dyno or a deploy; when the queue is
 * full lines are dropped and reported as Heroku's L11 error. A keep-alive every
 * {@link #keepAlive(Duration)} makes a write fail soon after the client went away.
 */
public final class LogStreams implements AutoCloseable {
    /** How many lines a tail may fall behind before lines are dropped (L11). */
    static final int QUEUE_LIMIT = 10_000;
    /** Lines written per flush at most, so a burst goes out in few chunks. */
    private static final int BATCH = 500;
    static final int NON_TAIL_RETRY_MS = 250;

    private final LogHub hub;
    private final Clock clock;
    private final Set<Tail> open = ConcurrentHashMap.newKeySet();
    private volatile Duration keepAlive = Duration.ofSeconds(10);
    private volatile boolean closed;

    public LogStreams(LogHub hub, Clock clock) {
        this.hub = hub;
        this.clock = clock;
    }

    /** How often an idle tail sends a keep-alive (an SSE comment, or an empty line in plain text). */
    public void keepAlive(Duration d) {
        keepAlive = d;
    }

    /** Tails being served right now. */
    public int openTails() {
        return open.size();
    }

    /**
     * Writes the stream for {@code session} to {@code exchange}; returns when it is done (non-tail),
     * the client went away, or the sandbox closes.
     *
     * @param afterId only lines with a greater id (the client's {@code Last-Event-ID}); 0 for all
     */
    public void serve(HttpExchange exchange, LogSession session, long afterId, boolean plain) throws IOException {
        Tail tail = new Tail(session, plain);
        if (session.tail) {
            // Subscribe before reading the backlog, so no line falls between the two.
            hub.subscribe(session.app, tail.listener);
            open.add(tail);
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", plain ? "text/plain; charset=utf-8" : "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            tail.out = exchange.getResponseBody();
            tail.lastId = afterId;
            // EventSource schedules a reconnect when a stream ends, and the CLI's node process waits
            // for that timer (3 s by default) before exiting even though it closed the source. A
            // short retry lets `heroku logs` exit at once; tails keep EventSource's default.
            if (!plain && !session.tail) tail.out.write(("retry: " + NON_TAIL_RETRY_MS + "\n\n").getBytes(StandardCharsets.UTF_8));
            for (LogLine line : backlog(session, afterId)) tail.write(line);
            tail.out.flush();
            if (session.tail) tail.follow();
        } catch (IOException e) {
            // The client went away: nothing to answer, just let go of the app's log.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (session.tail) {
                hub.unsubscribe(session.app, tail.listener);
                open.remove(tail);
            }
        }
    }

    private List<LogLine> backlog(LogSession session, long afterId) {
        List<LogLine> matching = new ArrayList<>();
        for (LogLine l : hub.recent(session.app)) {
            if (l.id() > afterId && session.filter.matches(l)) matching.add(l);
        }
        return matching.subList(Math.max(0, matching.size() - session.lines), matching.size());
    }

    /** Ends every tail (the sandbox is closing) and waits briefly for them to let go. */
    @Override
    public void close() {
        closed = true;
        for (Tail t : open) t.stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One open stream, served on the thread that created it. */
    private final class Tail {
        private final LogSession session;
        private final boolean plain;
        private final BlockingQueue<LogLine> queue = new ArrayBlockingQueue<>(QUEUE_LIMIT);
        private final AtomicLong dropped = new AtomicLong();
        private final Consumer<LogLine> listener;
        private final Thread thread = Thread.currentThread();
        private volatile Instant droppingSince;
        OutputStream out;
        long lastId;

        Tail(LogSession session, boolean plain) {
            this.session = session;
            this.plain = plain;
            this.listener = line -> {
                if (!session.filter.matches(line) || queue.offer(line)) return;
                if (dropped.getAndIncrement() == 0) droppingSince = clock.instant();
            };
        }

        void follow() throws IOException, InterruptedException {
            List<LogLine> batch = new ArrayList<>(BATCH);
            while (!closed) {
                LogLine first = queue.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
                if (closed) return;
                if (first == null) {
                    out.write((plain ? "\n" : ": keep-alive\n\n").getBytes(StandardCharsets.UTF_8));
                } else {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    for (LogLine l : batch) if (l.id() > lastId) write(l);
                    batch.clear();
                    reportDropped();
                }
                out.flush();
            }
        }

        void stop() {
            thread.interrupt();
        }

        void write(LogLine line) throws IOException {
            lastId = line.id();
            out.write(event(line.id(), line.format()).getBytes(StandardCharsets.UTF_8));
        }

        /** Heroku's L11: the tail could not keep up and lines were dropped. */
        private void reportDropped() throws IOException {
            long n = dropped.getAndSet(0);
            if (n == 0) return;
            LogLine l11 = new LogLine(lastId, clock.instant(), "heroku", "logplex",
                    "Error L11 (Tail buffer overflow) -> This tail session dropped " + n + " messages since " + droppingSince + ".");
            out.write(event(-1, l11.format()).getBytes(StandardCharsets.UTF_8));
        }

        /** One SSE event ({@code id:} and a {@code data:} per line of the text), or a plain line. */
        private String event(long id, String text) {
            if (plain) return text + "\n";
            StringBuilder b = new StringBuilder();
            if (id >= 0) b.append("id: ").append(id).append('\n');
            for (String part : text.split("\r\n|\r|\n", -1)) b.append("data: ").append(part).append('\n');
            return b.append('\n').toString();
        }
    }
}
