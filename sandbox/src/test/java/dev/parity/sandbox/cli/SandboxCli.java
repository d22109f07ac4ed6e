package dev.parity.sandbox.cli;

import dev.parity.process.SystemProcessRunner;
import dev.parity.ui.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs {@code parity sandbox ARGS} in-process, as the launcher would, with the given environment. */
final class SandboxCli {
    record Outcome(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private SandboxCli() {}

    /**
     * Makes {@code dir} describe the in-process {@code sandbox} as a started one would (its port
     * and token), with {@code pid} standing in for the server process: `stop` ends that one.
     */
    static SandboxDir describe(dev.parity.sandbox.Sandbox sandbox, Path dir, long pid) throws java.io.IOException {
        SandboxDir d = new SandboxDir(dir);
        java.nio.file.Files.createDirectories(dir);
        SandboxDir.writePrivate(d.tokenFile(), sandbox.token() + "\n");
        java.nio.file.Files.writeString(d.pidFile(), pid + "\n");
        java.nio.file.Files.writeString(d.portFile(), sandbox.port() + "\n");
        return d;
    }

    static Outcome run(Map<String, String> env, Path cwd, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), env, cwd, false);
        int code = new SandboxExtension().run(io, new SystemProcessRunner(env, cwd), List.of(args));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
