package dev.parity.sandbox.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.sandbox.api.LogApi;
import dev.parity.sandbox.support.SandboxFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log stream on the wire: SSE events, Last-Event-ID, expiry, text/plain, and injection. */
class LogStreamHttpTest {
    static final String APP = "demo-logs";

    @TempDir
    Path tmp;
    SandboxFixture f;
    Admin admin;
    LogApi logs;
    boolean closed;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        logs = f.sandbox().part(LogApi.class);
        logs.streams().keepAlive(Duration.ofMillis(100));
        f.sandbox().createApp(APP, false, Map.of());
        admin = new Admin(f.sandbox());
    }

    @AfterEach
    void tearDown() {
        if (!closed) f.close();
    }

    HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return admin.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<InputStream> open(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return admin.http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void sessionAnswersLikeHerokuAndNonTailSendsTheBacklogAsEvents() throws Exception {
        JsonNode ids = admin.inject(APP, "{\"lines\": [\"app[web.1]: one\", \"app[web.1]: two\", \"app[web.1]: three\"]}");
        assertEquals(3, ids.path("count").asInt());
        JsonNode session = admin.session(APP, "{\"lines\": 100, \"tail\": false, \"source\": \"app\"}");
        assertTrue(session.path("id").asText().matches("[0-9a-f-]{36}"), session.toString());
        assertTrue(session.path("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), session.toString());
        String url = session.path("logplex_url").asText();
        assertTrue(url.startsWith(f.sandbox().baseUrl() + "/log-stream/"), url);

        // No Authorization: the URL is the credential.
        HttpResponse<String> r = get(url, "Accept", "text/event-stream");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""));
        long first = ids.path("first_id").asLong();
        String expected = "id: " + first + "\ndata: ";
        assertTrue(r.body().contains(expected), r.body());
        assertTrue(r.body().matches("(?s)retry: \\d+\n\n(id: \\d+\ndata: \\S+ app\\[web\\.1\\]: \\w+\n\n){3}"), r.body());
    }

    @Test
    void reconnectWithLastEventIdReplaysNothing() throws Exception {
        JsonNode ids = admin.inject(APP, "{\"lines\": [\"app[web.1]: one\", \"app[web.1]: two\", \"app[web.1]: three\"]}");
        String url = admin.session(APP, "{\"tail\": false}").path("logplex_url").asText();
        long last = ids.path("last_id").asLong();
        HttpResponse<String> resumed = get(url, "Last-Event-ID", String.valueOf(last - 1));
        assertEquals(List.of("id: " + last, "app[web.1]: three"),
                resumed.body().lines().filter(l -> l.startsWith("id:") || l.startsWith("data:"))
                        .map(l -> l.startsWith("data:") ? l.substring(l.indexOf(' ', 6) + 1) : l).toList(), resumed.body());

        // A tail that reconnects after the last line it saw gets only what comes next.
        String tail = admin.session(APP, "{\"tail\": true}").path("logplex_url").asText();
        HttpResponse<InputStream> stream = open(tail, "Last-Event-ID", String.valueOf(last));
        BlockingQueue<String> events = readLines(stream.body());
        SandboxFixture.await(Duration.ofSeconds(5), () -> f.sandbox().logs().listenerCount() == 1);
        admin.inject(APP, "{\"lines\": [\"app[web.1]: four\"]}");
        String firstData = nextData(events);
        assertTrue(firstData.endsWith(" app[web.1]: four"), firstData);
        stream.body().close();
        SandboxFixture.await(Duration.ofSeconds(5), () -> f.sandbox().logs().listenerCount() == 0);
    }

    @Test
    void tailSendsKeepAlivesAndEndsWhenTheSandboxCloses() throws Exception {
        String tail = admin.session(APP, "{\"tail\": true, \"dyno\": \"web\"}").path("logplex_url").asText();
        HttpResponse<InputStream> stream = open(tail);
        BlockingQueue<String> lines = readLines(stream.body());
        assertEquals(": keep-alive", lines.poll(5, TimeUnit.SECONDS));
        admin.inject(APP, "{\"lines\": [\"app[worker.1]: not web\", \"app[web.3]: web\"]}");
        assertTrue(nextData(lines).endsWith(" app[web.3]: web"));
        assertEquals(1, logs.streams().openTails());

        f.close();
        closed = true;
        SandboxFixture.await(Duration.ofSeconds(5), () -> lines.contains(EOF));
        assertEquals(0, f.sandbox().logs().listenerCount());
        assertEquals(0, logs.streams().openTails());
    }

    @Test
    void unknownAndExpiredTokensAre404ButAConnectedSessionOutlivesTheUnusedLimit() throws Exception {
        assertEquals(404, get(f.sandbox().baseUrl() + "/log-stream/nosuchtoken").statusCode());

        String unused = admin.session(APP, "{}").path("logplex_url").asText();
        String used = admin.session(APP, "{}").path("logplex_url").asText();
        assertEquals(200, get(used).statusCode());
        // no waiting for the limit to pass: it shrinks to nothing, so the unused session is past it
        logs.sessions().unusedLifetime(Duration.ZERO);
        HttpResponse<String> expired = get(unused);
        assertEquals(404, expired.statusCode(), expired.body());
        assertEquals("not_found", admin.json(expired.body()).path("id").asText());
        assertEquals(200, get(used).statusCode(), "a connected session may reconnect");
    }

    @Test
    void plainTextForClientsThatAskForIt() throws Exception {
        admin.inject(APP, "{\"lines\": [\"heroku[router]: at=info method=GET path=\\\"/\\\" status=200\", \"app[web.1]: hi\"]}");
        String url = admin.session(APP, "{\"lines\": 2}").path("logplex_url").asText();
        HttpResponse<String> r = get(url, "Accept", "text/plain");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        List<String> lines = r.body().lines().toList();
        assertEquals(2, lines.size(), r.body());
        assertTrue(lines.get(0).endsWith(" heroku[router]: at=info method=GET path=\"/\" status=200"), r.body());
        assertTrue(lines.get(1).matches("\\S+ app\\[web\\.1\\]: hi"), r.body());
    }

    @Test
    void sessionsNeedTheTokenAndAnApp() throws Exception {
        HttpResponse<String> missing = admin.post("/apps/no-such-app/log-sessions", "{}");
        assertEquals(404, missing.statusCode(), missing.body());
        HttpResponse<String> noAuth = admin.http.send(HttpRequest.newBuilder(URI.create(f.sandbox().baseUrl() + "/apps/" + APP + "/log-sessions"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noAuth.statusCode());
    }

    @Test
    void injectionGeneratesKindsAndPacesInTheBackground() throws Exception {
        LogHub hub = f.sandbox().logs();
        int before = hub.recent(APP).size();
        JsonNode r = admin.inject(APP, "{\"kind\": \"router-error\", \"count\": 20}");
        assertEquals(20, r.path("count").asInt());
        List<LogLine> added = hub.recent(APP).subList(before, hub.recent(APP).size());
        assertEquals(20, added.size());
        assertTrue(added.stream().allMatch(l -> l.dyno().equals("router") && l.message().startsWith("at=error code=H")
                || l.message().startsWith("sock=backend at=error code=H18")), added.toString());

        HttpResponse<String> paced = admin.injectRaw(APP, "{\"kind\": \"app\", \"count\": 10, \"rate\": 40}");
        assertEquals(202, paced.statusCode(), paced.body());
        SandboxFixture.await(Duration.ofSeconds(30), () -> hub.recent(APP).size() == before + 30);
        SandboxFixture.await(Duration.ofSeconds(30), () -> logs.injector().running() == 0); // ends once its lines are in

        HttpResponse<String> bad = admin.injectRaw(APP, "{\"lines\": [\"no brackets here\"]}");
        assertEquals(422, bad.statusCode(), bad.body());
        assertEquals(422, admin.injectRaw(APP, "{\"kind\": \"nonsense\"}").statusCode());

        // A paced injection runs in the background (a million lines at 5/s cannot be in by its 202)
        // and stops when the sandbox closes.
        assertEquals(202, admin.injectRaw(APP, "{\"kind\": \"r14\", \"count\": 1000000, \"rate\": 5}").statusCode());
        assertEquals(1, logs.injector().running());
        f.close();
        closed = true;
        assertEquals(0, logs.injector().running());
    }

    static final String EOF = "<eof>";

    /** Reads the stream's lines into a queue on a thread of its own; {@link #EOF} when it ends. */
    static BlockingQueue<String> readLines(InputStream in) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) if (!l.isEmpty()) q.add(l);
            } catch (IOException ignored) {
                // closed under us
            }
            q.add(EOF);
        });
        t.setDaemon(true);
        t.start();
        return q;
    }

    static String nextData(BlockingQueue<String> q) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String l = q.poll(100, TimeUnit.MILLISECONDS);
            if (l == null || l.startsWith(":") || l.startsWith("id:")) continue;
            assertFalse(l.equals(EOF), "stream ended");
            return l.substring("data: ".length());
        }
        throw new AssertionError("no data event");
    }
}
