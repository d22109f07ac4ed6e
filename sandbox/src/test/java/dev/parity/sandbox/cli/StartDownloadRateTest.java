package dev.parity.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.steps.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parity sandbox start --download-rate}: a rate it cannot read stops it before anything starts. */
class StartDownloadRateTest {
    @TempDir
    Path tmp;

    @Test
    void anUnreadableRateIsAUsageErrorAndNoSandboxStarts() {
        Path dir = tmp.resolve("sandbox");
        SandboxCli.Outcome o = SandboxCli.run(Map.of("HOME", tmp.toString()), tmp, "start", "--dir", dir.toString(), "--download-rate", "fast");
        assertEquals(ExitCodes.USAGE, o.exitCode(), o.toString());
        assertEquals("parity: --download-rate: a download rate is like 50MB/s, 800kB/s, 2MiB/s or unlimited (got 'fast')\n", o.err());
        assertEquals("", o.out());
        assertFalse(Files.exists(dir), "nothing was started or created");
    }

    @Test
    void theHelpNamesTheOption() {
        SandboxCli.Outcome o = SandboxCli.run(Map.of("HOME", tmp.toString()), tmp, "start", "--help");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("--download-rate=RATE") && o.out().contains("50MB/s"), o.out());
    }
}
