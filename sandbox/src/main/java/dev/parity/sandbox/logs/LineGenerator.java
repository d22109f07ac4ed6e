package dev.parity.sandbox.logs;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Realistic log lines for tests, rehearsals and the tail benchmark: router lines in Heroku's exact
 * key=value format (doc section 7.3), R14 memory warnings, and app output. Seeded, so a run can be
 * repeated line for line.
 */
public final class LineGenerator {
    /** What to generate; {@link #wire} is the name the admin API takes. */
    public enum Kind {
        ROUTER_ERROR("router-error"), ROUTER_OK("router-ok"), R14("r14"), APP("app");

        public final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public static Kind of(String wire) {
            for (Kind k : values()) if (k.wire.equals(wire)) return k;
            throw new IllegalArgumentException("kind must be one of router-error, router-ok, r14, app: " + wire);
        }
    }

    /**
     * One router error code. {@code servedByDyno}: whether the line names a dyno and timings (H10,
     * H14 never reach one). {@code serviceMs}: a fixed service time (H12's 30 s), or -1.
     */
    private record Code(String desc, String at, int status, String sock, boolean servedByDyno, int serviceMs) {}

    private static final Map<String, Code> CODES = Map.ofEntries(
            Map.entry("H10", new Code("App crashed", "error", 503, null, false, -1)),
            Map.entry("H11", new Code("Backlog too deep", "error", 503, null, false, -1)),
            Map.entry("H12", new Code("Request timeout", "error", 503, null, true, 30000)),
            Map.entry("H13", new Code("Connection closed without response", "error", 503, null, true, -1)),
            Map.entry("H14", new Code("No web dynos running", "error", 503, null, false, -1)),
            Map.entry("H15", new Code("Idle connection", "error", 503, null, true, 55000)),
            Map.entry("H18", new Code("Server Request Interrupted", "error", 503, "backend", true, -1)),
            Map.entry("H20", new Code("App boot timeout", "error", 503, null, false, -1)),
            Map.entry("H21", new Code("Backend connection refused", "error", 503, null, true, -1)),
            Map.entry("H27", new Code("Client Request Interrupted", "info", 499, "client", true, -1)),
            Map.entry("H80", new Code("Maintenance mode", "error", 503, null, false, -1)),
            Map.entry("H99", new Code("Platform error", "error", 503, null, false, -1)));

    /** What {@code router-error} cycles through when no code is pinned: the 5xx a busy app sees most. */
    private static final List<String> ERROR_CYCLE = List.of("H12", "H10", "H13", "H12", "H18");
    private static final List<String> PATHS = List.of("/", "/orders", "/orders/42", "/api/items?page=2", "/login", "/assets/app.css");
    private static final List<String> METHODS = List.of("GET", "GET", "GET", "POST", "PUT");
    private static final int QUOTA_MB = 512;

    private final String host;
    private final List<String> webDynos;
    private final Random random;
    private final String pinnedCode;
    private long n;

    /**
     * @param app       names the host ({@code app.herokuapp.com})
     * @param webDynos  dynos the router and app lines name (e.g. web.1, web.2); none: {@code web.1}
     * @param code      a router error code every router-error line uses (e.g. H12), or null to cycle
     */
    public LineGenerator(String app, List<String> webDynos, String code, long seed) {
        if (code != null && !CODES.containsKey(code)) {
            throw new IllegalArgumentException("unknown router error code " + code + "; known: " + String.join(", ", CODES.keySet().stream().sorted().toList()));
        }
        this.host = app + ".herokuapp.com";
        this.webDynos = webDynos.isEmpty() ? List.of("web.1") : List.copyOf(webDynos);
        this.pinnedCode = code;
        this.random = new Random(seed);
    }

    public LineGenerator(String app) {
        this(app, List.of(), null, 1);
    }

    /** The next line of {@code kind}. */
    public synchronized RawLine next(Kind kind) {
        long i = n++;
        return switch (kind) {
            case ROUTER_OK -> new RawLine("heroku", "router", routerOk());
            case ROUTER_ERROR -> new RawLine("heroku", "router", routerError(pinnedCode != null ? pinnedCode : ERROR_CYCLE.get((int) (i % ERROR_CYCLE.size()))));
            case R14 -> r14(i);
            case APP -> new RawLine("app", dyno(), appMessage(i));
        };
    }

    /** {@code count} lines of {@code kind}, made as they are consumed (large counts cost no memory). */
    public Iterator<RawLine> lines(Kind kind, long count) {
        return Stream.generate(() -> next(kind)).limit(count).iterator();
    }

    private String routerOk() {
        int status = random.nextInt(10) == 0 ? 304 : 200;
        return "at=info " + request() + " dyno=" + dyno() + " connect=" + random.nextInt(3) + "ms service=" + (5 + random.nextInt(200))
                + "ms status=" + status + " bytes=" + (status == 304 ? 0 : 200 + random.nextInt(20000)) + " protocol=https";
    }

    private String routerError(String code) {
        Code c = CODES.get(code);
        StringBuilder b = new StringBuilder();
        if (c.sock != null) b.append("sock=").append(c.sock).append(' ');
        b.append("at=").append(c.at).append(" code=").append(code).append(" desc=\"").append(c.desc).append("\" ").append(request());
        if (c.servedByDyno) {
            int service = c.serviceMs >= 0 ? c.serviceMs : random.nextInt(5000);
            b.append(" dyno=").append(dyno()).append(" connect=").append(random.nextInt(3)).append("ms service=").append(service).append("ms");
        } else {
            b.append(" dyno= connect= service=");
        }
        b.append(" status=").append(c.status).append(" bytes=").append(c.servedByDyno && c.sock == null ? "0" : "").append(" protocol=https");
        return b.toString();
    }

    /** method, path, host, request_id and fwd: the part every router line shares. */
    private String request() {
        String method = METHODS.get(random.nextInt(METHODS.size()));
        String path = PATHS.get(random.nextInt(PATHS.size()));
        String requestId = new UUID(random.nextLong(), random.nextLong()).toString();
        String fwd = (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
        return "method=" + method + " path=\"" + path + "\" host=" + host + " request_id=" + requestId + " fwd=\"" + fwd + "\"";
    }

    /** R14 comes as a pair on one dyno: the memory sample, then the error. */
    private RawLine r14(long i) {
        String dyno = webDynos.get((int) ((i / 2) % webDynos.size()));
        if (i % 2 == 1) return new RawLine("heroku", dyno, "Error R14 (Memory quota exceeded)");
        int mb = QUOTA_MB + 1 + random.nextInt(QUOTA_MB);
        String pct = String.format(Locale.ROOT, "%.1f", mb * 100.0 / QUOTA_MB);
        return new RawLine("heroku", dyno, "Process running mem=" + mb + "M(" + pct + "%)");
    }

    private String appMessage(long i) {
        String path = PATHS.get(random.nextInt(PATHS.size()));
        return switch ((int) (i % 3)) {
            case 0 -> "Started GET \"" + path + "\" for 10.1." + random.nextInt(256) + "." + random.nextInt(256);
            case 1 -> "Completed 200 OK in " + (3 + random.nextInt(300)) + "ms (Views: " + random.nextInt(50) + "ms | ActiveRecord: " + random.nextInt(40) + "ms)";
            default -> "[worker] processed job " + i + " from queue default";
        };
    }

    private String dyno() {
        return webDynos.get(random.nextInt(webDynos.size()));
    }
}
