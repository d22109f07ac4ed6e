package dev.parity.sandbox.support;

import dev.parity.sandbox.Sandbox;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A sandbox started in-process for a test, and the official heroku CLI (pinned, installed by
 * tools/install-heroku-cli) pointed at it, exactly as a user's shell would run it.
 */
public final class SandboxFixture implements AutoCloseable {
    public static final Path HOME = Path.of(System.getProperty("parity.home", "..")).toAbsolutePath().normalize();
    /** The pinned CLI's launcher: it runs the CLI with a Node its engines accept (tools/install-heroku-cli). */
    public static final Path HEROKU = HOME.resolve("tools/heroku-cli/bin/heroku");

    /** Whether tools/install-heroku-cli has installed the CLI that {@link #HEROKU} runs. */
    public static boolean herokuInstalled() {
        return Files.isExecutable(HOME.resolve("tools/heroku-cli/node_modules/.bin/heroku"));
    }

    public record Outcome(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Sandbox sandbox;
    private final Path dir;

    private SandboxFixture(Sandbox sandbox, Path dir) {
        this.sandbox = sandbox;
        this.dir = dir;
    }

    /** Starts a sandbox in {@code dir} with a short boot delay (tests wait for dynos). */
    public static SandboxFixture start(Path dir) throws IOException {
        return start(dir, Duration.ofMillis(300));
    }

    public static SandboxFixture start(Path dir, Duration bootDelay) throws IOException {
        Sandbox s = Sandbox.start(Sandbox.Options.in(dir.resolve("sandbox")).withBootDelay(bootDelay));
        return new SandboxFixture(s, dir);
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    /** What a shell needs to reach the sandbox: HEROKU_HOST, the token, a private HOME. */
    public Map<String, String> env() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        Path home = Files.createDirectories(dir.resolve("home"));
        env.put("HOME", home.toString());
        env.put("HEROKU_HOST", sandbox.baseUrl());
        env.put("HEROKU_DATA_HOST", "127.0.0.1");
        env.put("HEROKU_API_KEY", sandbox.token());
        env.put("HEROKU_SKIP_ANALYTICS", "1");
        env.put("HEROKU_DISABLE_AUTOUPDATE", "1");
        env.put("NO_COLOR", "1");
        env.put("TZ", "UTC");
        env.put("LANG", "C.UTF-8");
        env.putAll(sandbox.extraEnv());
        return env;
    }

    /** Runs the official heroku CLI with {@code args} against the sandbox. */
    public Outcome heroku(String... args) throws IOException, InterruptedException {
        return herokuWithInput(null, args);
    }

    /** As {@link #heroku(String...)}, with {@code stdin} fed to it. */
    public Outcome herokuWithInput(String stdin, String... args) throws IOException, InterruptedException {
        if (!herokuInstalled()) {
            throw new AssertionError("the pinned heroku CLI is not installed: run tools/install-heroku-cli");
        }
        List<String> argv = new ArrayList<>(List.of(HEROKU.toString()));
        argv.addAll(List.of(args));
        return run(argv, stdin, dir);
    }

    public Outcome run(List<String> argv, String stdin, Path cwd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env());
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + argv + "\n" + Files.readString(err));
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Waits until {@code condition} holds (dynos booting, a release finishing), at most {@code timeout}. */
    public static void await(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
            Thread.sleep(25);
        }
    }

    /**
     * Returns once {@code app}'s release queue has carried out everything queued so far: a
     * release that failed has then settled, and a restart it would have asked for has happened.
     */
    public void awaitReleaseQueue(dev.parity.sandbox.model.App app) throws Exception {
        sandbox.releaser().onQueue(app, () -> null);
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
