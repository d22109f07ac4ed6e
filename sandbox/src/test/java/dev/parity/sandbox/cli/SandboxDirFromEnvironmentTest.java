package dev.parity.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.support.SandboxFixture;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code parity sandbox} subcommand finds the sandbox through the {@code PARITY_SANDBOX}
 * that {@code start}'s env file exports, so `eval "$(parity sandbox start --dir D)"` then
 * `parity sandbox create|status|stop` reach D, not the default directory.
 */
class SandboxDirFromEnvironmentTest {
    @TempDir
    Path tmp;
    SandboxFixture f;
    Process stand_in;
    Path dir;

    @BeforeEach
    void describeARunningSandboxOutsideTheDefaultDirectory() throws Exception {
        f = SandboxFixture.start(tmp.resolve("fixture"));
        // stands in for the server process: `stop` ends it
        stand_in = new ProcessBuilder("sleep", "600").start();
        dir = tmp.resolve("elsewhere/sandbox");
        SandboxCli.describe(f.sandbox(), dir, stand_in.pid());
    }

    @AfterEach
    void stop() {
        stand_in.destroyForcibly();
        f.close();
    }

    Map<String, String> env(boolean exported) {
        return exported ? Map.of("HOME", tmp.resolve("home").toString(), "PARITY_SANDBOX", dir.toString())
                : Map.of("HOME", tmp.resolve("home").toString());
    }

    @Test
    void statusCreateAndStopUseTheExportedDirectory() throws Exception {
        SandboxCli.Outcome status = SandboxCli.run(env(true), tmp, "status");
        assertEquals(0, status.exitCode(), status.toString());
        assertTrue(status.out().contains("running at http://127.0.0.1:" + f.sandbox().port() + " (" + dir + ")"), status.out());

        SandboxCli.Outcome create = SandboxCli.run(env(true), tmp, "create", "exported-staging");
        assertEquals(0, create.exitCode(), create.toString());
        assertEquals("exported-staging", f.sandbox().app("exported-staging").name);

        SandboxCli.Outcome stop = SandboxCli.run(env(true), tmp, "stop");
        assertEquals(0, stop.exitCode(), stop.toString());
        assertTrue(stop.err().contains("sandbox stopped"), stop.err());
        assertTrue(stand_in.waitFor(30, TimeUnit.SECONDS), "the process the directory names was stopped");
    }

    @Test
    void withoutTheVariableTheDefaultDirectoryIsMeantAndNothingIsStopped() throws Exception {
        SandboxCli.Outcome status = SandboxCli.run(env(false), tmp, "status");
        assertEquals(1, status.exitCode(), status.toString());
        assertTrue(status.out().contains("not running (" + tmp.resolve("home/.cache/parity/sandbox") + ")"), status.out());
        SandboxCli.Outcome stop = SandboxCli.run(env(false), tmp, "stop");
        assertEquals(0, stop.exitCode());
        assertTrue(stop.err().contains("no sandbox is running"), stop.err());
        assertTrue(stand_in.isAlive(), "a sandbox the command was not pointed at keeps running");
    }

    @Test
    void dirOptionWinsOverTheVariable() throws Exception {
        Path other = tmp.resolve("other");
        SandboxCli.Outcome status = SandboxCli.run(env(true), tmp, "status", "--dir", other.toString());
        assertEquals(1, status.exitCode(), status.toString());
        assertTrue(status.out().contains("not running (" + other + ")"), status.out());
        SandboxCli.Outcome create = SandboxCli.run(env(true), tmp, "create", "not-here", "--dir", other.toString());
        assertEquals(1, create.exitCode(), create.toString());
        assertFalse(f.sandbox().apps().stream().anyMatch(a -> a.name.equals("not-here")), "no app was created");
        assertTrue(stand_in.isAlive());
    }
}
