package dev.parity.sandbox.http;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Switches for tests and rehearsals. Before handling: the next N authenticated API requests (or
 * the next N with a given method) fail with a given status (409, 429 with Retry-After, 500, 503),
 * or each request is delayed. After handling, for the failures a client cannot tell apart from
 * success: the request is carried out, then its answer is replaced by an error status, or the
 * connection is closed with no answer, or the answer is held back (past the client's timeout).
 * Restores can also fail half-way (after the target database was recreated).
 */
public final class Faults {
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 500;
    private volatile int retryAfterSeconds = 1;
    private volatile long latencyMillis;
    private final ConcurrentLinkedQueue<Rule> rules = new ConcurrentLinkedQueue<>();

    /** What happens to a request that was handled. */
    public enum AfterHandling { ANSWER, ERROR, DROP, DELAY }

    /** The fault a handled request gets: its kind, the status that replaces the answer, or the delay. */
    public record After(AfterHandling kind, int status, long millis) {
        static final After NONE = new After(AfterHandling.ANSWER, 0, 0);
    }

    /** A rule for requests with {@code method} whose path ends with {@code pathEnd} (any path when null). */
    private record Rule(String method, String pathEnd, boolean beforeHandling, After after, AtomicInteger left) {}

    private final AtomicInteger restoresToFail = new AtomicInteger();

    /** Thrown for an injected 429; carries its {@code Retry-After}. */
    public static final class RateLimited extends ApiError {
        private final int retryAfter;

        RateLimited(int retryAfter) {
            super(429, "rate_limit", "Your account reached the API rate limit. Please wait a few minutes before making new requests.");
            this.retryAfter = retryAfter;
        }

        public int retryAfterSeconds() {
            return retryAfter;
        }
    }

    public void failNext(int count, int status, int retryAfter) {
        failureStatus = status;
        retryAfterSeconds = retryAfter;
        failuresLeft.set(count);
    }

    /** The next {@code count} requests with {@code method} fail with {@code status} before they are handled. */
    public void failNext(String method, int count, int status) {
        rules.add(new Rule(method, null, true, new After(AfterHandling.ERROR, status, 0), new AtomicInteger(count)));
    }

    /** The next {@code count} requests with {@code method} are carried out, then answered with {@code status}. */
    public void failNextAfterHandling(String method, int count, int status) {
        rules.add(new Rule(method, null, false, new After(AfterHandling.ERROR, status, 0), new AtomicInteger(count)));
    }

    /** The next {@code count} requests with {@code method} are carried out, then the connection closes with no answer. */
    public void dropNextAfterHandling(String method, int count) {
        rules.add(new Rule(method, null, false, new After(AfterHandling.DROP, 0, 0), new AtomicInteger(count)));
    }

    /** The next {@code count} requests with {@code method} are carried out, then answered {@code millis} later. */
    public void delayNextAnswer(String method, int count, long millis) {
        rules.add(new Rule(method, null, false, new After(AfterHandling.DELAY, 0, millis), new AtomicInteger(count)));
    }

    /**
     * The next {@code count} requests with {@code method} to a path ending with {@code pathEnd} are
     * carried out, then answered {@code millis} later (one endpoint slower than the others).
     */
    public void delayNextAnswer(String method, String pathEnd, int count, long millis) {
        rules.add(new Rule(method, pathEnd, false, new After(AfterHandling.DELAY, 0, millis), new AtomicInteger(count)));
    }

    public void latency(long millis) {
        latencyMillis = millis;
    }

    public void clear() {
        failuresLeft.set(0);
        latencyMillis = 0;
        rules.clear();
        restoresToFail.set(0);
    }

    /**
     * The next {@code count} restores (pg:backups:restore) fail after the target database was
     * recreated empty, as a restore whose download breaks half-way does on Heroku.
     */
    public void failRestores(int count) {
        restoresToFail.set(count);
    }

    /** Whether this restore is one of those to fail (counts it). */
    public boolean restoreFails() {
        return restoresToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    void beforeRequest(String method) throws InterruptedException {
        if (latencyMillis > 0) Thread.sleep(latencyMillis);
        Rule rule = take(method, null, true);
        if (rule != null) throw error(rule.after().status(), retryAfterSeconds);
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) return;
        throw error(failureStatus, retryAfterSeconds);
    }

    /** What happens to the answer of a request that was just handled. */
    After afterHandling(String method, String path) {
        Rule rule = take(method, path, false);
        return rule == null ? After.NONE : rule.after();
    }

    static ApiError error(int status, int retryAfter) {
        return switch (status) {
            case 429 -> new RateLimited(retryAfter);
            case 409 -> new ApiError(409, "conflict", "The release is not ready yet. Please try again in a moment.");
            case 503 -> new ApiError(503, "service_unavailable", "The API is temporarily unavailable.");
            default -> new ApiError(status, "internal_server_error", "Internal server error.");
        };
    }

    /** Uses up one request of the first rule for this method, path and phase, or returns null. */
    private Rule take(String method, String path, boolean beforeHandling) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (r.beforeHandling() != beforeHandling || !r.method().equals(method)) continue;
            if (r.pathEnd() != null && (path == null || !path.endsWith(r.pathEnd()))) continue;
            if (r.left().getAndUpdate(n -> Math.max(0, n - 1)) > 0) return r;
            it.remove();
        }
        return null;
    }
}
