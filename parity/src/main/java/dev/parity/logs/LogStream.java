package dev.parity.logs;

import dev.parity.cli.Version;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a log session the way the official CLI does, over {@link HttpURLConnection}: a session
 * from {@code POST /apps/APP/log-sessions}, then its {@code logplex_url} as Server-Sent Events
 * ({@code Accept: text/event-stream}; a {@code text/plain} reply, the older logplex form, is read
 * line by line). Each event's data is trimmed and split into lines, as the CLI does.
 *
 * <p>Without tail the stream ends when the server closes it. A tail reconnects when the stream
 * closes or breaks, sending {@code Last-Event-ID} so no line is printed twice, after a back-off
 * ({@code retry:} from the server, doubled for each failure in a row), and gives up after
 * {@value #MAX_FAILURES} failures in a row. A 404/403 on (re)connect means the session expired:
 * "Log stream timed out. Please try again." on stderr, and a new session.
 *
 * <p>The stream is read on a thread of its own, so {@link #run} can be interrupted (and ends the
 * connection) and Ctrl-C closes the connection from a shutdown hook.
 */
public final class LogStream {
    public static final int MAX_FAILURES = 5;
    static final long DEFAULT_RETRY_MS = 1000;
    static final long MAX_BACKOFF_MS = 30_000;
    static final String TIMED_OUT = "Log stream timed out. Please try again.";

    /** Creates a log session and returns its {@code logplex_url}. */
    @FunctionalInterface
    public interface Sessions {
        String create() throws InterruptedException;
    }

    /** Waits between reconnects; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** What {@code POST /apps/APP/log-sessions} is sent: {@code {lines, tail, dyno?, source?}}. */
    public record Request(int lines, boolean tail, String dyno, String source) {
        public Map<String, Object> body() {
            Map<String, Object> b = new LinkedHashMap<>();
            if (dyno != null) b.put("dyno", dyno);
            b.put("lines", lines);
            if (source != null) b.put("source", source);
            b.put("tail", tail);
            return b;
        }
    }

    private final Sessions sessions;
    private final boolean tail;
    private final PrintStream progress;
    private final Sleeper sleeper;
    private final int readTimeoutMs;
    private volatile boolean stopped;
    private volatile HttpURLConnection current;
    private volatile Thread reader;
    private String lastEventId;
    private long retryMs = DEFAULT_RETRY_MS;
    private int sessionsCreated;
    private int reconnects;

    public LogStream(Sessions sessions, boolean tail, PrintStream progress, Sleeper sleeper, int readTimeoutMs) {
        this.sessions = sessions;
        this.tail = tail;
        this.progress = progress;
        this.sleeper = sleeper;
        this.readTimeoutMs = readTimeoutMs;
    }

    public LogStream(Sessions sessions, boolean tail, PrintStream progress) {
        this(sessions, tail, progress, Thread::sleep, tail ? 120_000 : 30_000);
    }

    /** How many sessions were created (1 unless one expired). */
    public int sessionsCreated() {
        return sessionsCreated;
    }

    /** How many times the stream was reopened after it closed or broke. */
    public int reconnects() {
        return reconnects;
    }

    /** The id of the last event read, or null. */
    public String lastEventId() {
        return lastEventId;
    }

    /**
     * Reads the stream, giving each log line to {@code sink} (on the reader thread), until it
     * ends (no tail), fails for good ({@link LogStreamException}) or this thread is interrupted.
     */
    public void run(Consumer<String> sink) throws InterruptedException {
        String url = newSession();
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                read(url, sink);
            } catch (InterruptedException e) {
                // stopped
            } catch (RuntimeException | Error e) {
                if (!stopped) failure[0] = e;
            }
        }, "parity-log-stream");
        t.setDaemon(true);
        reader = t;
        Thread hook = new Thread(this::stop, "parity-log-stream-close");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            t.start();
            t.join();
        } catch (InterruptedException e) {
            stop();
            t.join(2000);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook has closed the stream
            }
        }
        if (failure[0] instanceof RuntimeException e) throw e;
        if (failure[0] instanceof Error e) throw e;
    }

    /** Ends the stream: closes the connection, so the server lets go of it at once. */
    public void stop() {
        stopped = true;
        HttpURLConnection c = current;
        if (c != null) c.disconnect();
        Thread t = reader;
        if (t != null && t != Thread.currentThread()) t.interrupt();
    }

    private String newSession() throws InterruptedException {
        sessionsCreated++;
        return sessions.create();
    }

    private void read(String firstUrl, Consumer<String> sink) throws InterruptedException {
        String url = firstUrl;
        int failures = 0;
        boolean reconnecting = false;
        while (!stopped) {
            if (reconnecting) reconnects++;
            Outcome o;
            try {
                o = readOnce(url, sink);
            } catch (IOException e) {
                o = new Outcome(false, false, e instanceof SocketTimeoutException,
                        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            if (stopped) return;
            if (o.expired) {
                if (!tail) throw new LogStreamException("Logs eventsource failed with: " + o.why);
                progress.println("parity: " + TIMED_OUT);
                if (++failures > MAX_FAILURES) throw new LogStreamException(TIMED_OUT);
                url = newSession();
                reconnecting = false;
                continue;
            }
            if (!tail) {
                if (o.why != null) throw new LogStreamException("the log stream broke: " + o.why);
                return;
            }
            if (o.gotEvents || o.timedOut) failures = 0;
            if (!o.timedOut && ++failures > MAX_FAILURES) {
                throw new LogStreamException("the log stream closed " + MAX_FAILURES + " times in a row"
                        + (o.why == null ? "" : " (last: " + o.why + ")") + "; gave up");
            }
            if (failures > 0) sleeper.sleep(Math.min(MAX_BACKOFF_MS, retryMs << Math.min(10, failures - 1)));
            reconnecting = true;
        }
    }

    /** How one connection ended. {@code why}: null for a clean end of stream. */
    private record Outcome(boolean gotEvents, boolean expired, boolean timedOut, String why) {}

    private Outcome readOnce(String url, Consumer<String> sink) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        current = c;
        if (stopped) return new Outcome(false, false, false, null);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(readTimeoutMs);
        c.setRequestProperty("Accept", "text/event-stream");
        c.setRequestProperty("Cache-Control", "no-cache");
        c.setRequestProperty("User-Agent", "parity/" + Version.get());
        if (lastEventId != null) c.setRequestProperty("Last-Event-ID", lastEventId);
        try {
            int status = c.getResponseCode();
            if (status == 404 || status == 403) {
                drain(c.getErrorStream());
                return new Outcome(false, true, false, status + " " + reason(c));
            }
            if (status >= 300) {
                String body = firstLine(c.getErrorStream());
                throw new LogStreamException("Logs eventsource failed with: " + status + " " + reason(c)
                        + (body.isEmpty() ? "" : " (" + body + ")"));
            }
            String type = String.valueOf(c.getContentType()).toLowerCase();
            boolean sse = type.startsWith("text/event-stream");
            if (!sse && !type.startsWith("text/plain")) {
                throw new LogStreamException("Logs eventsource failed with: " + status
                        + " Invalid content type, expected \"text/event-stream\" (got " + c.getContentType() + ")");
            }
            try (InputStream in = c.getInputStream()) {
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
                boolean got = sse ? events(r, sink) : plain(r, sink);
                return new Outcome(got, false, false, null);
            } catch (SocketTimeoutException e) {
                return new Outcome(false, false, true, "no data for " + readTimeoutMs / 1000 + " s");
            } catch (IOException e) {
                return new Outcome(false, false, false, e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        } finally {
            c.disconnect();
            current = null;
        }
    }

    /** Server-Sent Events: {@code id:}, {@code data:} (several make one multi-line datum), {@code retry:}, comments. */
    private boolean events(BufferedReader r, Consumer<String> sink) throws IOException {
        boolean got = false;
        StringBuilder data = null;
        for (String line; (line = r.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (data != null) {
                    got = true;
                    dispatch(data.toString(), sink);
                    data = null;
                }
                continue;
            }
            if (line.charAt(0) == ':') continue;
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1);
            switch (field) {
                case "data" -> {
                    if (data == null) data = new StringBuilder(value.length());
                    else data.append('\n');
                    data.append(value);
                }
                case "id" -> {
                    if (value.indexOf('\0') < 0) lastEventId = value;
                }
                case "retry" -> {
                    if (!value.isEmpty() && value.chars().allMatch(Character::isDigit) && value.length() < 10) retryMs = Long.parseLong(value);
                }
                default -> { }
            }
        }
        return got;
    }

    /** As the CLI: {@code data.trim().split(/\n+/)}, each piece one printed line. */
    static void dispatch(String data, Consumer<String> sink) {
        String d = data.strip();
        if (d.indexOf('\n') < 0) {
            sink.accept(d);
            return;
        }
        for (String line : d.split("\n+")) sink.accept(line);
    }

    /** The older logplex form: newline-terminated lines, empty ones being keep-alives. */
    private static boolean plain(BufferedReader r, Consumer<String> sink) throws IOException {
        boolean got = false;
        for (String line; (line = r.readLine()) != null; ) {
            if (line.isBlank()) continue;
            got = true;
            sink.accept(line);
        }
        return got;
    }

    private static String reason(HttpURLConnection c) {
        try {
            String m = c.getResponseMessage();
            return m == null ? "" : m;
        } catch (IOException e) {
            return "";
        }
    }

    private static void drain(InputStream in) {
        if (in == null) return;
        try (in) {
            in.readAllBytes();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }

    private static String firstLine(InputStream in) {
        if (in == null) return "";
        try (in) {
            String s = new String(in.readNBytes(2000), StandardCharsets.UTF_8).strip();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
