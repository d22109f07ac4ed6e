package dev.parity.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.RecordingRunner;
import dev.parity.support.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ENV tail` in-process against a small local API + stream: output, filters, colour, failures. */
class TailVerbTest {
    static final String APP = "myapp-staging";
    static final String TS = "2024-01-25T16:33:07.223456+00:00 ";
    static final List<String> LINES = List.of(
            TS + "heroku[router]: at=info method=GET path=\"/\" host=x request_id=1 fwd=\"1.2.3.4\" dyno=web.1 connect=0ms service=5ms status=200 bytes=10 protocol=https",
            TS + "heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow\" dyno=web.1 connect=1ms service=30000ms status=503 bytes=0 protocol=https",
            TS + "app[web.1]: Started GET \"/\"",
            TS + "heroku[web.2]: Error R14 (Memory quota exceeded)",
            TS + "app[worker.1]: processed job",
            TS + "heroku[web.10]: State changed from starting to up");

    @TempDir
    Path repo;
    StreamServer server;
    final List<String> sessionBodies = new CopyOnWriteArrayList<>();
    volatile int sessionStatus = 201;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        server = new StreamServer();
        server.server.createContext("/apps/", ex -> {
            sessionBodies.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (sessionStatus == 201) {
                StreamServer.reply(ex, 201, "application/json", "{\"id\":\"s1\",\"logplex_url\":\"" + server.url() + "?token=secret\"}");
            } else {
                StreamServer.reply(ex, sessionStatus, "application/json", "{\"id\":\"not_found\",\"message\":\"Couldn't find that app.\"}");
            }
            ex.close();
        });
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    Run tail(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("HEROKU_HOST", "http://127.0.0.1:" + server.server.getAddress().getPort(),
                "HEROKU_API_KEY", "test-token"));
        env.putAll(extraEnv);
        String[] argv = new String[args.length + 2];
        argv[0] = "staging";
        argv[1] = "tail";
        System.arraycopy(args, 0, argv, 2, args.length);
        return Run.parity(repo, new RecordingRunner().withRemote("staging", "https://git.heroku.com/" + APP + ".git"), env, "", argv);
    }

    static String sse(List<String> lines) {
        StringBuilder b = new StringBuilder("retry: 250\n\n");
        for (int i = 0; i < lines.size(); i++) b.append(StreamServer.event(i + 1, lines.get(i)));
        return b.toString();
    }

    @Test
    void withoutFlagsEachLineIsPrintedAsTheServerSentIt() {
        server.then(StreamServer.sse(sse(LINES)));
        Run r = tail(Map.of(), "--no-tail");
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(String.join("\n", LINES) + "\n", r.out);
        assertEquals(List.of("POST /apps/" + APP + "/log-sessions {\"lines\":100,\"tail\":false}"), sessionBodies);
        assertFalse(r.err.contains("secret"), r.err);
    }

    @Test
    void errorsKeepsOnlyErrorLinesAndPsWebIsAPrefix() {
        server.then(StreamServer.sse(sse(LINES)));
        Run errors = tail(Map.of(), "--no-tail", "--errors", "-n", "50");
        assertEquals(0, errors.exitCode, errors.toString());
        assertEquals(LINES.get(1) + "\n" + LINES.get(3) + "\n", errors.out);

        server.then(StreamServer.sse(sse(LINES)));
        Run web = tail(Map.of(), "--no-tail", "--ps", "web", "--source", "heroku");
        assertEquals(0, web.exitCode, web.toString());
        assertEquals(LINES.get(3) + "\n" + LINES.get(5) + "\n", web.out);
        assertEquals("POST /apps/" + APP + "/log-sessions {\"dyno\":\"web\",\"lines\":100,\"source\":\"heroku\",\"tail\":false}", sessionBodies.get(1));
    }

    @Test
    void colourOnlyWhenAskedOrAtATerminal() {
        server.then(StreamServer.sse(sse(LINES))).then(StreamServer.sse(sse(LINES)));
        Run always = tail(Map.of("NO_COLOR", "1"), "--no-tail", "--color", "always");
        assertTrue(always.out.contains("\u001b[1;31m"), always.out);
        Run auto = tail(Map.of(), "--no-tail");
        assertFalse(auto.out.contains("\u001b["), "stdout is not a terminal here");
        Run bad = tail(Map.of(), "--color", "sometimes");
        assertEquals(2, bad.exitCode, bad.toString());
    }

    @Test
    void apiErrorsAreOneLineAndExit2() {
        sessionStatus = 404;
        Run r = tail(Map.of());
        assertEquals(2, r.exitCode, r.toString());
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains("Couldn't find that app."), r.err);

        Run noToken = Run.parity(repo, new RecordingRunner().withRemote("staging", "https://git.heroku.com/" + APP + ".git"),
                Map.of("HEROKU_HOST", "http://127.0.0.1:1"), "", "staging", "tail");
        assertEquals(2, noToken.exitCode, noToken.toString());
        assertTrue(noToken.err.contains("HEROKU_API_KEY"), noToken.err);

        sessionStatus = 201;
        server.then(StreamServer.status(500));
        Run stream = tail(Map.of());
        assertEquals(2, stream.exitCode, stream.toString());
        assertTrue(stream.err.contains("Logs eventsource failed with: 500"), stream.err);
        assertFalse(stream.err.contains("secret"), "the stream's token is never printed");
    }

    @Test
    void usageErrors() {
        assertEquals(2, tail(Map.of(), "--ps", "web", "--dyno", "web.1").exitCode);
        assertEquals(2, tail(Map.of(), "-n", "-1").exitCode);
        assertTrue(sessionBodies.isEmpty());
    }
}
