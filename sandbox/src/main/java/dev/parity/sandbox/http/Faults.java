package dev.parity.sandbox.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Switches for tests and rehearsals: the next N authenticated API requests fail with a given
 * status (429 with Retry-After, 500, 503), or each request is delayed.
 */
public final class Faults {
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 500;
    private volatile int retryAfterSeconds = 1;
    private volatile long latencyMillis;

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

    public void latency(long millis) {
        latencyMillis = millis;
    }

    public void clear() {
        failuresLeft.set(0);
        latencyMillis = 0;
    }

    void beforeRequest() throws InterruptedException {
        if (latencyMillis > 0) Thread.sleep(latencyMillis);
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) return;
        switch (failureStatus) {
            case 429 -> throw new RateLimited(retryAfterSeconds);
            case 503 -> throw new ApiError(503, "service_unavailable", "The API is temporarily unavailable.");
            default -> throw new ApiError(failureStatus, "internal_server_error", "Internal server error.");
        }
    }
}
