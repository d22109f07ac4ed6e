package dev.parity.sandbox.native_.rollback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parity.cli.Parity;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.ui.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sandbox app with three formation dynos and a real git repository whose {@code production}
 * remote names it; code reaches the app by real {@code git push}es, one release each.
 */
public final class RollbackBed implements AutoCloseable {
    public static final String APP = "rollback-prod";
    public static final String RELEASES = "/apps/" + APP + "/releases";

    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public final SandboxFixture f;
    public final App app;
    public final Path repo;
    public final Path cache;
    public final Map<String, String> env;

    public RollbackBed(Path tmp) throws Exception {
        this(tmp, APP);
    }

    public RollbackBed(Path tmp, String name) throws Exception {
        this(tmp, name, false);
    }

    /** With {@code postgres}, the app has a database on the sandbox's cluster (its DATABASE_URL). */
    public RollbackBed(Path tmp, String name, boolean postgres) throws Exception {
        f = SandboxFixture.start(tmp, Duration.ofMillis(200));
        app = f.sandbox().createApp(name, postgres, Map.of("web", 2, "worker", 1));
        SandboxFixture.await(Duration.ofSeconds(10), this::allUp);
        repo = Files.createDirectories(tmp.resolve("repo"));
        cache = tmp.resolve("cache");
        env = new HashMap<>(f.env());
        env.put("XDG_CACHE_HOME", cache.toString());
        git("init", "--quiet", "--initial-branch=main");
        git("config", "user.email", "dev@example.com");
        git("config", "user.name", "Dev");
        git("remote", "add", "production", f.sandbox().baseUrl() + "/" + name + ".git");
    }

    public void git(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        SandboxFixture.Outcome o = f.run(argv, "", repo);
        assertEquals(0, o.exitCode(), o.toString());
    }

    /** Writes {@code files} (path → content), commits them and pushes to production: one new release. */
    public void deploy(String message, Map<String, String> files) throws Exception {
        commit(message, files);
        git("push", "--quiet", "production", "main");
        SandboxFixture.await(Duration.ofSeconds(10), () -> allUpOn(app.currentVersion()));
    }

    public void commit(String message, Map<String, String> files) throws Exception {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = repo.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
        }
        git("add", "-A");
        git("commit", "--quiet", "-m", message);
    }

    /** Runs {@code sql} in the app's database. */
    public void sql(String sql) throws Exception {
        f.sandbox().cluster().psql(app.databaseName, sql);
    }

    public Result parity(String... args) {
        return parityWithInput("", false, args);
    }

    public Result parityWithInput(String stdin, boolean interactive, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env, repo, interactive);
        int code = new Parity(io, new SystemProcessRunner(env, repo)).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code POST /apps/APP/releases} requests that reached the sandbox's routes: rollbacks made. */
    public int rollbacksPosted() {
        return f.sandbox().requests().count("POST", RELEASES);
    }

    public int releases() {
        synchronized (app) {
            return app.releases.size();
        }
    }

    public List<Dyno> formation() {
        synchronized (app) {
            return app.dynos.stream().filter(d -> !d.type.equals("run") && !d.type.equals("release")).toList();
        }
    }

    public boolean allUp() {
        return formation().stream().allMatch(d -> d.state.equals("up"));
    }

    public boolean allUpOn(int version) {
        return formation().stream().allMatch(d -> d.state.equals("up") && d.releaseVersion == version);
    }

    public Map<String, Instant> bootTimes() {
        Map<String, Instant> m = new HashMap<>();
        for (Dyno d : formation()) m.put(d.name, d.updatedAt);
        return m;
    }

    @Override
    public void close() {
        f.close();
    }
}
