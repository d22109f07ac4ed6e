package dev.parity.sandbox.native_.rollback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.native_.migrate.MigrateBed;
import dev.parity.sandbox.support.SandboxFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A signal to a real parity JVM at the rollback's step boundaries around its request: the
 * interrupted line says which release is live as the API reads it then (the rollback's once it was
 * made, the old one before), never what parity meant to do.
 */
class InterruptedRollbackTest {
    static final String APP = MigrateBed.APP;

    @TempDir
    Path tmp;
    MigrateBed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = new MigrateBed(tmp);
        bed.commit(Map.of("Procfile", "web: ruby web.rb\nworker: ruby worker.rb\n"));
        bed.pushed(); // v2
        bed.commit(Map.of("app.rb", "puts 2\n"));
        bed.pushed(); // v3
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    /** Steps: find the target, check migrations, confirm, roll back (the POST), wait for the dynos. */
    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({"INT, step:5, 130, v4 (Rollback to v2)", "TERM, end, 143, v4 (Rollback to v2)"})
    void theLineSaysTheLiveReleaseAsTheApiReadsIt(String signal, String pause, int exit, String live) throws Exception {
        Path err = Files.createTempFile(tmp, "parity", ".err");
        Process p = bed.start(err, Map.of("PARITY_TEST_PAUSE", pause), "production", "rollback", "--confirm", APP);
        try {
            SandboxFixture.await(Duration.ofSeconds(60), () -> said(err).contains("parity: test pause at " + pause));
            new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "parity ended");
        } finally {
            p.destroyForcibly();
        }
        String said = said(err);
        assertEquals(exit, p.exitValue(), said);
        String last = said.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("parity: interrupted by SIG" + signal), said);
        assertTrue(last.endsWith("; " + live + " is the live release of " + APP + " (read back from the API); see its dynos with "
                + "`production ps`"), said);
        assertEquals(4, bed.currentVersion());
        assertEquals(1, bed.f.sandbox().requests().count("POST", "/apps/" + APP + "/releases"), "the rollback was sent once");
    }

    private static String said(Path err) {
        try {
            return Files.readString(err);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
