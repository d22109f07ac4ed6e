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
            return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    public static Map<String, String> with(Map<String, String> env, String... keyValues) {
        Map<String, String> e = new HashMap<>(env);
        for (int i = 0; i < keyValues.length; i += 2) e.put(keyValues[i], keyValues[i + 1]);
        return e;
    }
}
