package dev.parity.pgcluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Starts real PostgreSQL servers from the system's binaries (this machine and CI run as root). */
class PostgresClusterTest {

    @TempDir
    Path tmp;

    @Test
    void createsQueriesDumpsAndRestores() throws Exception {
        try (PostgresCluster pg = PostgresCluster.start(tmp.resolve("clusters"))) {
            assertEquals("127.0.0.1", pg.host());
            assertEquals("postgres", pg.user());
            assertTrue(pg.version() >= 9, "version " + pg.version());
            assertEquals(Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(pg.port()), "PGUSER", "postgres"),
                    pg.libpqEnv());
            assertTrue(Files.isDirectory(pg.socketDir()));
            assertTrue(Files.exists(pg.socketDir().resolve(".s.PGSQL." + pg.port())), "unix socket in socketDir");

            pg.createDatabase("app");
            assertTrue(pg.databaseExists("app"));
            assertFalse(pg.databaseExists("nope"));
            assertEquals(Integer.toString(pg.port()), pg.psql("app", "SHOW port"));

            pg.psql("app", "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);"
                    + " INSERT INTO items VALUES (1, 'apple'), (2, 'it''s'), (3, 'zürich')");
            assertEquals("1|apple\n2|it's\n3|zürich", pg.psql("app", "SELECT id, name FROM items ORDER BY id"));

            // The client tools reach it with only libpqEnv(), as whatever OS user runs the tests.
            Map<String, String> env = new HashMap<>(System.getenv());
            env.putAll(pg.libpqEnv());
            ProgramRunner runner = new ProgramRunner(env, tmp);
            Path dump = tmp.resolve("app.dump");
            ProgramRunner.Outcome dumped = runner.run(List.of(pg.program("pg_dump"), "-Fc", "-f", dump.toString(), "-d", "app"), Map.of());
            assertEquals(0, dumped.exitCode());
            assertTrue(Files.size(dump) > 0);

            ProgramRunner.Outcome listed = runner.run(List.of(pg.program("pg_restore"), "--list", dump.toString()), Map.of());
            assertEquals(0, listed.exitCode());
            assertTrue(listed.stdout().contains("TABLE public items"), listed.stdout());

            pg.createDatabase("copy");
            ProgramRunner.Outcome restored = runner.run(List.of(pg.program("pg_restore"), "--no-owner", "-d", "copy",
                    dump.toString()), Map.of());
            assertEquals(0, restored.exitCode());
            assertEquals("3", pg.psql("copy", "SELECT count(*) FROM items"));
        }
    }

    @Test
    void psqlErrorsCarryTheServersMessage() {
        try (PostgresCluster pg = PostgresCluster.start(tmp)) {
            PostgresClusterException e = assertThrows(PostgresClusterException.class,
                    () -> pg.psql("postgres", "SELECT * FROM no_such_table"));
            assertTrue(e.getMessage().contains("relation \"no_such_table\" does not exist"), e.getMessage());
            // the server is still fine afterwards
            assertEquals("1", pg.psql("postgres", "SELECT 1"));
        }
    }

    @Test
    void closeStopsTheServerAndDeletesItsDirectory() throws Exception {
        Path base = tmp.resolve("base");
        PostgresCluster pg = PostgresCluster.start(base);
        int port = pg.port();
        assertTrue(accepts(port));
        assertEquals(List.of(pg.directory()), entries(base), "one fresh subdirectory");

        pg.close();
        assertFalse(accepts(port), "port " + port + " still accepts connections");
        assertFalse(Files.exists(pg.directory()));
        assertFalse(Files.exists(pg.socketDir()));
        assertEquals(List.of(), entries(base));

        pg.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> pg.psql("postgres", "SELECT 1"));
    }

    @Test
    void twoClustersRunSideBySide() {
        try (PostgresCluster a = PostgresCluster.start(tmp); PostgresCluster b = PostgresCluster.start(tmp)) {
            assertNotEquals(a.port(), b.port());
            a.createDatabase("only_in_a");
            assertTrue(a.databaseExists("only_in_a"));
            assertFalse(b.databaseExists("only_in_a"));
            assertEquals(Integer.toString(b.port()), b.psql("postgres", "SHOW port"));
        }
    }

    @Test
    void quotesDatabaseNames() {
        try (PostgresCluster pg = PostgresCluster.start(tmp)) {
            String odd = "my-app \"db\" 'x' a=b \\";
            pg.createDatabase(odd);
            assertTrue(pg.databaseExists(odd));
            assertEquals(odd, pg.psql(odd, "SELECT current_database()"));
        }
    }

    @Test
    void longBaseDirGetsAShortSocketDir() throws Exception {
        Path deep = tmp.resolve("a".repeat(60)).resolve("b".repeat(40));
        PostgresCluster pg = PostgresCluster.start(deep);
        try {
            assertFalse(pg.socketDir().startsWith(pg.directory()), pg.socketDir().toString());
            assertEquals("1", pg.psql("postgres", "SELECT 1"));
        } finally {
            pg.close();
        }
        assertFalse(Files.exists(pg.socketDir()));
        assertFalse(Files.exists(pg.directory()));
    }

    @Test
    void asRootABaseDirNobodyCannotReachMovesToTheTempDir() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only as root");
        // A 0700 directory that is not ours: we must not open it up for the server user.
        Path locked = Files.createDirectory(tmp.resolve("locked"));
        Files.setOwner(locked, locked.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("daemon"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        Path base = locked.resolve("base");
        try (PostgresCluster pg = PostgresCluster.start(base)) {
            assertFalse(pg.directory().startsWith(locked), pg.directory().toString());
            assertEquals("1", pg.psql("postgres", "SELECT 1"));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(locked)));
        assertEquals(List.of(), entries(base));
    }

    // ---- finding the binaries (no server needed) ----

    @Test
    void binDirOverrideWins() throws IOException {
        Path custom = fakeBin(tmp.resolve("custom"));
        Path onPath = fakeBin(tmp.resolve("onpath"));
        Map<String, String> env = Map.of(PostgresCluster.BIN_ENV, custom.toString(), "PATH", onPath.toString());
        assertEquals(Optional.of(custom), PostgresCluster.findBinDir(env, tmp.resolve("none")));

        Map<String, String> wrong = Map.of(PostgresCluster.BIN_ENV, tmp.resolve("empty").toString());
        PostgresClusterException e = assertThrows(PostgresClusterException.class,
                () -> PostgresCluster.findBinDir(wrong, tmp.resolve("none")));
        assertTrue(e.getMessage().contains("PARITY_PG_BIN"), e.getMessage());
    }

    @Test
    void pathSymlinksResolveToTheRealInstall() throws IOException {
        Path real = fakeBin(tmp.resolve("lib/postgresql/15/bin"));
        Path local = Files.createDirectories(tmp.resolve("local/bin"));
        Files.createSymbolicLink(local.resolve("initdb"), real.resolve("initdb"));
        Files.createSymbolicLink(local.resolve("pg_ctl"), real.resolve("pg_ctl"));
        Map<String, String> env = Map.of("PATH", tmp.resolve("nothing") + ":" + local);
        assertEquals(Optional.of(real.toRealPath()), PostgresCluster.findBinDir(env, tmp.resolve("none")));
    }

    @Test
    void debianLayoutPicksTheHighestVersion() throws IOException {
        Path lib = tmp.resolve("usr/lib/postgresql");
        fakeBin(lib.resolve("9.6/bin"));
        fakeBin(lib.resolve("13/bin"));
        fakeBin(lib.resolve("16/bin"));
        Files.createDirectories(lib.resolve("17/bin")); // no binaries: skipped
        Files.createDirectories(lib.resolve("common"));
        assertEquals(Optional.of(lib.resolve("16/bin")), PostgresCluster.findBinDir(Map.of("PATH", ""), lib));
    }

    @Test
    void missingBinariesNameThePackage() {
        Path base = tmp.resolve("base");
        PostgresClusterException e = assertThrows(PostgresClusterException.class,
                () -> PostgresCluster.start(base, Map.of("PATH", ""), tmp.resolve("none")));
        assertEquals(PostgresCluster.NOT_FOUND_MESSAGE, e.getMessage());
        assertTrue(e.getMessage().contains("apt install postgresql"));
        assertFalse(Files.exists(base));
    }

    private static Path fakeBin(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : List.of("initdb", "pg_ctl")) {
            Path p = Files.writeString(dir.resolve(name), "#!/bin/false\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    private static boolean accepts(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
