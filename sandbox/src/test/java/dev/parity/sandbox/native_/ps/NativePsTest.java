package dev.parity.sandbox.native_.ps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parity.cli.Parity;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import dev.parity.stale.MigrationRecords;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native {@code ps}, {@code restart}, {@code releases} and {@code info} against the sandbox, compared
 * with the official CLI's output for the same app. Times ("~ 3s ago") can tick between two runs, so
 * each of parity's lines must equal the CLI's line from a run just before or just after it.
 */
class NativePsTest {
    static final String APP = "demo-production";
    /** A formation dyno line of {@code ps}, then parity's additions: " v42" and " stale: <reason>". */
    static final Pattern SUFFIX = Pattern.compile(
            "(?m)^([^ :]+: \\S+ \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}(?: \\(~ -?\\d+[smh] ago\\))?)(?: v\\d+)(?: stale: .*)?$");
    static final Pattern AGO = Pattern.compile("\\(~ (-?\\d+)([smh]) ago\\)");

    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;
    Path repo;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        app = f.sandbox().createApp(APP, false, Map.of("web", 2, "worker", 1));
        awaitAllUp();
        repo = repoWithRemote(APP);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    void awaitAllUp() throws InterruptedException {
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream().allMatch(d -> d.state.equals("up")));
    }

    Path repoWithRemote(String appName) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("repo-" + appName));
        for (List<String> argv : List.of(List.of("git", "init", "-q"),
                List.of("git", "remote", "add", "production", f.sandbox().baseUrl() + "/" + appName + ".git"))) {
            Outcome o = f.run(argv, null, dir);
            assertEquals(0, o.exitCode(), o.toString());
        }
        return dir;
    }

    Outcome parity(Map<String, String> extraEnv, Path cwd, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(f.env());
        env.putAll(extraEnv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), env, cwd, false);
        int code = new Parity(io, new SystemProcessRunner(env, cwd)).run(args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Outcome parity(String... args) throws Exception {
        return parity(Map.of(), repo, args);
    }

    /** parity's output (suffixes stripped) against the official CLI run just before and just after it. */
    void assertSameAsCli(String[] cli, String... parityArgs) throws Exception {
        Outcome before = f.heroku(cli);
        Outcome mine = parity(parityArgs);
        Outcome after = f.heroku(cli);
        assertEquals(0, before.exitCode(), before.toString());
        assertEquals(0, mine.exitCode(), mine.toString());
        String stripped = parityArgs[1].equals("ps") ? SUFFIX.matcher(mine.out()).replaceAll("$1") : mine.out();
        if (stripped.equals(before.out()) || stripped.equals(after.out())) return;
        String[] a = before.out().split("\n", -1);
        String[] b = after.out().split("\n", -1);
        String[] m = stripped.split("\n", -1);
        assertEquals(a.length, m.length, "official:\n" + before.out() + "\nparity:\n" + mine.out());
        for (int i = 0; i < m.length; i++) {
            assertTrue(m[i].equals(a[i]) || m[i].equals(b[i]) || between(a[i], m[i], b[i]),
                    "line " + (i + 1) + "\nofficial:\n" + before.out() + "\nparity:\n" + mine.out());
        }
    }

    @Test
    void psIsTheOfficialLayoutPlusReleaseSuffix() throws Exception {
        assertSameAsCli(new String[] {"ps", "--app", APP}, "production", "ps");
        Outcome o = parity("production", "ps");
        int v = app.currentVersion();
        assertTrue(o.out().contains("web.1: up ") && o.out().matches("(?s).*web\\.1: up [^\\n]* v" + v + "\n.*"), o.toString());
        assertFalse(o.out().contains("stale"), o.toString());
        assertEquals("", o.err(), "no progress lines for a one-step read");
    }

    @Test
    void psFiltersByTypeLikeTheCli() throws Exception {
        assertSameAsCli(new String[] {"ps", "worker", "--app", APP}, "production", "ps", "worker");
        Outcome unknown = parity("production", "ps", "nope");
        assertEquals(1, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("No nope dynos on " + APP), unknown.toString());
        assertEquals("", unknown.out());
    }

    @Test
    void appWithoutDynos() throws Exception {
        f.sandbox().createApp("empty-app", false, Map.of());
        Path other = repoWithRemote("empty-app");
        Outcome o = parity(Map.of(), other, "production", "ps");
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals(f.heroku("ps", "--app", "empty-app").out(), o.out());
        assertEquals("No dynos on empty-app\n", o.out());
    }

    @Test
    void staleWhenARunningDynoIsOnAnOlderRelease() throws Exception {
        int old = app.currentVersion();
        app.addRelease("Set FOO config vars", "succeeded", null, Instant.now()); // no restart: dynos stay on the old release
        Outcome o = parity("production", "ps");
        assertEquals(0, o.exitCode(), o.toString());
        for (String d : List.of("web.1", "web.2", "worker.1")) {
            assertTrue(o.out().contains(d + ": up ") && lineOf(o.out(), d).endsWith(" v" + old + " stale: runs v" + old + ", current is v" + (old + 1)),
                    o.toString());
        }
        assertSameAsCli(new String[] {"ps", "--app", APP}, "production", "ps");
    }

    @Test
    void staleWhenBootedBeforeTheLastMigration() throws Exception {
        Thread.sleep(1100); // the API's updated_at has whole seconds
        new MigrationRecords(Path.of(f.env().get("HOME")).resolve(".cache/parity")).record(APP, Instant.now(), app.currentVersion());
        Outcome o = parity("production", "ps", "web");
        assertTrue(lineOf(o.out(), "web.1").contains(" stale: booted before the schema changed at "), o.toString());
        assertTrue(lineOf(o.out(), "web.1").contains("(parity migrate record)"), o.toString());
        Thread.sleep(1100); // boots in a later second than the migration: the API's updated_at has whole seconds
        parity("production", "restart", "web");
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream()
                .allMatch(d -> d.state.equals("up") && (!d.type.equals("web") || d.updatedAt.isAfter(Instant.now().minusSeconds(30)))));
        Thread.sleep(1100);
        Outcome after = parity("production", "ps");
        assertFalse(lineOf(after.out(), "web.1").contains("stale"), after.toString());
        assertTrue(lineOf(after.out(), "worker.1").contains("stale: booted before"), after.toString());
    }

    @Test
    void staleWhenBootedBeforeTheNewestTimeInTheDatabasesMigrationHistory() throws Exception {
        // a migration run by hand (no parity record): ps reads the app's history table as doctor does
        f.sandbox().cluster().createDatabase("ps_history");
        f.sandbox().cluster().psql("ps_history", "CREATE TABLE knex_migrations (id serial, name text, migration_time timestamptz);"
                + "INSERT INTO knex_migrations (name, migration_time) VALUES ('add_email', now() + interval '1 hour')");
        synchronized (app) {
            app.configVars.put("DATABASE_URL", f.sandbox().cluster().databaseUrl("ps_history"));
        }
        // no delay anywhere: a reachable database's history is in within ps's grace, as on Heroku
        Outcome o = parity("production", "ps");
        assertEquals(0, o.exitCode(), o.toString());
        for (String dyno : List.of("web.1", "web.2", "worker.1")) {
            assertTrue(lineOf(o.out(), dyno).contains(" stale: booted before the schema changed at "), o.toString());
            assertTrue(lineOf(o.out(), dyno).endsWith("(Knex migration_time)"), o.toString());
        }
        assertFalse(o.err().contains("migration history was not read"), o.toString());
    }

    @Test
    void aHistoryReadStillRunningAfterTheGraceIsStoppedAndPsSaysSo() throws Exception {
        // a history that would mark every dyno stale, locked by another session (an ALTER in a
        // migration that has not committed): the read waits on the lock, ps waits its grace after the
        // API's answers, then shows the table without the history and says so
        f.sandbox().cluster().createDatabase("ps_locked_history");
        f.sandbox().cluster().psql("ps_locked_history", "CREATE TABLE knex_migrations (id serial, name text, migration_time timestamptz);"
                + "INSERT INTO knex_migrations (name, migration_time) VALUES ('add_email', now() + interval '1 hour')");
        synchronized (app) {
            app.configVars.put("DATABASE_URL", f.sandbox().cluster().databaseUrl("ps_locked_history"));
        }
        String jdbc = "jdbc:postgresql://127.0.0.1:" + f.sandbox().cluster().port() + "/ps_locked_history?user=postgres";
        try (Connection lock = DriverManager.getConnection(jdbc)) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE knex_migrations IN ACCESS EXCLUSIVE MODE");
            }
            Outcome o = parity("production", "ps");
            assertEquals(0, o.exitCode(), o.toString());
            assertFalse(o.out().contains("stale"), o.toString());
            for (String dyno : List.of("web.1", "web.2", "worker.1")) {
                assertTrue(lineOf(o.out(), dyno).startsWith(dyno + ": up "), o.toString());
            }
            assertTrue(o.err().contains("parity: the database's migration history was not read within 2 s of the API's answers, "
                    + "so these stale marks leave it out; `production doctor` waits for it."), o.toString());
            lock.rollback();
        }
        // the stopped read left no session behind waiting on the table
        SandboxFixture.await(Duration.ofSeconds(10), () -> f.sandbox().cluster()
                .psql("ps_locked_history", "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'parity doctor'").strip().equals("0"));
    }

    @Test
    void withoutPsqlOnPathTheHistoryIsNotRead() throws Exception {
        f.sandbox().cluster().createDatabase("ps_no_psql");
        f.sandbox().cluster().psql("ps_no_psql", "CREATE TABLE knex_migrations (id serial, name text, migration_time timestamptz);"
                + "INSERT INTO knex_migrations (name, migration_time) VALUES ('add_email', now() + interval '1 hour')");
        synchronized (app) {
            app.configVars.put("DATABASE_URL", f.sandbox().cluster().databaseUrl("ps_no_psql"));
        }
        f.sandbox().faults().delayNextAnswer("GET", "/dynos", 1, 3000);
        Path noPsql = Files.createDirectories(tmp.resolve("bin-without-psql"));
        for (String program : List.of("git")) {
            Path found = java.util.Arrays.stream(f.env().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                    .map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst().orElseThrow();
            Files.createSymbolicLink(noPsql.resolve(program), found);
        }
        int configVarReadsBefore = f.sandbox().requests().count("GET", "/apps/" + APP + "/config-vars");
        Outcome o = parity(Map.of("PATH", noPsql.toString()), repo, "production", "ps");
        assertEquals(0, o.exitCode(), o.toString());
        assertFalse(o.out().contains("stale"), o.toString());
        assertEquals(configVarReadsBefore, f.sandbox().requests().count("GET", "/apps/" + APP + "/config-vars"),
                "no psql: the config vars (DATABASE_URL) are not asked for");
    }

    @Test
    void anUnreadableDatabaseLeavesPsAsItWas() throws Exception {
        synchronized (app) {
            app.configVars.put("DATABASE_URL", f.sandbox().cluster().databaseUrl("no_such_database_here"));
        }
        Outcome o = parity("production", "ps");
        assertEquals(0, o.exitCode(), o.toString());
        assertFalse(o.out().contains("stale"), o.toString());
        assertTrue(lineOf(o.out(), "web.1").startsWith("web.1: up "), o.toString());
    }

    @Test
    void staleWhenCrashed() throws Exception {
        f.sandbox().crashOnBoot("worker", true);
        f.sandbox().restart(app, d -> d.type.equals("worker"));
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dyno("worker.1").orElseThrow().state.equals("crashed"));
        Outcome o = parity("production", "ps");
        assertTrue(lineOf(o.out(), "worker.1").startsWith("worker.1: crashed ") && lineOf(o.out(), "worker.1").endsWith(" stale: crashed"), o.toString());
        assertFalse(lineOf(o.out(), "web.1").contains("stale"), o.toString());
        assertSameAsCli(new String[] {"ps", "--app", APP}, "production", "ps");

        JsonNode json = new ObjectMapper().readTree(parity("production", "ps", "--json").out());
        assertEquals(3, json.size());
        for (JsonNode d : json) {
            assertEquals(d.path("name").asText().equals("worker.1") ? "crashed" : null, d.path("stale").isNull() ? null : d.path("stale").asText(), d.toString());
        }
        assertEquals("web.1", json.get(0).path("name").asText(), "sorted by name as the CLI does");
    }

    @Test
    void restartAllOneTypeAndOneDyno() throws Exception {
        Instant t0 = Instant.now();
        Outcome all = parity("production", "restart");
        assertEquals(0, all.exitCode(), all.toString());
        assertEquals("", all.out());
        assertTrue(all.err().contains("Restarting all dynos on " + APP + "... done"), all.err());
        awaitAllUp();
        for (Dyno d : app.dynosSnapshot()) assertTrue(d.updatedAt.isAfter(t0), d.name);

        Instant t1 = Instant.now();
        Outcome type = parity("production", "restart", "worker");
        assertTrue(type.err().contains("Restarting all worker dynos on " + APP + "... done"), type.err());
        awaitAllUp();
        assertTrue(app.dyno("worker.1").orElseThrow().updatedAt.isAfter(t1));
        assertTrue(app.dyno("web.1").orElseThrow().updatedAt.isBefore(t1));

        Instant t2 = Instant.now();
        Outcome one = parity("production", "restart", "web.2");
        assertTrue(one.err().contains("Restarting dyno web.2 on " + APP + "... done"), one.err());
        awaitAllUp();
        assertTrue(app.dyno("web.2").orElseThrow().updatedAt.isAfter(t2));
        assertTrue(app.dyno("web.1").orElseThrow().updatedAt.isBefore(t2));
        assertTrue(app.dyno("worker.1").orElseThrow().updatedAt.isBefore(t2));
    }

    @Test
    void restartOfAMissingDynoIsAnApiError() throws Exception {
        Outcome o = parity("production", "restart", "web.9");
        assertEquals(2, o.exitCode(), o.toString());
        assertTrue(o.err().contains("failed"), o.toString());
    }

    @Test
    void dryRunListsTheApiCalls() throws Exception {
        String base = f.sandbox().baseUrl();
        Outcome ps = parity("production", "ps", "--dry-run");
        assertEquals(0, ps.exitCode(), ps.toString());
        assertTrue(ps.out().contains("GET " + base + "/apps/" + APP + "/dynos"), ps.out());
        Outcome restart = parity("production", "restart", "web", "--dry-run");
        assertTrue(restart.out().contains("DELETE " + base + "/apps/" + APP + "/formations/web"), restart.out());
        Outcome one = parity("production", "restart", "web.1", "--dry-run");
        assertTrue(one.out().contains("DELETE " + base + "/apps/" + APP + "/dynos/web.1"), one.out());
        Outcome releases = parity("production", "releases", "-n", "3", "--dry-run");
        assertTrue(releases.out().contains("GET " + base + "/apps/" + APP + "/releases (Range: version ..; max=3, order=desc)"), releases.out());
        Instant before = app.dyno("web.1").orElseThrow().updatedAt;
        assertEquals(before, app.dyno("web.1").orElseThrow().updatedAt, "a dry run restarts nothing");
    }

    @Test
    void releasesAsTheCliPrintsThem() throws Exception {
        app.addRelease("Deploy 1234567", "failed", null, Instant.now());
        app.addRelease("Set FOO config vars", "pending", null, Instant.now());
        assertSameAsCli(new String[] {"releases", "--app", APP}, "production", "releases");
        assertSameAsCli(new String[] {"releases", "-n", "2", "--app", APP}, "production", "releases", "-n", "2");
        Outcome json = parity("production", "releases", "--json", "-n", "1");
        assertEquals(1, new ObjectMapper().readTree(json.out()).size(), json.out());
    }

    @Test
    void infoAsTheCliPrintsIt() throws Exception {
        f.sandbox().createApp("pg-app", true, Map.of("web", 1));
        Path other = repoWithRemote("pg-app");
        Outcome official = f.heroku("info", "--app", "pg-app");
        Outcome mine = parity(Map.of(), other, "production", "info");
        assertEquals(0, mine.exitCode(), mine.toString());
        assertEquals(official.out(), mine.out());
        assertSameAsCli(new String[] {"info", "--app", APP}, "production", "info");
    }

    @Test
    void missingAppSaysWhichEnvironmentMappedToIt() throws Exception {
        Path ghost = repoWithRemote("ghost-app");
        for (String verb : List.of("ps", "releases", "info", "restart")) {
            Outcome o = parity(Map.of(), ghost, "production", verb);
            assertEquals(2, o.exitCode(), o.toString());
            assertTrue(o.err().contains("Couldn't find that app"), o.toString());
            assertTrue(o.err().contains("environment production maps to app ghost-app (from "), o.toString());
            assertEquals("", o.out());
        }
    }

    @Test
    void badTokenIsOneClearLineAndNeverPrinted() throws Exception {
        String token = "wrong-token-4f1c2a";
        for (String verb : List.of("ps", "releases", "info", "restart")) {
            Outcome o = parity(Map.of("HEROKU_API_KEY", token), repo, "production", verb);
            assertEquals(2, o.exitCode(), o.toString());
            assertTrue(o.err().contains("run `heroku login` or set HEROKU_API_KEY"), o.toString());
            assertFalse(o.err().contains(token) || o.out().contains(token), o.toString());
        }
    }

    /** The same line but for an "~ N ago" that lies between the CLI's run before and after parity's. */
    static boolean between(String before, String mine, String after) {
        String normal = AGO.matcher(mine).replaceAll("(~ # ago)");
        if (!normal.equals(AGO.matcher(before).replaceAll("(~ # ago)")) || !normal.equals(AGO.matcher(after).replaceAll("(~ # ago)"))) {
            return false;
        }
        var x = AGO.matcher(before);
        var y = AGO.matcher(mine);
        var z = AGO.matcher(after);
        while (y.find()) {
            if (!x.find() || !z.find()) return false;
            if (!x.group(2).equals(y.group(2)) || !y.group(2).equals(z.group(2))) return false;
            long n = Long.parseLong(y.group(1));
            if (n < Long.parseLong(x.group(1)) || n > Long.parseLong(z.group(1))) return false;
        }
        return true;
    }

    static String lineOf(String text, String dyno) {
        return text.lines().filter(l -> l.startsWith(dyno + ":")).findFirst().orElseThrow(() -> new AssertionError(dyno + " not in\n" + text));
    }
}
