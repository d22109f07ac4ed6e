package dev.parity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.db.PostgresCluster;
import dev.parity.support.DumpServer;
import dev.parity.support.Dumps;
import dev.parity.support.FakeHeroku;
import dev.parity.support.GitRepo;
import dev.parity.support.Launcher;
import dev.parity.support.Launcher.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code development restore production} through the real launcher into a real PostgreSQL: rows
 * arrive, and every way the source can be bad leaves the existing development database as it was.
 */
class RestoreIT {
    static final String DEV_DB = "myapp_development";

    @TempDir
    static Path shared;
    static PostgresCluster cluster;
    static byte[] productionDump;

    @TempDir
    Path tmp;
    GitRepo repo;
    FakeHeroku heroku;
    DumpServer server;
    Map<String, String> env;

    @BeforeAll
    static void startPostgres() throws Exception {
        cluster = PostgresCluster.start(shared);
        cluster.createDatabase("production_copy");
        cluster.psql("production_copy", """
                CREATE SCHEMA heroku_ext;
                CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE);
                CREATE TABLE posts (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users(id), title text);
                CREATE INDEX posts_user_id ON posts (user_id);
                CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar);
                INSERT INTO ar_internal_metadata VALUES ('environment', 'production');
                INSERT INTO users (email) SELECT 'user' || g || '@example.com' FROM generate_series(1, 250) g;
                INSERT INTO posts (user_id, title) SELECT 1 + g % 250, 'post ' || g FROM generate_series(1, 1000) g;
                """);
        Path dump = shared.resolve("production.dump");
        GitRepo.run(shared, cluster.program("pg_dump"), "--format=custom", "--file", dump.toString(),
                "--host", cluster.host(), "--port", String.valueOf(cluster.port()), "--username", cluster.user(), "production_copy");
        productionDump = Files.readAllBytes(dump);
    }

    @AfterAll
    static void stopPostgres() {
        if (cluster != null) cluster.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        if (cluster.databaseExists(DEV_DB)) cluster.psql("postgres", "DROP DATABASE " + DEV_DB);
        cluster.createDatabase(DEV_DB);
        cluster.psql(DEV_DB, "CREATE TABLE precious (note text); INSERT INTO precious VALUES ('local work')");

        repo = GitRepo.init(tmp.resolve("myapp"), "main");
        // A Rails app: the database name comes from config/database.yml
        Files.createDirectories(repo.dir().resolve("config"));
        Files.writeString(repo.dir().resolve("config/database.yml"), """
                default: &default
                  adapter: postgresql
                  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>
                development:
                  <<: *default
                  database: myapp_development
                """);
        Files.writeString(repo.dir().resolve("Gemfile"), "gem 'rails'\n");
        repo.addHerokuRemote("production", "myapp-production", tmp.resolve("heroku-git"));
        heroku = new FakeHeroku(tmp);
        server = new DumpServer().serve(productionDump);
        env = Launcher.env(tmp.resolve("home"), heroku.binDir(), cluster.binDir());
        env.putAll(cluster.libpqEnv());
        env.put("FAKE_HEROKU_LOG", heroku.logDir().toString());
        env.put("FAKE_HEROKU_BACKUP_URL", server.url());
    }

    @org.junit.jupiter.api.AfterEach
    void tearDown() {
        server.close();
    }

    Outcome restore(String... extra) throws Exception {
        String[] args = new String[extra.length + 2];
        args[0] = "restore";
        args[1] = "production";
        System.arraycopy(extra, 0, args, 2, extra.length);
        return Launcher.run(repo.dir(), env, "development", args);
    }

    void assertDevelopmentDatabaseUntouched() {
        assertEquals("local work", cluster.psql(DEV_DB, "SELECT note FROM precious"));
        assertFalse(Arrays.asList(cluster.psql(DEV_DB, "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'")
                .split(",")).contains("users"));
    }

