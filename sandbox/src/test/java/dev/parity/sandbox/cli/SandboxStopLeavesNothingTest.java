package dev.parity.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.support.SandboxFixture;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session as a user has it: {@code parity sandbox start}, its env file sourced by a shell, the
 * official heroku CLI used against it (an app with a database, a detached one-off dyno), then
 * {@code parity sandbox stop}. Afterwards no process whose working directory or arguments mention
 * the sandbox's directory is left: not the server, its PostgreSQL, its dynos, nor a detached child
 * of the CLI (autoupdate, version check, analytics), which the env file turns off.
 */
class SandboxStopLeavesNothingTest {
    @TempDir
    Path tmp;
    Path dir;
    Path project;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        dir = tmp.resolve("sandbox");
        project = Files.createDirectories(dir.resolve("project"));
        env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("HEROKU_") || k.equals("DISABLE_TELEMETRY"));
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        env.remove("XDG_CACHE_HOME");
        env.put("NO_COLOR", "1");
    }

    @AfterEach
    void stopAnyway() {
        SandboxCli.run(env, tmp, "stop", "--dir", dir.toString());
    }

    /** Runs {@code argv} in a shell that sourced the env file first, as after `eval "$(parity sandbox start)"`. */
    SandboxFixture.Outcome inShell(List<String> argv) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", ". \"$0\" && exec \"$@\"", dir.resolve("env").toString()));
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + argv);
        }
        return new SandboxFixture.Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void afterStopNoProcessMentionsTheSandboxDirectory() throws Exception {
        SandboxCli.Outcome start = SandboxCli.run(env, tmp, "start", "--dir", dir.toString(), "--boot-delay", "100");
        assertEquals(0, start.exitCode(), start.toString());
        String exports = Files.readString(dir.resolve("env"));
        assertTrue(exports.contains("export HEROKU_DISABLE_AUTOUPDATE='1'"), exports);
        assertTrue(exports.contains("export HEROKU_SKIP_NEW_VERSION_CHECK='true'"), exports);
        assertTrue(exports.contains("export HEROKU_SKIP_ANALYTICS='1'"), exports);

        Map<String, String> exported = new HashMap<>(env);
        exported.put("PARITY_SANDBOX", dir.toString());
        SandboxCli.Outcome create = SandboxCli.run(exported, tmp, "create", "leftover-staging", "--postgres", "--formation", "web=1");
        assertEquals(0, create.exitCode(), create.toString());
        SandboxFixture.Outcome info = inShell(List.of(SandboxFixture.HEROKU.toString(), "apps:info", "-a", "leftover-staging"));
        assertEquals(0, info.exitCode(), info.toString());
        SandboxFixture.Outcome run = inShell(List.of(SandboxFixture.HEROKU.toString(), "run:detached", "-a", "leftover-staging", "--", "sleep", "600"));
        assertEquals(0, run.exitCode(), run.toString());
        SandboxFixture.Outcome psql = inShell(List.of(SandboxFixture.HEROKU.toString(), "pg:info", "-a", "leftover-staging"));
        assertEquals(0, psql.exitCode(), psql.toString());
        SandboxFixture.await(Duration.ofSeconds(30), () -> mentioning(dir).stream().anyMatch(p -> p.contains("sleep 600")));
        assertFalse(mentioning(dir).isEmpty(), "the scan sees the sandbox's processes while it runs");

        SandboxCli.Outcome stop = SandboxCli.run(exported, tmp, "stop");
        assertEquals(0, stop.exitCode(), stop.toString());
        assertEquals(List.of(), mentioning(dir), "processes left after stop");
        assertFalse(Files.exists(dir.resolve("home/.cache/heroku/autoupdate")), "the CLI never spawned its autoupdate");
    }

    /** Live processes (other than this JVM) whose working directory or command line mentions {@code dir}. */
    static List<String> mentioning(Path dir) {
        String needle = dir.toString();
        List<String> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) continue;
                String cwd = "";
                String cmdline = "";
                try {
                    cwd = Files.readSymbolicLink(p.resolve("cwd")).toString();
                } catch (IOException | UnsupportedOperationException ignored) {
                    // gone, or not ours to read
                }
                try {
                    cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').strip();
                } catch (IOException ignored) {
                    // gone
                }
                if (cwd.startsWith(needle) || cmdline.contains(needle)) found.add(name + " cwd=" + cwd + " " + cmdline);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }
}
