package dev.parity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.Launcher;
import dev.parity.support.Launcher.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command runs the whole tour on a sandbox and leaves nothing behind. */
class SandboxDemoIT {
    @TempDir
    Path tmp;

    @Test
    void theTourRunsEveryStep() throws Exception {
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        // the sandbox's PostgreSQL runs as nobody when the tests run as root: it must be able to pass through
        for (Path p : List.of(tmp, javaTmp)) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        }
        var env = Launcher.env(tmp.resolve("home"));
        env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + javaTmp);
        Outcome o = Launcher.run(tmp, env, "parity", "sandbox", "demo");
        assertEquals(0, o.exitCode(), o.toString());
        for (String expected : List.of("$ production deploy", "=== web (Basic): bin/web (2)",
                "== 002_add_email_to_users: migrating", "(a \"stuck dyno\")", "$ production migrate",
                "$ staging deploy", "$ development restore production", "The local database now has production's rows: 3 users.",
                "That is the tour.")) {
            assertTrue(o.out().contains(expected), expected + "\n" + o);
        }
        try (var left = Files.list(javaTmp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("parity-")).toList(),
                    "the demo's directory, sandbox and cluster are gone");
        }
    }
}
