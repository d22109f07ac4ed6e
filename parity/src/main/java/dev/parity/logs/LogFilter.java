package dev.parity.logs;

/**
 * Which lines {@code tail} prints. {@code ps} and {@code dyno} follow logplex's prefix rule
 * ({@code web} matches {@code web} and {@code web.N}, {@code web.1} only itself); {@code source}
 * is {@code app} or {@code heroku}; {@code errors} keeps only error lines (see {@link #isError}).
 * A null filter matches everything.
 */
public record LogFilter(String ps, String dyno, String source, boolean errors) {
    public static final LogFilter ALL = new LogFilter(null, null, null, false);

    public boolean matches(LogLine line) {
        if (ps != null && !line.dynoMatches(ps)) return false;
        if (dyno != null && !line.dynoMatches(dyno)) return false;
        if (source != null && !line.sourceIs(source)) return false;
        return !errors || isError(line);
    }

    /**
     * An error line: a router line with {@code at=error}, a {@code status} of 500 or more or a
     * {@code code=H..}; or any other line naming a Heroku error code, {@code Error H12}, {@code Error R14 (…)},
     * {@code Error L10 (…)}, or {@code code=H12}.
     */
    public static boolean isError(LogLine line) {
        String t = line.text();
        int from = line.hasHeader() ? line.header().length() : 0;
        // A router line is judged by its fields only: a path may hold any text.
        if (line.isRouter()) return routerError(line);
        return namesCode(t, "Error ", from) || namesCode(t, "code=", from);
    }

    private static boolean routerError(LogLine line) {
        boolean[] error = new boolean[1];
        line.fields((k, v) -> {
            if (error[0]) return;
            switch (k) {
                case "at" -> error[0] = v.equals("error");
                case "status" -> error[0] = status(v) >= 500;
                case "code" -> error[0] = isCode(v, 0);
                default -> { }
            }
        });
        return error[0];
    }

    private static int status(String v) {
        int n = 0;
        if (v.isEmpty() || v.length() > 4) return 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') return 0;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Whether {@code marker} followed by an H, R or L error code occurs in {@code t} after {@code from}. */
    private static boolean namesCode(String t, String marker, int from) {
        for (int i = t.indexOf(marker, from); i >= 0; i = t.indexOf(marker, i + 1)) {
            if (isCode(t, i + marker.length())) return true;
        }
        return false;
    }

    /** {@code H12}, {@code R14}, {@code L10} at {@code i}, not followed by another letter or digit. */
    private static boolean isCode(String t, int i) {
        if (i + 3 > t.length()) return false;
        char k = t.charAt(i);
        if (k != 'H' && k != 'R' && k != 'L') return false;
        if (!Character.isDigit(t.charAt(i + 1)) || !Character.isDigit(t.charAt(i + 2))) return false;
        return i + 3 == t.length() || !Character.isLetterOrDigit(t.charAt(i + 3));
    }
}
