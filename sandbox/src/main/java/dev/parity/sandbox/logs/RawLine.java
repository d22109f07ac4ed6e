package dev.parity.sandbox.logs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A log line before the hub stamps it with an id and a time: {@code source[dyno]: message}. */
public record RawLine(String source, String dyno, String message) {
    // An optional leading timestamp is accepted and dropped: injected lines get the current time.
    private static final Pattern FORM = Pattern.compile("(?s)(?:\\d{4}-\\d\\d-\\d\\dT\\S+ )?([A-Za-z][\\w-]*)\\[([^\\]\\s]+)\\]: ?(.*)");

    /** Parses {@code heroku[router]: at=info ...}; throws IllegalArgumentException otherwise. */
    public static RawLine parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("not a log line of the form source[dyno]: message: " + text);
        return new RawLine(m.group(1), m.group(2), m.group(3));
    }

    public String text() {
        return source + "[" + dyno + "]: " + message;
    }

    public LogLine appendTo(LogHub hub, String app) {
        return hub.append(app, source, dyno, message);
    }
}
