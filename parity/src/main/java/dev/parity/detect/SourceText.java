package dev.parity.detect;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Best-effort reading of settings written as code (Python, JavaScript, Elixir): a key's value when it
 * is a string or number literal, or an environment lookup with an optional literal default. Anything
 * cleverer is "unknown" and the caller falls back to the next source.
 */
final class SourceText {

    /** A quoted literal without interpolation: '...' or "..." (and `...` for JavaScript). */
    private static final Pattern LITERAL = Pattern.compile("(['\"`])((?:\\\\.|(?!\\1)[^\\\\])*)\\1");
    private static final Pattern NUMBER = Pattern.compile("\\d+\\b");
    /** What joins a lookup to its default: os.getenv('X', 'd'), env('X', default='d'), X || 'd', X ?? 'd', X or 'd'. */
    private static final Pattern DEFAULT_JOIN =
            Pattern.compile("\\s*[)\\]]?\\s*(?:,|\\|\\||\\?\\?|\\bor\\b)\\s*(?:default\\s*=\\s*)?");

    private SourceText() {}

    /**
     * The value of the expression at the start of {@code expression} (the rest of a line).
     *
     * @param envLookup matches an environment lookup at the start; the first non-null group is the name
     */
    static Optional<String> value(String expression, Pattern envLookup, Map<String, String> env) {
        String s = expression.strip();
        Matcher lookup = envLookup.matcher(s);
        if (lookup.lookingAt()) {
            String name = firstGroup(lookup);
            String set = env.get(name);
            if (set != null && !set.isBlank()) return Optional.of(set);
            Matcher join = DEFAULT_JOIN.matcher(s).region(lookup.end(), s.length());
            return join.lookingAt() ? literal(s.substring(join.end())) : Optional.empty();
        }
        return literal(s);
    }

    /** A literal at the start of {@code s}; strings with interpolation are not literals. */
    static Optional<String> literal(String s) {
        String t = s.strip();
        Matcher m = LITERAL.matcher(t);
        if (m.lookingAt()) {
            String body = m.group(2);
            if (body.contains("#{") || body.contains("${")) return Optional.empty();
            return body.isBlank() ? Optional.empty() : Optional.of(unescape(body));
        }
        Matcher n = NUMBER.matcher(t);
        return n.lookingAt() ? Optional.of(n.group()) : Optional.empty();
    }

    /**
     * The balanced {...} block that starts at the first '{' at or after {@code from}, braces included;
     * the rest of the text when unbalanced. Braces inside strings are not special-cased: best effort.
     */
    static String block(String text, int from) {
        int open = text.indexOf('{', from);
        if (open < 0) return "";
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') depth++;
            if (c == '}' && --depth == 0) return text.substring(open, i + 1);
        }
        return text.substring(open);
    }

    /** The rest of the line after the first match of {@code key} (a pattern ending just before the value). */
    static Optional<String> afterKey(String text, Pattern key) {
        Matcher m = key.matcher(text);
        if (!m.find()) return Optional.empty();
        int end = text.indexOf('\n', m.end());
        return Optional.of(text.substring(m.end(), end < 0 ? text.length() : end));
    }

    private static String firstGroup(Matcher m) {
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null) return m.group(g);
        }
        throw new IllegalArgumentException("lookup pattern has no group: " + m.pattern());
    }

    private static String unescape(String body) {
        return body.replaceAll("\\\\(.)", "$1");
    }
}
