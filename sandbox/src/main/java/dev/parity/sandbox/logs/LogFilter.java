package dev.parity.sandbox.logs;

/**
 * A log session's filters, as logplex applies them: {@code dyno} is a prefix ({@code web} matches
 * {@code web} and {@code web.*}, {@code web.1} only itself, not {@code web.10}); {@code source} is
 * {@code app} or {@code heroku}. A null or empty filter matches everything.
 */
public record LogFilter(String dyno, String source) {
    public static final LogFilter ALL = new LogFilter(null, null);

    public boolean matches(LogLine line) {
        return matchesDyno(line.dyno()) && (blank(source) || source.equals(line.source()));
    }

    private boolean matchesDyno(String name) {
        if (blank(dyno)) return true;
        return name.equals(dyno) || name.startsWith(dyno + ".");
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }
}
