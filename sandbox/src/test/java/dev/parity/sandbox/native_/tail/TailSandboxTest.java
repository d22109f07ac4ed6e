package dev.parity.sandbox.native_.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.cli.Parity;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.api.LogApi;
import dev.parity.sandbox.logs.LineGenerator;
import dev.parity.sandbox.logs.LogHub;
import dev.parity.sandbox.logs.RawLine;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import dev.parity.ui.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native `production tail` against the sandbox, compared with the official `heroku logs` on the same app. */
class TailSandboxTest {
    static final String APP = "tail-native";

    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;
    Path repo;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        f.sandbox().part(LogApi.class).streams().keepAlive(Duration.ofMillis(100));
        app = f.sandbox().createApp(APP, false, Map.of("web", 2, "worker", 1));
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream().allMatch(d -> d.state.equals("up")));
        env = f.env();
        repo = Files.createDirectories(tmp.resolve("repo"));
        git("init", "-q");
        git("remote", "add", "production", f.sandbox().baseUrl() + "/" + APP + ".git");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    void git(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Outcome o = f.run(argv, null, repo);
        assertEquals(0, o.exitCode(), o.toString());
    }

    record Result(int exitCode, String out, String err) {}

    Result parity(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Parity(io(out, err), new SystemProcessRunner(env, repo)).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Io io(OutputStream out, ByteArrayOutputStream err) {
        return new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), env, repo, false);
    }

    void inject(Iterator<RawLine> lines) {
        f.sandbox().part(LogApi.class).injector().appendNow(APP, lines);
    }

    void inject(String... lines) {
        inject(Stream.of(lines).map(RawLine::parse).iterator());
    }

    /** A realistic mix: router ok and error lines, R14 pairs, app output, on web.1/web.2 and the worker. */
    void injectMix() {
        LineGenerator g = new LineGenerator(APP, List.of("web.1", "web.2"), null, 7);
        inject(g.lines(LineGenerator.Kind.ROUTER_OK, 12));
        inject(g.lines(LineGenerator.Kind.ROUTER_ERROR, 5));
        inject(g.lines(LineGenerator.Kind.APP, 6));
        inject(g.lines(LineGenerator.Kind.R14, 4));
        inject("app[worker.1]: processed job 1", "heroku[router]: at=info method=GET path=\"/boom\" host=x dyno=web.1 connect=0ms service=5ms status=500 bytes=0 protocol=https",
                "app[web.10]: from web ten", "heroku[router]: at=info method=GET path=\"/Error H12\" host=x dyno=web.2 connect=0ms service=5ms status=200 bytes=10 protocol=https");
    }

    @Test
    void withoutFlagsTheOutputIsHerokuLogsByteForByte() throws Exception {
        injectMix();
        for (String n : List.of("5", "30", "1500")) {
            Outcome heroku = f.heroku("logs", "-n", n, "--app", APP);
            assertEquals(0, heroku.exitCode(), heroku.toString());
            Result r = parity("production", "tail", "--no-tail", "-n", n);
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(heroku.out(), r.out(), "-n " + n);
        }
    }

    @Test
    void psAndSourceFiltersMatchHerokuLogs() throws Exception {
        injectMix();
        Outcome heroku = f.heroku("logs", "-p", "web", "--source", "app", "-n", "200", "--app", APP);
        Result r = parity("production", "tail", "--no-tail", "--ps", "web", "--source", "app", "-n", "200");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(heroku.out(), r.out());
        assertTrue(r.out().contains("app[web.10]: from web ten"), r.out());
        assertFalse(r.out().contains("worker.1") || r.out().contains("heroku["), r.out());

        Outcome herokuDyno = f.heroku("logs", "--dyno", "web.1", "-n", "200", "--app", APP);
        Result dyno = parity("production", "tail", "--no-tail", "-d", "web.1", "-n", "200");
        assertEquals(herokuDyno.out(), dyno.out());
    }

    @Test
    void errorsKeepsExactlyTheErrorLines() throws Exception {
        injectMix();
        LogHub hub = f.sandbox().logs();
        // Independently of parity's rule: the generator's router errors are at=error (H18's after sock=), R14 pairs end in the error line,
        // and one router line has status=500; the path "/Error H12" on a 200 is not an error.
        List<String> expected = hub.recent(APP).stream()
                .filter(l -> (" " + l.message()).contains(" at=error ") || l.message().startsWith("Error R14") || l.message().contains("status=500"))
                .map(dev.parity.sandbox.logs.LogLine::format).toList();
        assertEquals(5 + 2 + 1, expected.size());
        Result r = parity("production", "tail", "--no-tail", "--errors", "-n", "1500");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(String.join("\n", expected) + "\n", r.out());
    }

    @Test
    void tailShowsNewLinesAndLetsGoOfTheStreamWhenStopped() throws Exception {
        injectMix();
        LogHub hub = f.sandbox().logs();
        LineQueue out = new LineQueue();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread t = new Thread(() -> exit.set(new Parity(io(out, err), new SystemProcessRunner(env, repo)).run("production", "tail", "-n", "10")));
        t.start();
        try {
            Outcome heroku = f.heroku("logs", "-n", "10", "--app", APP);
            List<String> first = new ArrayList<>();
            for (int i = 0; i < 10; i++) first.add(out.next());
            assertEquals(heroku.out(), String.join("\n", first) + "\n", "the tail's backlog is `heroku logs -n 10`");
            SandboxFixture.await(Duration.ofSeconds(10), () -> hub.listenerCount() == 1);
            inject("app[web.2]: after the tail began", "heroku[web.1]: Error R14 (Memory quota exceeded)");
            assertTrue(out.next().endsWith(" app[web.2]: after the tail began"));
            assertTrue(out.next().endsWith(" heroku[web.1]: Error R14 (Memory quota exceeded)"));
            assertTrue(t.isAlive(), "a tail keeps running");
        } finally {
            t.interrupt();
            t.join(10_000);
        }
        assertFalse(t.isAlive());
        assertEquals(130, exit.get());
        String errText = err.toString(StandardCharsets.UTF_8);
        assertFalse(errText.contains("Exception") || errText.contains("\tat "), "no stack trace: " + errText);
        SandboxFixture.await(Duration.ofSeconds(10), () -> hub.listenerCount() == 0);
        assertEquals(0, f.sandbox().part(LogApi.class).streams().openTails());
    }

    @Test
    void anUnknownAppIsOneLineAndExit2() throws Exception {
        git("remote", "add", "staging", f.sandbox().baseUrl() + "/no-such-app.git");
        Result r = parity("staging", "tail");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.out().isEmpty());
    }

    /** An OutputStream whose complete lines can be taken one at a time, as a terminal would show them. */
    static final class LineQueue extends OutputStream {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
            } else {
                partial.write(b);
            }
        }

        String next() throws InterruptedException {
            String l = lines.poll(20, TimeUnit.SECONDS);
            if (l == null) throw new AssertionError("no line within 20 s");
            return l;
        }
    }
}
