package dev.parity.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real launchers in bin/ as separate processes, as a user's shell would. */
public final class Launcher {
    public static final Path HOME = Path.of(System.getProperty("parity.home", "..")).toAbsolutePath().normalize();
    public static final Path BIN = HOME.resolve("bin");

    public record Outcome(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Launcher() {}

    /** The environment tests start from: this machine's PATH behind {@code firstOnPath}, no heroku settings. */
    public static Map<String, String> env(Path home, Path... firstOnPath) {
        Map<String, String> env = new HashMap<>();
        StringBuilder path = new StringBuilder();
        for (Path p : firstOnPath) path.append(p).append(File.pathSeparator);
        path.append(System.getenv("PATH"));
        env.put("PATH", path.toString());
        env.put("HOME", home.toString());
        if (System.getenv("JAVA_HOME") != null) env.put("JAVA_HOME", System.getenv("JAVA_HOME"));
        env.put("LANG", "C.UTF-8");
        return env;
    }

    public static Outcome run(Path cwd, Map<String, String> env, String launcher, String... args)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(launcher.contains("/") ? launcher : BIN.resolve(launcher).toString());
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile("launcher-out", ".txt");
        Path err = Files.createTempFile("launcher-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + argv);
            }
            return assertNoSecret(new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8)), env);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The markers every test's secrets carry (passwords, URL signatures, tokens), and the words a leak would show. */
    static final List<String> MARKERS = List.of("s3cr3t", "hunter2");

    /**
     * Every run of a launcher, whatever the test checks besides: neither its output nor what it wrote
     * into the cache shows a secret marker or the token and password it was given.
     */
    public static Outcome assertNoSecret(Outcome o, Map<String, String> env) {
        List<String> secrets = new ArrayList<>(MARKERS);
        for (String name : List.of("HEROKU_API_KEY", "PGPASSWORD")) {
            String v = env.get(name);
            if (v != null && v.strip().length() >= 6) secrets.add(v.strip());
        }
        for (String secret : secrets) {
            if (o.out().contains(secret) || o.err().contains(secret)) {
                throw new AssertionError("a secret (" + secret.substring(0, 2) + "…) was printed:\n" + o.toString().replace(secret, "<THE SECRET>"));
            }
        }
        String home = env.get("HOME");
        Path cache = home == null ? null : Path.of(home, ".cache", "parity");
        if (cache != null && Files.isDirectory(cache)) {
            try (java.util.stream.Stream<Path> files = Files.walk(cache)) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().matches(".*\\.(txt|log|json|errors?)$")).toList()) {
                    String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                    for (String secret : secrets) {
                        if (text.contains(secret)) throw new AssertionError("a secret (" + secret.substring(0, 2) + "…) was written to " + f);
                    }
                }
            } catch (IOException e) {
                // a run still writing: its files are checked by the next run
            }
        }
        return o;
    }

    public static Map<String, String> with(Map<String, String> env, String... keyValues) {
        Map<String, String> e = new HashMap<>(env);
        for (int i = 0; i < keyValues.length; i += 2) e.put(keyValues[i], keyValues[i + 1]);
        return e;
    }
}
