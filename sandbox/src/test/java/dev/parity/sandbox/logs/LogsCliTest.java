package dev.parity.sandbox.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.api.LogApi;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official heroku CLI's {@code logs} (with and without {@code --tail}) against the sandbox. */
class LogsCliTest {
    static final String APP = "demo-logs";
    /** Heroku's line format: RFC 5424 time with microseconds, then source[dyno]: message. */
    static final Pattern LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 [a-z]+\\[[\\w.-]+\\]: .*");
    static final String H12 = "heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow\" host=demo-logs.herokuapp.com "
            + "request_id=5c1f2a77-9d0e-4e0f-8a59-0a4c4c3e7b11 fwd=\"1.2.3.4\" dyno=web.1 connect=1ms service=30000ms status=503 bytes=0 protocol=https";

    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;
    Admin admin;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        f.sandbox().part(LogApi.class).streams().keepAlive(Duration.ofMillis(100));
        app = f.sandbox().createApp(APP, false, Map.of("web", 2, "worker", 1));
        admin = new Admin(f.sandbox());
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream().allMatch(d -> d.state.equals("up")));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    static List<String> lines(Outcome o) {
        return o.out().isEmpty() ? List.of() : Arrays.asList(o.out().split("\n"));
    }

    @Test
    void logsPrintsInjectedLinesAndPlatformLinesInHerokusFormat() throws Exception {
        admin.inject(APP, "{\"lines\": [" + Admin.quote(H12) + ", \"app[web.1]: hello from web\"]}");
        Outcome restart = f.heroku("restart", "--app", APP);
        assertEquals(0, restart.exitCode(), restart.toString());
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream().allMatch(d -> d.state.equals("up")));

        Outcome o = f.heroku("logs", "--app", APP);
        assertEquals(0, o.exitCode(), o.toString());
        List<String> lines = lines(o);
        for (String l : lines) assertTrue(LINE.matcher(l).matches(), "not in Heroku's format: " + l);
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(" " + H12)), o.out());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(" app[web.1]: hello from web")), o.out());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(" heroku[api]: Release v1 created by dev@example.com")), o.out());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(" heroku[web.2]: State changed from up to starting")), o.out());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(" heroku[worker.1]: State changed from starting to up")), o.out());
        // Oldest first, as logplex sends them: the injected lines come before the restart.
        int injected = indexOfEnding(lines, "hello from web");
        int restarted = indexOfEnding(lines, "heroku[web.1]: Restarting");
        assertTrue(injected >= 0 && injected < restarted, o.out());
    }

    @Test
    void numLimitsTheBacklogAndDynoProcessTypeAndSourceFilter() throws Exception {
        admin.inject(APP, "{\"lines\": [\"app[web.1]: one\", \"app[web.2]: two\", \"app[web.10]: ten\", \"app[worker.1]: work\","
                + " \"heroku[web.1]: Error R14 (Memory quota exceeded)\", \"app[web.1]: last\"]}");

        List<String> last5 = f.sandbox().logs().recent(APP).stream().skip(f.sandbox().logs().recent(APP).size() - 5).map(LogLine::format).toList();
        Outcome five = f.heroku("logs", "-n", "5", "--app", APP);
        assertEquals(0, five.exitCode(), five.toString());
        assertEquals(last5, lines(five));

        Outcome web1 = f.heroku("logs", "--dyno", "web.1", "--app", APP);
        assertEquals(0, web1.exitCode(), web1.toString());
        assertTrue(lines(web1).stream().anyMatch(l -> l.endsWith("heroku[web.1]: Error R14 (Memory quota exceeded)")), web1.out());
        assertTrue(lines(web1).stream().allMatch(l -> l.contains("[web.1]: ")), web1.out());

        // A process type is a prefix (web.10 too, worker not); the source filter applies as well.
        Outcome web = f.heroku("logs", "-p", "web", "--source", "app", "--app", APP);
        assertEquals(0, web.exitCode(), web.toString());
        List<String> webLines = lines(web).stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
        assertEquals(List.of("app[web.1]: one", "app[web.2]: two", "app[web.10]: ten", "app[web.1]: last"), webLines);
    }

    @Test
    void tailShowsLinesAppendedLaterAndLetsGoWhenKilled() throws Exception {
        LogHub hub = f.sandbox().logs();
        admin.inject(APP, "{\"lines\": [\"app[web.1]: before the tail\"]}");
        ProcessBuilder pb = new ProcessBuilder(SandboxFixture.HEROKU.toString(), "logs", "--tail", "--app", APP)
                .directory(tmp.toFile()).redirectError(tmp.resolve("tail-err.txt").toFile());
        pb.environment().clear();
        pb.environment().putAll(f.env());
        Process p = pb.start();
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) out.add(l);
            } catch (java.io.IOException ignored) {
                // process killed
            }
        });
        reader.start();
        try {
            awaitLine(out, "app[web.1]: before the tail");
            assertEquals(1, hub.listenerCount());
            admin.inject(APP, "{\"lines\": [\"app[web.2]: after the tail began\"]}");
            String after = awaitLine(out, "app[web.2]: after the tail began");
            assertTrue(LINE.matcher(after).matches(), after);
            admin.inject(APP, "{\"kind\": \"router-error\", \"code\": \"H12\", \"count\": 3}");
            awaitLine(out, "code=H12");
            assertTrue(p.isAlive(), "a tail keeps running");
        } finally {
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            reader.join(5000);
        }
        SandboxFixture.await(Duration.ofSeconds(5), () -> hub.listenerCount() == 0);
        assertEquals(0, f.sandbox().part(LogApi.class).streams().openTails());
    }

    static int indexOfEnding(List<String> lines, String suffix) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).endsWith(suffix)) return i;
        return -1;
    }

    static String awaitLine(BlockingQueue<String> out, String containing) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String l = out.poll(100, TimeUnit.MILLISECONDS);
            if (l != null && l.contains(containing)) return l;
        }
        throw new AssertionError("the tail never printed " + containing);
    }
}
