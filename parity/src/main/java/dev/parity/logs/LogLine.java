package dev.parity.logs;

import java.util.function.BiConsumer;

/**
 * One log line as Heroku formats it: {@code <timestamp> <source>[<dyno>]: <message>}. The header
 * is found the way the official CLI finds it ({@code lib/run/colorize.js}: the first
 * {@code [ident]:} whose ident is {@code [\w-]+} optionally followed by {@code [\d.]+}); a line
 * without one keeps only its text. Router fields ({@code key=value}, values possibly
 * double-quoted or empty) are read on demand.
 */
public final class LogLine {
    private final String text;
    /** Index just after {@code "]:"}, or -1 when the line has no header. */
    private final int headerEnd;
    private final int bracket;
    private final int identEnd;
    private final String timestamp;
    private final String source;

    private LogLine(String text, int bracket, int identEnd, int headerEnd) {
        this.text = text;
        this.bracket = bracket;
        this.identEnd = identEnd;
        this.headerEnd = headerEnd;
        if (headerEnd < 0) {
            timestamp = "";
            source = "";
        } else {
            int space = text.lastIndexOf(' ', bracket);
            timestamp = space < 0 ? "" : text.substring(0, space);
            source = text.substring(space + 1, bracket);
        }
    }

    public static LogLine parse(String text) {
        int from = 0;
        int n = text.length();
        while (true) {
            int b = text.indexOf('[', from);
            if (b < 0) return new LogLine(text, -1, -1, -1);
            int i = b + 1;
            while (i < n && isWordOrDash(text.charAt(i))) i++;
            int identEnd = i;
            if (identEnd > b + 1) {
                while (i < n && (isDigit(text.charAt(i)) || text.charAt(i) == '.')) i++;
                if (i + 1 < n && text.charAt(i) == ']' && text.charAt(i + 1) == ':') return new LogLine(text, b, identEnd, i + 2);
            }
            from = b + 1;
        }
    }

    private static boolean isWordOrDash(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The line exactly as received. */
    public String text() {
        return text;
    }

    public boolean hasHeader() {
        return headerEnd >= 0;
    }

    /** {@code 2024-01-25T16:33:07.123456+00:00}; empty without a header. */
    public String timestamp() {
        return timestamp;
    }

    /** {@code app} or {@code heroku} (or an add-on's name); empty without a header. */
    public String source() {
        return source;
    }

    /** {@code web.1}, {@code router}, {@code run.4821}; empty without a header. */
    public String dyno() {
        return headerEnd < 0 ? "" : text.substring(bracket + 1, headerEnd - 2);
    }

    /** The CLI's identifier: the dyno name without its number ({@code web} for {@code web.1}). */
    public String identifier() {
        return headerEnd < 0 ? "" : text.substring(bracket + 1, identEnd);
    }

    /** Everything up to and including {@code "]:"}; the whole line without a header. */
    public String header() {
        return headerEnd < 0 ? text : text.substring(0, headerEnd);
    }

    /** The message after the header, trimmed; the whole line without a header. */
    public String message() {
        return headerEnd < 0 ? text : text.substring(headerEnd).strip();
    }

    public boolean isRouter() {
        return headerEnd >= 0 && identEnd - bracket - 1 == 6 && text.startsWith("router", bracket + 1);
    }

    /** Whether the dyno name is {@code prefix} or {@code prefix.*} (logplex's rule: {@code web} matches {@code web.1}). */
    public boolean dynoMatches(String prefix) {
        if (headerEnd < 0) return false;
        int start = bracket + 1;
        int end = headerEnd - 2;
        int len = prefix.length();
        if (end - start < len || !text.regionMatches(start, prefix, 0, len)) return false;
        return end - start == len || text.charAt(start + len) == '.';
    }

    public boolean sourceIs(String s) {
        return headerEnd >= 0 && source.equals(s);
    }

    /**
     * Calls {@code field} for each {@code key=value} of the message, in order: quoted values without
     * their quotes, empty values as "". Words without {@code =} are skipped.
     */
    public void fields(BiConsumer<String, String> field) {
        String m = text;
        int n = m.length();
        int i = headerEnd < 0 ? 0 : headerEnd;
        while (i < n) {
            while (i < n && Character.isWhitespace(m.charAt(i))) i++;
            int keyStart = i;
            while (i < n && m.charAt(i) != '=' && !Character.isWhitespace(m.charAt(i))) i++;
            if (i >= n || m.charAt(i) != '=') continue;
            String key = m.substring(keyStart, i);
            i++;
            String value;
            if (i < n && m.charAt(i) == '"') {
                int close = m.indexOf('"', i + 1);
                if (close < 0) close = n;
                value = m.substring(i + 1, close);
                i = Math.min(n, close + 1);
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(m.charAt(i))) i++;
                value = m.substring(start, i);
            }
            field.accept(key, value);
        }
    }

    /** The value of router field {@code key} (unquoted, possibly ""), or null when absent. */
    public String field(String key) {
        String[] found = new String[1];
        fields((k, v) -> {
            if (found[0] == null && k.equals(key)) found[0] = v;
        });
        return found[0];
    }

    @Override
    public String toString() {
        return text;
    }
}
