package dev.parity.sandbox.native_.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sandbox app with three formation dynos, a git repository whose {@code production} remote names
 * it, and parity run in-process against it. The migration commands append a line to a file, so a
 * test counts how many times a migration really ran. Deploy tests commit and push from the same
 * repository.
 */
public final class MigrateBed implements AutoCloseable {
    public static final String APP = "migrate-prod";
    public static final String DYNOS = "/apps/" + APP + "/dynos";

    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public final SandboxFixture f;
    public final App app;
    public final Path repo;
    public final Path ranFile;
    public final Path cache;
    public final Map<String, String> env;

    public MigrateBed(Path tmp) throws Exception {
        this(tmp, false);
    }

    /** {@code postgres}: the app has a database (a production backup can be captured from it). */
    public MigrateBed(Path tmp, boolean postgres) throws Exception {
        f = SandboxFixture.start(tmp, Duration.ofMillis(200));
        app = f.sandbox().createApp(APP, postgres, Map.of("web", 2, "worker", 1));
        SandboxFixture.await(Duration.ofSeconds(10), this::allUp);
        repo = Files.createDirectories(tmp.resolve("repo"));
        ranFile = tmp.resolve("migrations-ran.txt");
        cache = tmp.resolve("cache");
        env = new HashMap<>(f.env());
        env.put("XDG_CACHE_HOME", cache.toString());
        git("init", "--quiet", "--initial-branch=main");
        git("remote", "add", "production", f.sandbox().baseUrl() + "/" + APP + ".git");
    }

    public void git(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        assertEquals(0, f.run(argv, "", repo).exitCode());
    }

    /** {@code migrate:} in .parity.yml: appends a line to {@link #ranFile}, then runs {@code rest}. */
    public void migrateCommand(String rest) throws IOException {
        String command = "echo ran >> '" + ranFile + "'; " + rest;
        Files.writeString(repo.resolve(".parity.yml"), "migrate: '" + command.replace("'", "''") + "'\n");
    }

    public Result parity(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), env, repo, false);
        int code = new Parity(io, new SystemProcessRunner(env, repo)).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** How many times a migration command started in a dyno (each appends one line). */
    public int migrationsRun() throws IOException {
        return Files.exists(ranFile) ? Files.readAllLines(ranFile).size() : 0;
    }

    /** {@code POST /apps/APP/dynos} requests the sandbox carried out: one-off dynos it made. */
    public int dynosCreated() {
        return f.sandbox().requests().count("POST", DYNOS);
    }

    /** {@code DELETE /apps/APP/dynos} requests the sandbox carried out: restarts of every dyno. */
    public int restarts() {
        return f.sandbox().requests().count("DELETE", DYNOS);
    }

    public boolean recorded() {
        return new MigrationRecords(cache.resolve("parity")).latest(APP).isPresent();
    }

    public List<Dyno> formation() {
        synchronized (app) {
            return app.dynos.stream().filter(d -> !d.type.equals("run")).toList();
        }
    }

    public List<Dyno> oneOffs() {
        synchronized (app) {
            return app.dynos.stream().filter(d -> d.type.equals("run")).toList();
        }
    }

    public boolean allUp() {
        return formation().stream().allMatch(d -> d.state.equals("up"));
    }

    /**
     * Each formation dyno's restart count. The sandbox bumps it while it handles the restart
     * request, so comparing it before and after a command returns needs no waiting window.
     */
    public Map<String, Long> restartCounts() {
        Map<String, Long> m = new HashMap<>();
        for (Dyno d : formation()) m.put(d.name, d.generation);
        return m;
    }

    /** Commits {@code files} (path to text) and returns the commit's id. */
    public String commit(Map<String, String> files) throws Exception {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = repo.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
            git("add", e.getKey());
        }
        git("-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "--quiet", "-m", "change " + files.keySet());
        return f.run(List.of("git", "rev-parse", "HEAD"), "", repo).out().strip();
    }

    /** What the app runs before a deploy test: a Procfile (web, worker) and the first migration. */
    public static final Map<String, String> RUNNING_CODE = Map.of("Procfile", "web: ruby web.rb\nworker: ruby worker.rb\n",
            "db/migrate/001_create_users.rb", "create\n");

    /** Commits {@link #RUNNING_CODE} and pushes it (v2, every dyno up on it); returns the commit. */
    public String runningV2() throws Exception {
        String commit = commit(RUNNING_CODE);
        pushed();
        return commit;
    }

    /** Commits a second migration on top: what a deploy test's push brings as pending. */
    public String addPendingMigration() throws Exception {
        return commit(Map.of("db/migrate/002_add_email.rb", "add\n"));
    }

    /** {@code git push production main} as a teammate would, without parity: the release the app runs before a test's deploy. */
    public void pushed() throws Exception {
        git("push", "--quiet", "production", "main");
        SandboxFixture.await(Duration.ofSeconds(20), () -> allUp() && formation().stream().allMatch(d -> d.releaseVersion == app.currentVersion()));
    }

    /** Maintenance mode as the pinned official CLI reads it: {@code on} or {@code off}. */
    public String maintenance() throws Exception {
        SandboxFixture.Outcome o = f.heroku("maintenance", "--app", APP);
        assertEquals(0, o.exitCode(), o.toString());
        return o.out().strip();
    }

    /** {@code PATCH /apps/APP} requests the sandbox carried out: maintenance mode switched. */
    public int maintenanceSwitches() {
        return f.sandbox().requests().count("PATCH", "/apps/" + APP);
    }

    /** parity as its own process (a JVM on the test class path), stderr to {@code err}, so that a test can signal it. */
    public Process start(Path err, Map<String, String> extraEnv, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.parity.Main"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(repo.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }

    /** The version of the release the app runs now. */
    public int currentVersion() {
        return app.currentVersion();
    }

    @Override
    public void close() {
        f.close();
    }
}
