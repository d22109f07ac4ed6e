package dev.parity.sandbox.native_.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.cli.Parity;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.stale.MigrationRecords;
import dev.parity.ui.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code production migrate} natively (API + rendezvous, no heroku CLI) against the sandbox. */
class NativeMigrateTest {
    static final String A = "migrate-prod";

    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;
    Path repo;
    Map<String, String> env;

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp, Duration.ofMillis(200));
        app = f.sandbox().createApp(A, false, Map.of("web", 2, "worker", 1));
        SandboxFixture.await(Duration.ofSeconds(10), this::allUp);
        repo = Files.createDirectories(tmp.resolve("repo"));
        env = new HashMap<>(f.env());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        git("init", "--quiet", "--initial-branch=main");
        git("remote", "add", "production", f.sandbox().baseUrl() + "/" + A + ".git");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    void git(String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        assertEquals(0, f.run(argv, "", repo).exitCode());
    }

    void migrateCommand(String command) throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), "migrate: " + quoteYaml(command) + "\n");
    }

    static String quoteYaml(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    Result parity(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), env, repo, false);
        int code = new Parity(io, new SystemProcessRunner(env, repo)).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    List<Dyno> formation() {
        synchronized (app) {
            return app.dynos.stream().filter(d -> !d.type.equals("run")).toList();
        }
    }

    boolean allUp() {
        return formation().stream().allMatch(d -> d.state.equals("up"));
    }

    /**
     * Each formation dyno's restart count. The sandbox bumps it while it handles the restart
     * request, so comparing it before and after a command returns needs no waiting window.
     */
    Map<String, Long> restartCounts() {
        Map<String, Long> m = new HashMap<>();
        for (Dyno d : formation()) m.put(d.name, d.generation);
        return m;
    }

    @Test
    void successRestartsEveryDynoAfterTheMigrationEndsAndRecordsIt() throws Exception {
        migrateCommand("echo one; echo two; echo three");
        Result r = parity("production", "migrate");
        Instant returned = Instant.now();
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("one\ntwo\nthree\n", r.out(), "streamed in order, CRLF undone, marker removed\n" + r);
        Instant finished = new MigrationRecords(tmp.resolve("cache/parity")).latest(A).orElseThrow().at();
        assertTrue(!finished.isAfter(returned));
        for (Dyno d : formation()) {
            assertEquals("up", d.state, d.name);
            assertFalse(d.updatedAt.isBefore(finished.truncatedTo(ChronoUnit.SECONDS)), d.name + " " + d.updatedAt + " vs " + finished);
        }
        assertTrue(r.err().contains("web.1: ") && r.err().contains("→ up"), r.err());
        assertTrue(r.err().contains("all 3 dynos up after the migration"), r.err());
    }

    @Test
    void failingMigrationExitsWithItsStatusAndRestartsNothing() throws Exception {
        Map<String, Long> before = restartCounts();
        migrateCommand("echo migrating; exit 3");
        Result r = parity("production", "migrate");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.out().contains("migrating"), r.toString());
        assertTrue(r.err().contains("'run migration on " + A + "' failed: the migration exited with status 3"), r.err());
        assertTrue(r.err().contains("not run: restart every dyno of " + A), r.err());
        assertEquals(before, restartCounts(), "no dyno restarted");
        assertTrue(new MigrationRecords(tmp.resolve("cache/parity")).latest(A).isEmpty(), "a failed migration is not recorded");
    }

    @Test
    void aTypeThatCrashesOnBootIsNamed() throws Exception {
        f.sandbox().crashOnBoot("worker", true);
        migrateCommand("true");
        Result r = parity("production", "migrate");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("worker.1 crashed after the restart"), r.err());
        assertFalse(r.err().contains("web.1 crashed"), r.err());
        assertTrue(r.err().contains("'wait for every dyno of " + A), r.err());
    }

    @Test
    void timeoutNamesTheDynosStillStarting() throws Exception {
        f.sandbox().bootDelay(Duration.ofSeconds(3));
        migrateCommand("true");
        Result r = parity("production", "migrate", "--wait", "1s");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("timed out after 1.0 s"), r.err());
        for (String dyno : List.of("web.1", "web.2", "worker.1")) {
            assertTrue(r.err().contains(dyno + " still starting"), r.err());
        }
    }

    @Test
    void noRestartLeavesTheDynosAlone() throws Exception {
        Map<String, Long> before = restartCounts();
        migrateCommand("echo done");
        Result r = parity("production", "migrate", "--no-restart");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("done\n", r.out());
        assertEquals(before, restartCounts());
    }

    @Test
    void anApiFaultOnTheRestartIsRetried() throws Exception {
        migrateCommand("sleep 1; echo migrated");
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> parity("production", "migrate"));
        // once the one-off dyno runs, the next API request is the restart
        SandboxFixture.await(Duration.ofSeconds(10), () -> {
            synchronized (app) {
                return app.dynos.stream().anyMatch(d -> d.type.equals("run") && d.state.equals("up"));
            }
        });
        f.sandbox().faults().failNext(1, 500, 0);
        Result r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("migrated\n", r.out());
        for (Dyno d : formation()) assertEquals("up", d.state, d.name);
    }

    @Test
    void outputWithoutAFinalNewlineKeepsItsText() throws Exception {
        migrateCommand("printf 'no newline'");
        Result r = parity("production", "migrate", "--no-restart");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("no newline\n", r.out());
    }

    @Test
    void withoutTheCertificateTheAttachFailsAndNothingRestarts() throws Exception {
        Map<String, Long> before = restartCounts();
        env.remove("NODE_EXTRA_CA_CERTS");
        migrateCommand("true");
        Result r = parity("production", "migrate");
        assertNotEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("cannot attach to run."), r.err());
        assertTrue(r.err().contains("not run: restart every dyno"), r.err());
        assertEquals(before, restartCounts());
    }

    @Test
    void aMissingAppFailsTheFirstStepClearly() throws Exception {
        git("remote", "set-url", "production", f.sandbox().baseUrl() + "/no-such-app.git");
        migrateCommand("true");
        Result r = parity("production", "migrate");
        assertEquals(2, r.exitCode(), "a Platform API error, as for ps, info, doctor and restore\n" + r);
        assertTrue(r.err().contains("cannot start the migration dyno: Couldn't find that app."), r.err());
        assertTrue(r.err().contains("environment production maps to app no-such-app (from git remote"), r.err());
        assertFalse(r.err().contains(f.sandbox().token()), "no secret printed");
    }
}
