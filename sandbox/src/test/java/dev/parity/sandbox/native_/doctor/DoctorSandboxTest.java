package dev.parity.sandbox.native_.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parity.cli.Parity;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.support.GitRepo;
import dev.parity.ui.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `production doctor` in-process against the sandbox, with real PostgreSQL databases behind each app. */
class DoctorSandboxTest {
    @TempDir
    static Path tmp;
    static SandboxFixture f;
    static final AtomicInteger N = new AtomicInteger();
    static final ObjectMapper JSON = new ObjectMapper();

    record Outcome(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        f = SandboxFixture.start(tmp);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    /** A fresh app with a database, its dynos up, and a repository whose `production` remote is it. */
    static App app(Map<String, Integer> formation) throws Exception {
        App app = f.sandbox().createApp("doc-" + N.incrementAndGet(), true, formation);
        SandboxFixture.await(Duration.ofSeconds(20), () -> app.dynosSnapshot().stream().noneMatch(d -> d.state.equals("starting")));
        return app;
    }

    static Path repo(App app) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("repos").resolve(app.name));
        GitRepo.init(dir, "main");
        GitRepo.run(dir, "git", "remote", "add", "production", f.sandbox().baseUrl() + "/" + app.name + ".git");
        return dir;
    }

    static Outcome doctor(Path repo, String... args) throws Exception {
        Map<String, String> env = f.env();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), env, repo, false);
        String[] argv = new String[args.length + 2];
        argv[0] = "production";
        argv[1] = "doctor";
        System.arraycopy(args, 0, argv, 2, args.length);
        int code = new Parity(io, new SystemProcessRunner(env, repo)).run(argv);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void sql(App app, String sql) {
        f.sandbox().cluster().psql(app.databaseName, sql);
    }

    static final String IN_AN_HOUR_TZ = "now() + interval '1 hour'";
    static final String IN_AN_HOUR_LOCAL = "localtimestamp + interval '1 hour'";
    static final String IN_AN_HOUR_UTC = "(now() AT TIME ZONE 'UTC') + interval '1 hour'";

    @Test
    void healthyAppExitsZero() throws Exception {
        App app = app(Map.of("web", 2, "worker", 1));
        Outcome o = doctor(repo(app));
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals("No problems found\n", o.out(), o.toString());
        assertTrue(o.err().contains("checked " + app.name + ": 3 dynos, current release v"), o.toString());
    }

    @Test
    void dynoBootedBeforeFlywayMigrationIsFoundAndMigrateSuggested() throws Exception {
        App app = app(Map.of("web", 2));
        sql(app, "CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50),"
                + " installed_on timestamp NOT NULL DEFAULT now(), success boolean NOT NULL);"
                + " INSERT INTO flyway_schema_history VALUES (1, '1', " + IN_AN_HOUR_LOCAL + ", true)");
        Outcome o = doctor(repo(app));
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.out().contains("web.1: booted before the schema changed at "), o.toString());
        assertTrue(o.out().contains("web.2: booted before the schema changed at "), o.toString());
        assertTrue(o.out().contains("(Flyway installed_on)"), o.toString());
        assertTrue(o.out().contains("Fix: production migrate"), o.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "Flyway installed_on|CREATE TABLE flyway_schema_history (installed_rank int, installed_on timestamp NOT NULL DEFAULT now()); INSERT INTO flyway_schema_history VALUES (1, LOCAL)",
            "Liquibase dateexecuted|CREATE TABLE databasechangelog (id varchar(255), dateexecuted timestamp NOT NULL); INSERT INTO databasechangelog VALUES ('1', LOCAL)",
            "Django applied|CREATE TABLE django_migrations (id serial, app varchar(255), name varchar(255), applied timestamptz NOT NULL); INSERT INTO django_migrations (app, name, applied) VALUES ('shop', '0001_initial', TZ)",
            "Knex migration_time|CREATE TABLE knex_migrations (id serial, name varchar(255), batch int, migration_time timestamptz); INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('a.js', 1, TZ)",
            "Prisma finished_at|CREATE TABLE _prisma_migrations (id varchar(36), migration_name varchar(255), finished_at timestamptz); INSERT INTO _prisma_migrations VALUES ('x', '20260101_init', TZ)",
            "Ecto inserted_at|CREATE TABLE schema_migrations (version bigint PRIMARY KEY, inserted_at timestamp(0)); INSERT INTO schema_migrations VALUES (20260101000000, UTC)"})
    void eachHistoryTableKindIsRecognised(String label, String ddl) throws Exception {
        App app = app(Map.of("web", 1));
        sql(app, ddl.replace("LOCAL", IN_AN_HOUR_LOCAL).replace("UTC", IN_AN_HOUR_UTC).replace("TZ", IN_AN_HOUR_TZ));
        Outcome o = doctor(repo(app), "--json");
        assertEquals(1, o.exitCode(), o.toString());
        JsonNode j = JSON.readTree(o.out());
        assertEquals(label, j.path("schema_change").path("source").asText(), o.toString());
        assertEquals("booted_before_schema_change", j.path("findings").path(0).path("kind").asText(), o.toString());
        assertEquals("web.1", j.path("findings").path(0).path("dyno").asText(), o.toString());
        assertEquals("production migrate", j.path("fix").asText(), o.toString());
        // an hour ahead, within a few minutes: time zones were read right
        java.time.Instant at = java.time.Instant.parse(j.path("schema_change").path("at").asText());
        Duration ahead = Duration.between(java.time.Instant.now(), at);
        assertTrue(ahead.compareTo(Duration.ofMinutes(50)) > 0 && ahead.compareTo(Duration.ofMinutes(70)) < 0, label + " " + at);
    }

    @Test
    void historyTablesWithOlderTimesAreNotFindings() throws Exception {
        App app = app(Map.of("web", 1));
        sql(app, "CREATE TABLE django_migrations (id serial, app text, name text, applied timestamptz NOT NULL);"
                + " INSERT INTO django_migrations (app, name, applied) VALUES ('a', '0001', now() - interval '1 day');"
                + " CREATE TABLE knex_migrations (id serial, name text); ");
        Outcome o = doctor(repo(app), "--json");
        assertEquals(0, o.exitCode(), o.toString());
        JsonNode j = JSON.readTree(o.out());
        assertTrue(j.path("healthy").asBoolean(), o.toString());
        assertEquals("Django applied", j.path("schema_change").path("source").asText());
        assertTrue(j.path("fix").isNull());
    }

    @Test
    void railsPendingMigrationIsFound() throws Exception {
        App app = app(Map.of("web", 1));
        sql(app, "CREATE TABLE schema_migrations (version varchar PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20250101000000')");
        Path repo = repo(app);
        Files.createDirectories(repo.resolve("db/migrate"));
        Files.writeString(repo.resolve("db/migrate/20250101000000_create_users.rb"), "class CreateUsers; end\n");
        Files.writeString(repo.resolve("db/migrate/20260101000000_x.rb"), "class X; end\n");
        Outcome o = doctor(repo);
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.out().startsWith("migration 20260101000000 (db/migrate/20260101000000_x.rb) has not run"), o.toString());
        assertFalse(o.out().contains("20250101000000"), o.toString());
        assertTrue(o.out().contains("Fix: production migrate"), o.toString());

        sql(app, "INSERT INTO schema_migrations VALUES ('20260101000000')");
        Outcome after = doctor(repo);
        assertEquals(0, after.exitCode(), after.toString());
    }

    @Test
    void railsWithoutSchemaMigrationsTableHasEverythingPending() throws Exception {
        App app = app(Map.of("web", 1));
        Path repo = repo(app);
        Files.createDirectories(repo.resolve("db/migrate"));
        Files.writeString(repo.resolve("db/migrate/20260101000000_x.rb"), "class X; end\n");
        Outcome o = doctor(repo, "--json");
        assertEquals(1, o.exitCode(), o.toString());
        JsonNode j = JSON.readTree(o.out());
        assertEquals("pending_migration", j.path("findings").path(0).path("kind").asText(), o.toString());
        assertTrue(j.path("findings").path(0).path("dyno").isNull());
    }

    @Test
    void crashedDynoIsFoundAndRestartSuggested() throws Exception {
        f.sandbox().crashOnBoot("crashy", true);
        App app = app(Map.of("web", 1, "crashy", 1));
        Outcome o = doctor(repo(app));
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.out().contains("crashy.1: crashed\n"), o.toString());
        assertFalse(o.out().contains("web.1"), o.toString());
        assertTrue(o.out().contains("Fix: production restart"), o.toString());
    }

    @Test
    void releaseLagIsFound() throws Exception {
        App app = app(Map.of("web", 2));
        synchronized (app) {
            app.addRelease("Set FOO config vars", "succeeded", null, java.time.Instant.now());
            app.dynosSnapshot().stream().filter(d -> d.name.equals("web.1")).forEach(d -> d.releaseVersion = app.currentVersion());
        }
        Outcome o = doctor(repo(app));
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.out().contains("web.2: runs v"), o.toString());
        assertFalse(o.out().contains("web.1"), o.toString());
        assertTrue(o.out().contains("Fix: production restart"), o.toString());
    }

    @Test
    void databasePasswordNeverAppears() throws Exception {
        App app = app(Map.of("web", 1));
        String password = "Sup3rS3cretPw-" + N.get();
        String url = f.sandbox().cluster().databaseUrl(app.databaseName).replace("postgres@", "postgres:" + password + "@");
        synchronized (app) {
            app.configVars.put("DATABASE_URL", url);
        }
        sql(app, "CREATE TABLE _prisma_migrations (id text, finished_at timestamptz); INSERT INTO _prisma_migrations VALUES ('a', " + IN_AN_HOUR_TZ + ")");
        Path repo = repo(app);
        for (String[] args : List.of(new String[] {}, new String[] {"--json"}, new String[] {"--dry-run"})) {
            Outcome o = doctor(repo, args);
            assertFalse(o.out().contains(password) || o.err().contains(password), o.toString());
            if (args.length == 0) {
                assertEquals(1, o.exitCode(), o.toString()); // the database was read with that URL
                assertTrue(o.out().contains("(Prisma finished_at)"), o.toString());
            }
        }
    }

    @Test
    void unreadableDatabaseIsSaidAndTheRestStillChecked() throws Exception {
        App app = app(Map.of("web", 1));
        synchronized (app) {
            app.configVars.put("DATABASE_URL", f.sandbox().cluster().databaseUrl("no_such_database_here"));
        }
        Outcome o = doctor(repo(app));
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.err().contains("could not read the migration history"), o.toString());
        assertEquals("No problems found\n", o.out());
    }

    @Test
    void aHistoryTableLockedByAnUnfinishedMigrationFailsTheReadInsteadOfWaiting() throws Exception {
        // another session holds the table (an ALTER in a migration that has not committed): the read is
        // cancelled by its statement timeout, doctor says the history was not read and checks the rest
        App app = app(Map.of("web", 1));
        sql(app, "CREATE TABLE knex_migrations (id serial, name text, migration_time timestamptz);"
                + "INSERT INTO knex_migrations (name, migration_time) VALUES ('add_email', " + IN_AN_HOUR_TZ + ")");
        String jdbc = "jdbc:postgresql://127.0.0.1:" + f.sandbox().cluster().port() + "/" + app.databaseName + "?user=postgres";
        try (Connection lock = DriverManager.getConnection(jdbc)) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE knex_migrations IN ACCESS EXCLUSIVE MODE");
            }
            Path repo = repo(app);
            // bounded by the statement timeout, not by the lock (held until the rollback below): without
            // the bound this fails here rather than hanging
            Outcome o = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> doctor(repo));
            lock.rollback();
            assertEquals(0, o.exitCode(), o.toString());
            assertTrue(o.err().contains("could not read the migration history in " + app.name + "'s database (psql exited with 1)"),
                    o.toString());
            assertEquals("No problems found\n", o.out(), o.toString());
        }
        SandboxFixture.await(Duration.ofSeconds(10), () -> f.sandbox().cluster()
                .psql(app.databaseName, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'parity doctor'").strip().equals("0"));
    }

    @Test
    void appWithoutDatabaseIsCheckedWithoutOne() throws Exception {
        App app = f.sandbox().createApp("doc-nodb-" + N.incrementAndGet(), false, Map.of("web", 1));
        SandboxFixture.await(Duration.ofSeconds(20), () -> app.dynosSnapshot().stream().allMatch(d -> d.state.equals("up")));
        Outcome o = doctor(repo(app));
        assertEquals(0, o.exitCode(), o.toString());
    }

    @Test
    void apiErrorExitsTwo() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("repos/missing"));
        GitRepo.init(dir, "main");
        GitRepo.run(dir, "git", "remote", "add", "production", f.sandbox().baseUrl() + "/no-such-app.git");
        Outcome o = doctor(dir);
        assertEquals(2, o.exitCode(), o.toString());
        assertTrue(o.err().startsWith("parity: doctor: "), o.toString());
        assertEquals("", o.out());
    }

    @Test
    void dryRunPrintsTheCallsAndQueriesAndCallsNothing() throws Exception {
        App app = app(Map.of("web", 1));
        Path repo = repo(app);
        Files.createDirectories(repo.resolve("db/migrate"));
        Files.writeString(repo.resolve("db/migrate/20260101000000_x.rb"), "class X; end\n");
        Outcome o = doctor(repo, "--dry-run");
        assertEquals(0, o.exitCode(), o.toString());
        for (String s : List.of("GET /apps/" + app.name + "/dynos", "GET /apps/" + app.name + "/releases",
                "GET /apps/" + app.name + "/config-vars", "psql -X -q -A -t -v ON_ERROR_STOP=1 -1 -c 'SET TRANSACTION READ ONLY' -c \"SET LOCAL statement_timeout = '10s'\"",
                "flyway_schema_history",
                "SELECT version FROM schema_migrations")) {
            assertTrue(o.out().contains(s), s + "\n" + o);
        }
    }
}
