package dev.parity.sandbox.logs;

import java.time.Instant;

/**
 * A log session as {@code POST /apps/{app}/log-sessions} makes it: the filters, the backlog size
 * and whether to tail. Its token (the last part of {@code logplex_url}) is the only credential the
 * stream needs.
 */
public final class LogSession {
    public final String id;
    public final String token;
    public final String app;
    public final LogFilter filter;
    public final int lines;
    public final boolean tail;
    public final Instant createdAt;
    /** When a client first read the stream: from then on the URL lives longer (reconnects). */
    volatile Instant connectedAt;

    LogSession(String id, String token, String app, LogFilter filter, int lines, boolean tail, Instant createdAt) {
        this.id = id;
        this.token = token;
        this.app = app;
        this.filter = filter;
        this.lines = lines;
        this.tail = tail;
        this.createdAt = createdAt;
    }

    public Instant connectedAt() {
        return connectedAt;
    }
}
