package dev.parity.logs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a log line into what {@code tail} prints. Without colour the text is exactly what
 * {@code heroku logs} prints with colours off (its {@code colorize} still rejoins the header and
 * the trimmed message with one space, and a router line's fields with single spaces; with
 * {@code HEROKU_LOGS_COLOR=0} or {@code HEROKU_COLOR=0} the line is printed as received). With
 * colour, the header takes its identifier's colour, router fields are coloured as the CLI colours
 * them ({@code at code connect dyno method path service status}), and error lines
 * ({@link LogFilter#isError}) are highlighted in red. Not thread-safe (identifier colours are
 * assigned in order of appearance).
 */
public final class Colorizer {
    /** How {@code --color} was decided. */
    public enum Mode { ALWAYS, NEVER, AUTO }

    static final String RESET = "\u001b[0m";
    static final String DIM = "\u001b[2m";
    static final String RED = "\u001b[31m";
    static final String BOLD_RED = "\u001b[1;31m";
    static final String REVERSE_RED = "\u001b[1;97;41m";
    static final String GREEN = "\u001b[32m";
    static final String YELLOW = "\u001b[33m";
    static final String BLUE = "\u001b[34m";
    static final String MAGENTA = "\u001b[35m";
    static final String CYAN = "\u001b[36m";
    private static final List<String> PALETTE = List.of(YELLOW, GREEN, CYAN, MAGENTA, BLUE,
            "\u001b[94m", "\u001b[95m", "\u001b[96m", "\u001b[93m", "\u001b[92m");

    private final boolean colour;
    private final boolean raw;
    private final Map<String, String> identifierColours = new HashMap<>();

    /**
     * @param colour ANSI colours on
     * @param raw    print lines exactly as received (HEROKU_LOGS_COLOR=0 / HEROKU_COLOR=0)
     */
    public Colorizer(boolean colour, boolean raw) {
        this.colour = colour;
        this.raw = raw;
        for (String id : List.of("run", "router", "web", "postgres", "heroku-postgres")) colourFor(id);
    }

    /**
     * Colour on with {@code always}; off with {@code never}; with {@code auto} on only when stdout
     * is a terminal and {@code NO_COLOR} is not set (nor HEROKU_LOGS_COLOR=0 / HEROKU_COLOR=0).
     */
    public static boolean colourOn(Mode mode, boolean terminal, Map<String, String> env) {
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> terminal && !set(env, "NO_COLOR") && !"0".equals(env.get("HEROKU_LOGS_COLOR"))
                    && !"0".equals(env.get("HEROKU_COLOR"));
        };
    }

    /** Whether the CLI would print lines untouched: {@code HEROKU_LOGS_COLOR=0} or {@code HEROKU_COLOR=0}. */
    public static boolean rawLines(Map<String, String> env) {
        return "0".equals(env.get("HEROKU_LOGS_COLOR")) || "0".equals(env.get("HEROKU_COLOR"));
    }

    private static boolean set(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isEmpty();
    }

    public boolean colour() {
        return colour;
    }

    /** The printed form of {@code line}, without a newline. */
    public String render(LogLine line) {
        StringBuilder b = new StringBuilder(line.text().length() + 64);
        render(line, b);
        return b.toString();
    }

    /** Appends the printed form of {@code line} (no newline) to {@code b}. */
    public void render(LogLine line, StringBuilder b) {
        if (!colour) {
            if (raw || !line.hasHeader()) {
                b.append(line.text());
                return;
            }
            b.append(line.header()).append(' ');
            if (line.isRouter()) appendCollapsed(line.message(), b);
            else b.append(line.message());
            return;
        }
        if (!line.hasHeader()) {
            b.append(line.text());
            return;
        }
        boolean error = LogFilter.isError(line);
        paint(b, error ? BOLD_RED : colourFor(line.identifier()), line.header()).append(' ');
        String body = line.message();
        if (line.isRouter()) {
            routerFields(body, b);
        } else if (error) {
            paint(b, REVERSE_RED, body);
        } else {
            heroku(body, b);
        }
    }

    private static StringBuilder paint(StringBuilder b, String code, String s) {
        return b.append(code).append(s).append(RESET);
    }

    private String colourFor(String identifier) {
        int dot = identifier.indexOf('.');
        String id = dot < 0 ? identifier : identifier.substring(0, dot);
        String c = identifierColours.get(id);
        if (c == null) {
            c = PALETTE.get(identifierColours.size() % PALETTE.size());
            identifierColours.put(id, c);
        }
        return c;
    }

    /** The message's words joined by single spaces, as {@code body.split(/\s+/).join(' ')} does. */
    private static void appendCollapsed(String body, StringBuilder b) {
        int n = body.length();
        boolean space = false;
        for (int i = 0; i < n; i++) {
            char c = body.charAt(i);
            if (Character.isWhitespace(c)) {
                space = true;
            } else {
                if (space) b.append(' ');
                space = false;
                b.append(c);
            }
        }
    }

    /** The CLI's router colouring: each whitespace-separated {@code key=value}, keys dimmed. */
    private void routerFields(String body, StringBuilder b) {
        int n = body.length();
        int i = 0;
        boolean first = true;
        while (i < n) {
            while (i < n && Character.isWhitespace(body.charAt(i))) i++;
            if (i >= n) break;
            int start = i;
            while (i < n && !Character.isWhitespace(body.charAt(i))) i++;
            if (!first) b.append(' ');
            first = false;
            int eq = body.indexOf('=', start);
            if (eq < 0 || eq >= i) {
                paint(b, DIM, body.substring(start, i));
                continue;
            }
            String key = body.substring(start, eq);
            String value = body.substring(eq + 1, i);
            paint(b, DIM, body.substring(start, eq + 1));
            switch (key) {
                case "at" -> paint(b, value.equals("error") ? RED : DIM, value);
                case "code" -> paint(b, BOLD_RED, value);
                case "connect", "service" -> paint(b, ms(value), value);
                case "dyno" -> paint(b, colourFor(value), value);
                case "method" -> paint(b, MAGENTA, value);
                case "path" -> paint(b, GREEN, value);
                case "status" -> paint(b, status(value), value);
                default -> paint(b, DIM, value);
            }
        }
    }

    private static String status(String v) {
        int s;
        try {
            s = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return "";
        }
        if (s < 200) return "";
        if (s < 300) return GREEN;
        if (s < 400) return CYAN;
        if (s < 500) return YELLOW;
        if (s < 600) return BOLD_RED;
        return "";
    }

    private static String ms(String v) {
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
        if (end == 0 || end > 9) return "";
        int ms = Integer.parseInt(v, 0, end, 10);
        if (ms == 0) return "";
        if (ms < 100) return GREEN;
        if (ms < 500) return CYAN;
        if (ms < 5000) return YELLOW;
        if (ms < 10_000) return RED;
        return BOLD_RED;
    }

    /** Platform lines: state changes and exit statuses, as the CLI colours them for web and run dynos. */
    private static void heroku(String body, StringBuilder b) {
        if (body.startsWith("State changed from ")) {
            int to = body.indexOf(" to ", 19);
            if (to > 0) {
                b.append("State changed from ");
                paint(b, state(body.substring(19, to)), body.substring(19, to)).append(" to ");
                String after = body.substring(to + 4);
                paint(b, state(after), after);
                return;
            }
        }
        if (body.startsWith("Process exited with status ")) {
            String code = body.substring(27);
            b.append("Process exited with status ");
            paint(b, code.equals("0") ? GREEN : RED, code);
            return;
        }
        if (body.equals("Stopping all processes with SIGTERM")) {
            paint(b, RED, body);
            return;
        }
        b.append(body);
    }

    private static String state(String s) {
        return switch (s) {
            case "up", "complete" -> GREEN;
            case "down", "crashed" -> RED;
            case "starting" -> CYAN;
            default -> "";
        };
    }
}
