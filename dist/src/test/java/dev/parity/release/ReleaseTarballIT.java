package dev.parity.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.parity.support.GitRepo;
import dev.parity.support.Launcher;
import dev.parity.support.Launcher.Outcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two release tarballs as a user gets them: unpacked into a fresh prefix and run with Maven
 * (and, for linux-x64, any Java) missing from PATH.
 */
class ReleaseTarballIT {
    @TempDir
    Path tmp;

    /** --help, a dry run in a user's repository, --version: the first three things anyone runs. */
    private void firstRuns(Path release, Map<String, String> env) throws Exception {
        GitRepo repo = Release.repository(tmp.resolve("myapp"));
        Outcome help = Launcher.run(repo.dir(), env, release.resolve("bin/production").toString(), "--help");
        assertEquals(0, help.exitCode(), help.toString());
        assertTrue(help.out().contains("Usage: production"), help.out());

        Outcome plan = Launcher.run(repo.dir(), env, release.resolve("bin/production").toString(), "migrate", "--dry-run");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("POST /apps/myapp-production/dynos"), plan.out());
        assertFalse(plan.err().contains("Maven"), "nothing was built: " + plan.err());

        Outcome version = Launcher.run(repo.dir(), env, release.resolve("bin/parity").toString(), "--version");
        assertEquals(0, version.exitCode(), version.toString());
        assertEquals(Release.expectedVersion(), version.out().strip());
    }

    @Test
    void plainTarballRunsOnTheInstalledJavaWithoutMaven() throws Exception {
        Path release = Release.unpack(Release.TARBALL, tmp.resolve("prefix"));
        assertEquals("parity-" + Release.VERSION, release.getFileName().toString());
        for (String name : Release.LAUNCHERS) assertTrue(Files.isExecutable(release.resolve("bin/" + name)), name);
        for (String file : new String[] {"lib/parity.jar", "lib/parity-sandbox.jar", "completion/parity.bash", "completion/_parity",
                "README.md", "install.sh", "tools/heroku-cli/package.json"}) {
            assertTrue(Files.isRegularFile(release.resolve(file)), file);
        }
        assertFalse(Files.exists(release.resolve("runtime")), "the plain release uses the installed Java");
        assertTrue(Files.readString(release.resolve("completion/_parity")).startsWith("#compdef parity production"));

        firstRuns(release, Release.env(tmp.resolve("home"), Release.path(true)));
        assertTrue(Files.isRegularFile(release.resolve("lib/parity.jsa")), "the class-data archive is made beside the writable jar");
    }

    @Test
    void sandboxJarJoinsTheClassPathOnlyForTheSandbox() throws Exception {
        Path release = Release.unpack(Release.TARBALL, tmp.resolve("prefix"));
        Map<String, String> env = Release.env(tmp.resolve("home"), Release.path(true));
        Outcome sandbox = Launcher.run(tmp, env, release.resolve("bin/parity").toString(), "sandbox", "--help");
        assertEquals(0, sandbox.exitCode(), sandbox.toString());
        assertTrue(sandbox.out().contains("demo"), sandbox.out());

        // without the sandbox jar every product verb still works: it was never on their class path
        Files.delete(release.resolve("lib/parity-sandbox.jar"));
        GitRepo repo = Release.repository(tmp.resolve("myapp"));
        Outcome plan = Launcher.run(repo.dir(), env, release.resolve("bin/staging").toString(), "deploy", "--dry-run");
        assertEquals(0, plan.exitCode(), plan.toString());
        Outcome missing = Launcher.run(tmp, env, release.resolve("bin/parity").toString(), "sandbox", "--help");
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("the sandbox is not part of this installation"), missing.err());
    }

    @Test
    void linuxX64TarballRunsWithNoJavaInstalled() throws Exception {
        Assumptions.assumeTrue(Release.linuxX64(), "the linux-x64 release is made on linux-x64 only");
        Path release = Release.unpack(Release.LINUX_X64, tmp.resolve("prefix"));
        assertEquals("parity-" + Release.VERSION + "-linux-x64", release.getFileName().toString());
        assertTrue(Files.isExecutable(release.resolve("runtime/bin/java")));
        Path path = Release.path(false);
        assertFalse(Files.exists(path.resolve("java")), "no java on PATH");

        firstRuns(release, Release.env(tmp.resolve("home"), path));
        // made by the bundled runtime, on top of the default archive jlink put into it
        assertTrue(Files.isRegularFile(release.resolve("lib/parity.jsa")));
        assertEquals(release.resolve("runtime/bin/java").toString(), Files.readString(release.resolve("lib/parity.jsa.jvm")).strip());
    }

    /**
     * Installed where the user may not write (a system-wide unpack): the archive goes into the
     * user's cache instead, and the install directory stays as it was. As root, run as nobody.
     */
    @Test
    void readOnlyInstallKeepsTheClassDataArchiveInTheUsersCache() throws Exception {
        Assumptions.assumeTrue(Release.linuxX64(), "the linux-x64 release is made on linux-x64 only");
        boolean root = "0".equals(GitRepo.run(tmp, "id", "-u"));
        Assumptions.assumeTrue(!root || Files.isExecutable(Path.of("/usr/bin/setpriv")), "as root, needs setpriv to run as another user");
        Path release = Release.unpack(Release.LINUX_X64, tmp.resolve("prefix"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> env = Release.env(home, Release.path(false));
        String[] prefix = {};
        if (root) {
            // nobody may read and run the release, and write only its home
            GitRepo.run(tmp, "chmod", "-R", "a+rX", tmp.toString());
            GitRepo.run(tmp, "chmod", "a+rwx", home.toString());
            prefix = new String[] {"--reuid=65534", "--regid=65534", "--clear-groups", release.resolve("bin/parity").toString()};
        } else {
            GitRepo.run(tmp, "chmod", "a-w", release.resolve("lib").toString());
        }
        try {
            Outcome version = root
                    ? Launcher.run(tmp, env, "/usr/bin/setpriv", concat(prefix, "--version"))
                    : Launcher.run(tmp, env, release.resolve("bin/parity").toString(), "--version");
            assertEquals(0, version.exitCode(), version.toString());
            assertEquals(Release.expectedVersion(), version.out().strip());
            assertFalse(Files.exists(release.resolve("lib/parity.jsa")), "nothing written into the install directory");
            try (var cached = Files.list(home.resolve(".cache/parity"))) {
                assertTrue(cached.anyMatch(f -> f.getFileName().toString().matches("parity-[0-9]+\\.jsa")), "the archive is in ~/.cache/parity");
            }
        } finally {
            GitRepo.run(tmp, "chmod", "-R", "u+w", release.toString());
        }
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    /** The API verbs (HTTP client, JSON, layouts) on the trimmed runtime, against a loopback API. */
    @Test
    void linuxX64RuntimeRunsTheApiVerbs() throws Exception {
        Assumptions.assumeTrue(Release.linuxX64(), "the linux-x64 release is made on linux-x64 only");
        Path release = Release.unpack(Release.LINUX_X64, tmp.resolve("prefix"));
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String dynos = "[{\"id\":\"1\",\"name\":\"web.1\",\"type\":\"web\",\"state\":\"up\",\"command\":\"bin/web\",\"size\":\"Basic\","
                + "\"created_at\":\"" + now + "\",\"updated_at\":\"" + now + "\",\"release\":{\"id\":\"r\",\"version\":7},"
                + "\"app\":{\"id\":\"a\",\"name\":\"myapp-production\"}}]";
        String releases = "[{\"id\":\"r\",\"version\":7,\"current\":true,\"status\":\"succeeded\",\"description\":\"Deploy\","
                + "\"created_at\":\"" + now + "\",\"updated_at\":\"" + now + "\",\"user\":{\"email\":\"dev@example.com\"}}]";
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = (path.endsWith("/dynos") ? dynos : path.endsWith("/releases") ? releases : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        try {
            Map<String, String> env = Release.env(tmp.resolve("home"), Release.path(false));
            env.put("HEROKU_API_KEY", "release-test-token");
            env.put("HEROKU_HOST", "http://127.0.0.1:" + api.getAddress().getPort());
            GitRepo repo = Release.repository(tmp.resolve("myapp"));
            Outcome ps = Launcher.run(repo.dir(), env, release.resolve("bin/production").toString(), "ps");
            assertEquals(0, ps.exitCode(), ps.toString());
            assertTrue(ps.out().contains("web.1: up") && ps.out().contains("v7"), ps.out());
        } finally {
            api.stop(0);
        }
    }
}
