package dev.parity.sandbox.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many requests reached their handler, by method and path ({@code POST /apps/a/dynos}):
 * lets a test prove that something was done exactly once, or not at all. Requests stopped by an
 * injected fault before handling are not counted.
 */
public final class RequestCounts {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    void record(String method, String path) {
        counts.computeIfAbsent(method + " " + path, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Requests with this method and raw path that reached their handler so far. */
    public int count(String method, String path) {
        AtomicInteger n = counts.get(method + " " + path);
        return n == null ? 0 : n.get();
    }

    /**
     * How many different raw paths matching {@code pathRegex} got requests with this method: e.g. how
     * many signed backup URLs were downloaded from (however many requests each download took).
     */
    public int distinctPaths(String method, String pathRegex) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(method + " ") + pathRegex);
        return (int) counts.keySet().stream().filter(k -> p.matcher(k).matches()).count();
    }
}
