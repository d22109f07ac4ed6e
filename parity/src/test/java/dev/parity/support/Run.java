package dev.parity.support;

import dev.parity.cli.Parity;
import dev.parity.ui.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs parity in-process (no JVM start) against a recording runner and captures what it printed. */
public final class Run {
    public final int exitCode;
    public final String out;
    public final String err;

    private Run(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    public static Run parity(Path dir, RecordingRunner runner, String... args) {
        return parity(dir, runner, Map.of(), "", args);
    }

    public static Run parity(Path dir, RecordingRunner runner, Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> fullEnv = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString()));
        fullEnv.putAll(env);
        Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), fullEnv, dir, !stdin.isEmpty());
        int code = new Parity(io, runner).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
