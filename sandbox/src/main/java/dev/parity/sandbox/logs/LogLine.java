package dev.parity.sandbox.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One log line in Heroku's format: {@code 2024-01-25T16:33:07.123456+00:00 heroku[web.1]: message}. */
public record LogLine(long id, Instant time, String source, String dyno, String message) {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    public String format() {
        return FORMAT.format(time) + " " + source + "[" + dyno + "]: " + message;
    }
}
