package dev.parity.sandbox.logs;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open log sessions by token. As on Heroku, a URL nobody connected to expires about 5 minutes
 * after creation; once connected it stays usable for about an hour, so a client can reconnect.
 */
public final class LogSessions {
    /** Heroku's log-session limits (node-heroku-client docs/logSession.md). */
    public static final int DEFAULT_LINES = 100;
    public static final int MAX_LINES = LogHub.KEEP;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, LogSession> byToken = new ConcurrentHashMap<>();
    private volatile Duration unusedLifetime = Duration.ofMinutes(5);
    private volatile Duration connectedLifetime = Duration.ofHours(1);

    public LogSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session; {@code lines} is clamped to 0..{@value #MAX_LINES}. */
    public LogSession create(String app, LogFilter filter, int lines, boolean tail) {
        dropExpired();
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        LogSession s = new LogSession(UUID.randomUUID().toString(), token, app, filter,
                Math.max(0, Math.min(MAX_LINES, lines)), tail, clock.instant());
        byToken.put(token, s);
        return s;
    }

    /** The live session for {@code token} (marking it connected), or null if unknown or expired. */
    public LogSession connect(String token) {
        LogSession s = byToken.get(token);
        if (s == null) return null;
        if (expired(s, clock.instant())) {
            byToken.remove(token);
            return null;
        }
        if (s.connectedAt == null) s.connectedAt = clock.instant();
        return s;
    }

    /** For tests: how long an unconnected URL lives. */
    void unusedLifetime(Duration d) {
        unusedLifetime = d;
    }

    int size() {
        return byToken.size();
    }

    private boolean expired(LogSession s, Instant now) {
        Instant connected = s.connectedAt;
        Instant end = connected == null ? s.createdAt.plus(unusedLifetime) : connected.plus(connectedLifetime);
        return now.isAfter(end);
    }

    private void dropExpired() {
        Instant now = clock.instant();
        byToken.values().removeIf(s -> expired(s, now));
    }
}
