package dev.parity.sandbox.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.logs.LogLine;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code heroku run} and {@code run:detached}, the official CLI unchanged, against the sandbox's one-off dynos. */
class RunCliTest {
    static final String A = "demo-run";

    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        app = f.sandbox().createApp(A, false, Map.of());
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void exitCodePassesThroughWithTheFlagOnly() throws Exception {
        Outcome with = f.heroku("run", "--exit-code", "exit 3", "--app", A);
        assertEquals(3, with.exitCode(), with.toString());
        Outcome without = f.heroku("run", "--app", A, "exit 3");
        assertEquals(0, without.exitCode(), without.toString());
        // with -x the dyno's last command is the CLI's echo, so only the plain run exits with 3
        SandboxFixture.await(Duration.ofSeconds(5), () -> logged("Process exited with status 3").size() == 1);
    }

    @Test
    void stdoutAndStderrStreamTogetherAndReachTheAppLog() throws Exception {
        Outcome o = f.heroku("run", "--exit-code", "--app", A, "--", "echo hello; echo oops >&2");
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals("hello\noops\n", o.out(), "merged, CRLF undone, exit marker removed\n" + o);

        LogLine out = logged("oops").get(0);
        assertEquals("app", out.source());
        assertTrue(out.dyno().matches("run\\.\\d{4}"), out.dyno());
        SandboxFixture.await(Duration.ofSeconds(5), () -> platformLines(out.dyno()).size() == 4);
        assertEquals(List.of("Starting process with command `echo hello; echo oops >&2 ; echo \"\uFFFF heroku-command-exit-status: $?\"`",
                "State changed from starting to up", "Process exited with status 0", "State changed from up to complete"),
                platformLines(out.dyno()));
    }

    @Test
    void stdinFeedsTheCommandAndEofEndsIt() throws Exception {
        Outcome o = f.herokuWithInput("line1\nline2\n", "run", "--exit-code", "cat", "--app", A);
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("line1\nline2\n"), o.toString());
    }

    @Test
    void commandSeesConfigVarsAndRunsInTheCodeDirectory() throws Exception {
        assertEquals(0, f.heroku("config:set", "FOO=bar", "--app", A).exitCode());
        Outcome o = f.heroku("run", "--exit-code", "--app", A, "-e", "EXTRA=given", "--",
                "echo \"$FOO $EXTRA $DYNO\"; pwd; test -n \"$PORT\"");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().matches("(?s)bar given run\\.\\d{4}\n.*"), o.toString());
        assertTrue(o.out().contains(app.codeDir.toRealPath() + "\n"), o.toString());
    }

    @Test
    void aRunningDynoIsListedAndGoneAfter() throws Exception {
        Path release = app.codeDir.resolve("release");
        CompletableFuture<Outcome> run = CompletableFuture.supplyAsync(() -> call(() ->
                f.heroku("run", "--exit-code", "--app", A, "while [ ! -f release ]; do sleep 0.05; done; echo released")));
        SandboxFixture.await(Duration.ofSeconds(20), () -> app.dynosSnapshot().stream().anyMatch(d -> d.state.equals("up")));
        Dyno d = app.dynosSnapshot().get(0);
        assertEquals("run", d.type);
        assertTrue(d.name.matches("run\\.\\d{4}"), d.name);

        Outcome ps = f.heroku("ps", "--app", A);
        assertTrue(ps.out().contains("=== run: one-off processes (1)"), ps.toString());
        assertTrue(ps.out().contains(d.name + " (Basic): up "), ps.toString());

        Files.writeString(release, "");
        Outcome o = run.get();
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("released"), o.toString());
        SandboxFixture.await(Duration.ofSeconds(5), () -> app.dynosSnapshot().isEmpty());
    }

    @Test
    void detachedRunLogsItsExitStatus() throws Exception {
        Outcome o = f.heroku("run:detached", "--app", A, "echo detached-output; exit 4");
        assertEquals(0, o.exitCode(), o.toString());
        SandboxFixture.await(Duration.ofSeconds(10), () -> !logged("Process exited with status 4").isEmpty());
        LogLine exit = logged("Process exited with status 4").get(0);
        assertTrue((o.out() + o.err()).contains(exit.dyno()), o.toString());
        assertFalse(logged("detached-output").isEmpty());
        SandboxFixture.await(Duration.ofSeconds(5), () -> app.dynosSnapshot().isEmpty());
    }

    private List<String> platformLines(String dyno) {
        return f.sandbox().logs().recent(A).stream()
                .filter(l -> l.source().equals("heroku") && l.dyno().equals(dyno)).map(LogLine::message).toList();
    }

    private List<LogLine> logged(String message) {
        return f.sandbox().logs().recent(A).stream().filter(l -> l.message().equals(message)).toList();
    }

    interface Call<T> {
        T get() throws Exception;
    }

    static <T> T call(Call<T> c) {
        try {
            return c.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
