package dev.parity.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.http.Json;
import dev.parity.sandbox.http.Part;
import dev.parity.sandbox.http.Request;
import dev.parity.sandbox.http.Response;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.logs.LineGenerator;
import dev.parity.sandbox.logs.LineInjector;
import dev.parity.sandbox.logs.LogFilter;
import dev.parity.sandbox.logs.LogSession;
import dev.parity.sandbox.logs.LogSessions;
import dev.parity.sandbox.logs.LogStreams;
import dev.parity.sandbox.logs.RawLine;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Log sessions ({@code POST /apps/{app}/log-sessions}), the stream behind their {@code logplex_url}
 * (a capability: no Authorization), and {@code POST /sandbox/apps/{app}/log-lines} to inject lines.
 */
public final class LogApi implements Part {
    private final Platform platform;
    private final LogSessions sessions;
    private final LogStreams streams;
    private final LineInjector injector;

    public LogApi(Platform platform) {
        this.platform = platform;
        this.sessions = new LogSessions(platform.clock());
        this.streams = new LogStreams(platform.logs(), platform.clock());
        this.injector = new LineInjector(platform.logs());
    }

    public LogSessions sessions() {
        return sessions;
    }

    public LogStreams streams() {
        return streams;
    }

    public LineInjector injector() {
        return injector;
    }

    @Override
    public void register(Router router) {
        router.add("POST", "/apps/([^/]+)/log-sessions", this::createSession);
        router.addOpen("GET", "/log-stream/([^/]+)", this::stream);
        router.addAdmin("POST", "/sandbox/apps/([^/]+)/log-lines", this::inject);
    }

    private Response createSession(Request q) throws IOException {
        App app = platform.app(q.param(0));
        JsonNode b = q.json();
        // CLI 11 sends dyno (v5 schema); the v6 schema names it dyno_name, or type for a process type.
        String dyno = firstText(b, "dyno", "dyno_name", "type");
        LogFilter filter = new LogFilter(dyno, text(b, "source"));
        JsonNode lines = b.path("lines");
        if (!lines.isMissingNode() && !lines.isNull() && !lines.canConvertToInt()) throw ApiError.invalidParams("lines must be an integer");
        LogSession session = sessions.create(app.name, filter, lines.asInt(LogSessions.DEFAULT_LINES), b.path("tail").asBoolean(false));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", session.id);
        body.put("logplex_url", platform.baseUrl() + "/log-stream/" + session.token);
        body.put("created_at", Json.time(session.createdAt));
        body.put("updated_at", Json.time(session.createdAt));
        return Response.created(body);
    }

    private Response stream(Request q) throws IOException {
        LogSession session = sessions.connect(q.param(0));
        if (session == null) throw ApiError.notFound("Log session not found or expired.", "log_session");
        streams.serve(q.exchange(), session, lastEventId(q.header("Last-Event-ID")), wantsPlainText(q.header("Accept")));
        return Response.STREAMED;
    }

    /** Server-Sent Events unless the client asks for text/plain and not for event streams. */
    private static boolean wantsPlainText(String accept) {
        return accept != null && accept.contains("text/plain") && !accept.contains("text/event-stream");
    }

    private static long lastEventId(String header) {
        try {
            return header == null ? 0 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * {@code {"lines": ["heroku[router]: at=error code=H12 ...", ...]}} appends those lines;
     * {@code {"kind": "router-error|router-ok|r14|app", "count": N, "code": "H12"}} generates them.
     * {@code "rate": perSecond} paces them on a background thread and answers 202 at once;
     * without it they are appended before the answer (200, with the ids of the first and last).
     */
    private Response inject(Request q) throws IOException {
        App app = platform.app(q.param(0));
        JsonNode b = q.json();
        double rate = b.path("rate").asDouble(0);
        Iterator<RawLine> lines;
        long count;
        try {
            if (b.path("lines").isArray()) {
                List<RawLine> given = new ArrayList<>();
                for (JsonNode l : b.path("lines")) given.add(RawLine.parse(l.asText()));
                count = given.isEmpty() ? 0 : b.path("count").asLong(given.size());
                // count > size repeats the lines, for load.
                lines = given.isEmpty() ? List.<RawLine>of().iterator()
                        : LongStream.range(0, count).mapToObj(i -> given.get((int) (i % given.size()))).iterator();
            } else if (b.has("kind")) {
                count = b.path("count").asLong(1);
                LineGenerator generator = new LineGenerator(app.name, webDynos(app), text(b, "code"), b.path("seed").asLong(System.nanoTime()));
                lines = generator.lines(LineGenerator.Kind.of(b.path("kind").asText()), count);
            } else {
                throw ApiError.invalidParams("give lines: [\"source[dyno]: message\", ...] or kind: router-error|router-ok|r14|app");
            }
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidParams(e.getMessage());
        }
        if (count < 0 || rate < 0) throw ApiError.invalidParams("count and rate must not be negative");
        if (rate > 0) {
            injector.appendPaced(app.name, lines, rate);
            return new Response(202, Map.of("count", count, "rate", rate), Map.of());
        }
        LineInjector.Result r = injector.appendNow(app.name, lines);
        return Response.ok(Map.of("count", r.count(), "first_id", r.firstId(), "last_id", r.lastId()));
    }

    private static List<String> webDynos(App app) {
        return app.dynosSnapshot().stream().filter(d -> d.type.equals("web")).map(d -> d.name).toList();
    }

    private static String firstText(JsonNode b, String... fields) {
        for (String f : fields) {
            String t = text(b, f);
            if (t != null) return t;
        }
        return null;
    }

    private static String text(JsonNode b, String field) {
        JsonNode n = b.path(field);
        return n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    @Override
    public void close() {
        injector.close();
        streams.close();
    }
}