    @Test
    void productionRowsArriveInTheDevelopmentDatabase() throws Exception {
        Outcome o = restore();
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals("250", cluster.psql(DEV_DB, "SELECT count(*) FROM users"));
        assertEquals("1000", cluster.psql(DEV_DB, "SELECT count(*) FROM posts"));
        assertEquals("1", cluster.psql(DEV_DB, "SELECT count(*) FROM pg_indexes WHERE indexname = 'posts_user_id'"));
        assertEquals("1", cluster.psql(DEV_DB, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"));
        assertEquals("development", cluster.psql(DEV_DB, "SELECT value FROM ar_internal_metadata WHERE key = 'environment'"));
        assertEquals("0", cluster.psql(DEV_DB, "SELECT count(*) FROM pg_tables WHERE tablename = 'precious'"));
        assertFalse(o.err().contains("X-Amz-Signature=s3cr3t"), "the signed URL never prints: " + o.err());
    }

    @Test
    void parallelRestoreAlsoArrivesWhole() throws Exception {
        Outcome o = restore("--jobs", "2");
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals("1000", cluster.psql(DEV_DB, "SELECT count(*) FROM posts"));
        assertEquals("1", cluster.psql(DEV_DB, "SELECT count(*) FROM pg_indexes WHERE indexname = 'posts_user_id'"));
    }

    @Test
    void failedDownloadLeavesTheDevelopmentDatabaseUntouched() throws Exception {
        server.failWith(403);
        Outcome o = restore();
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains("HTTP 403"), o.err());
        assertDevelopmentDatabaseUntouched();
    }

    @Test
    void truncatedDownloadLeavesTheDevelopmentDatabaseUntouched() throws Exception {
        server.cutAfter(productionDump.length / 2);
        Outcome o = restore();
        assertEquals(1, o.exitCode(), o.toString());
        assertDevelopmentDatabaseUntouched();
    }

    @Test
    void corruptDumpLeavesTheDevelopmentDatabaseUntouched() throws Exception {
        byte[] corrupt = Arrays.copyOf(productionDump, productionDump.length);
        for (int i = 40; i < corrupt.length; i += 7) corrupt[i] ^= 0x5a; // header intact, contents garbled
        server.serve(corrupt);
        Outcome o = restore();
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains("'check the dump' failed"), o.err());
        assertDevelopmentDatabaseUntouched();
    }

    @Test
    void errorPageInsteadOfADumpLeavesTheDevelopmentDatabaseUntouched() throws Exception {
        server.serve("<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>".getBytes());
        Outcome o = restore();
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains("not a PostgreSQL custom-format dump"), o.err());
        assertDevelopmentDatabaseUntouched();
    }

    @Test
    void dumpNewerThanTheLocalPgRestoreSaysWhichClientIsNeeded() throws Exception {
        server.serve(Dumps.header(16, "17.2"));
        Outcome o = restore();
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains("PostgreSQL 17 client"), o.err());
        assertDevelopmentDatabaseUntouched();
    }

    @Test
    void failingBackupLookupLeavesTheDevelopmentDatabaseUntouched() throws Exception {
        env.put("FAKE_HEROKU_FAIL", "pg:backups:url");
        env.put("FAKE_HEROKU_FAIL_CODE", "2");
        Outcome o = restore();
        assertEquals(2, o.exitCode(), o.toString());
        assertEquals(0, server.requests());
        assertDevelopmentDatabaseUntouched();
    }

    @Test
    void interruptedDownloadLeavesNoDumpBehindAndTheDatabaseUntouched() throws Exception {
        server.stallAfter(productionDump.length / 2);
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + javaTmp);
        ProcessBuilder pb = new ProcessBuilder(Launcher.BIN.resolve("development").toString(), "restore", "production")
                .directory(repo.dir().toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        Path dump = null;
        while (dump == null && System.nanoTime() < deadline) {
            try (var files = Files.walk(javaTmp)) {
                dump = files.filter(f -> f.getFileName().toString().equals("latest.dump")).filter(f -> f.toFile().length() > 0)
                        .findFirst().orElse(null);
            }
            if (dump == null) Thread.sleep(50);
        }
        assertTrue(dump != null, "the download started: " + Files.readString(tmp.resolve("out.txt")));
        p.destroy(); // SIGTERM, as a terminal's Ctrl-C or a CI timeout would
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        try (var files = Files.list(javaTmp)) {
            assertEquals(java.util.List.of(), files.filter(f -> f.getFileName().toString().startsWith("parity-")).toList(),
                    "no partial production dump left on disk");
        }
        assertDevelopmentDatabaseUntouched();
    }

    @Test
    void developmentBackupWritesARestorableDump() throws Exception {
        Outcome o = Launcher.run(repo.dir(), env, "development", "backup");
        assertEquals(0, o.exitCode(), o.toString());
        Path file = Path.of(o.out().strip());
        assertTrue(file.startsWith(tmp.resolve("home/.cache/parity/backups")), file.toString());
        String toc = GitRepo.run(tmp, cluster.program("pg_restore"), "--list", file.toString());
        assertTrue(toc.contains("TABLE public precious"), toc);
    }
}
