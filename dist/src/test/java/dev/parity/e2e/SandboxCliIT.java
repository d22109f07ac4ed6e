package dev.parity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.Launcher;
import dev.parity.support.Launcher.Outcome;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parity sandbox start|create|status|stop} through the real launcher: it starts, serves, and leaves nothing behind. */
class SandboxCliIT {
    @TempDir
    Path tmp;
    Path dir;
    Map<String, String> env;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("sandbox");
        env = Launcher.env(tmp.resolve("home"));
    }

    @AfterEach
    void stopAnyway() throws Exception {
        Launcher.run(tmp, env, "parity", "sandbox", "stop", "--dir", dir.toString());
    }

    Outcome parity(String... args) throws Exception {
        return Launcher.run(tmp, env, "parity", args);
    }

    @Test
    void startCreateStatusStop() throws Exception {
        Outcome start = parity("sandbox", "start", "--dir", dir.toString());
        assertEquals(0, start.exitCode(), start.toString());
        assertTrue(start.out().contains("export HEROKU_HOST=http://127.0.0.1:"), start.out());
        String token = Files.readString(dir.resolve("token")).strip();
        assertFalse(start.out().contains(token) || start.err().contains(token), "the token itself is never printed");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("token"))));
        long pid = Long.parseLong(Files.readString(dir.resolve("pid")).strip());

        Outcome again = parity("sandbox", "start", "--dir", dir.toString());
        assertEquals(0, again.exitCode());
        assertTrue(again.err().contains("already running"), again.err());

        Outcome create = parity("sandbox", "create", "demo-staging", "--formation", "web=1", "--dir", dir.toString());
        assertEquals(0, create.exitCode(), create.toString());
        assertTrue(create.out().contains("/demo-staging.git"), create.out());
        Outcome duplicate = parity("sandbox", "create", "demo-staging", "--dir", dir.toString());
        assertEquals(1, duplicate.exitCode());
        assertTrue(duplicate.err().contains("already taken"), duplicate.err());

        assertEquals(0, parity("sandbox", "status", "--dir", dir.toString()).exitCode());
        Outcome stop = parity("sandbox", "stop", "--dir", dir.toString());
        assertEquals(0, stop.exitCode(), stop.toString());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the server process is gone");
        assertEquals(1, parity("sandbox", "status", "--dir", dir.toString()).exitCode());
        assertFalse(Files.exists(dir.resolve("pid")));
    }

    @Test
    void startOnABusyPortFailsClearlyAndLeavesNothingRunning() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Outcome start = parity("sandbox", "start", "--dir", dir.toString(), "--port", String.valueOf(busy.getLocalPort()));
            assertEquals(1, start.exitCode(), start.toString());
            assertTrue(start.err().contains("did not start") && start.err().contains("Address already in use"), start.err());
        }
        assertFalse(Files.exists(dir.resolve("pid")));
    }

    @Test
    void missingPostgresBinariesAreNamedAndTheServerStaysUp() throws Exception {
        env.put("PARITY_PG_BIN", tmp.resolve("no-postgres-here").toString());
        assertEquals(0, parity("sandbox", "start", "--dir", dir.toString()).exitCode());
        Outcome create = parity("sandbox", "create", "needs-db", "--postgres", "--dir", dir.toString());
        assertEquals(1, create.exitCode(), create.toString());
        assertTrue(create.err().contains("cannot give needs-db a database") && create.err().contains("initdb"), create.err());
        Outcome plain = parity("sandbox", "create", "needs-db", "--dir", dir.toString());
        assertEquals(0, plain.exitCode(), "the half-made app was rolled back: " + plain);
    }

    @Test
    void stopWithoutASandboxSaysSo() throws Exception {
        Outcome stop = parity("sandbox", "stop", "--dir", dir.toString());
        assertEquals(0, stop.exitCode());
        assertTrue(stop.err().contains("no sandbox is running"), stop.err());
        Outcome create = parity("sandbox", "create", "x-app", "--dir", dir.toString());
        assertEquals(1, create.exitCode());
        assertTrue(create.err().contains("parity sandbox start"), create.err());
    }
}
