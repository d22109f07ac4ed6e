package dev.parity.db;

import dev.parity.pgcluster.PostgresCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parity.process.SystemProcessRunner;
import dev.parity.steps.StepFailed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The temporary database, the swap and --undo on a real server: a database is only ever replaced by
 * renames in one transaction, the one it replaces is kept, and other sessions stop it unless forced.
 * One cluster for the class; each test uses its own database names.
 */
class LocalDatabasesTest {
    @TempDir
    static Path tmp;
    static PostgresCluster pg;
    static SystemProcessRunner runner;
    static Map<String, String> env;
    static final AtomicInteger names = new AtomicInteger();
    final List<Process> sessions = new ArrayList<>();

    @BeforeAll
    static void start() {
        pg = PostgresCluster.start(tmp.resolve("clusters"));
        env = new HashMap<>(System.getenv());
        env.putAll(pg.libpqEnv());
        env.put("PATH", pg.binDir() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        runner = new SystemProcessRunner(env, tmp);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    @AfterEach
    void endSessions() throws InterruptedException {
        for (Process p : sessions) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String fresh(String base) {
        return base + names.incrementAndGet();
    }

    static LocalDatabases databases(String name) {
        return LocalDatabases.open(new DevDatabase(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "test"),
                runner, env);
    }

    /** A database holding one row saying which it is. */
    static void databaseSaying(String name, String says) {
        pg.createDatabase(name);
        pg.psql(name, "CREATE TABLE which (says text); INSERT INTO which VALUES ('" + says.replace("'", "''") + "')");
    }

    static String says(String name) {
        return pg.psql(name, "SELECT says FROM which");
    }

    /** What a restore does before the swap: a fresh temporary database, filled. */
    static void restoredInto(LocalDatabases dbs, String says) throws Exception {
        dbs.createTemporary(false);
        dbs.run("fill", dbs.temporary(), "CREATE TABLE which (says text)", "INSERT INTO which VALUES ('" + says + "')");
    }

    /** Another client (a Rails server, a console) connected to {@code database}, until the test ends. */
    Process session(String database, String applicationName) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(pg.program("psql"), "-X", "-q", "-d", "dbname=" + conninfo(database), "-c", "SELECT pg_sleep(60)");
        pb.environment().putAll(env);
        pb.environment().put("PGAPPNAME", applicationName);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        sessions.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!pg.psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName + "'").equals("1")) {
            if (!p.isAlive()) fail("the session ended early: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            if (System.nanoTime() > deadline) fail("the session did not connect:\n" + pg.psql("postgres", "SELECT * FROM pg_stat_activity"));
            Thread.sleep(20);
        }
        return p;
    }

    private static String conninfo(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Test
    void companionsAreNamedAfterTheDatabase() {
        LocalDatabases dbs = databases("myapp_development");
        assertEquals("myapp_development", dbs.current());
        assertEquals("myapp_development_parity_restore", dbs.temporary());
        assertEquals("myapp_development_parity_previous", dbs.previous());
    }

    @Test
    void serverMajorIsTheClustersVersion() throws Exception {
        assertEquals(pg.version(), databases("postgres").serverMajor());
    }

    @Test
    void swapInKeepsTheOldDatabaseAsThePreviousCopy() throws Exception {
        String name = fresh("app");
        databaseSaying(name, "old");
        LocalDatabases dbs = databases(name);
        restoredInto(dbs, "new");

        dbs.swapIn(false);
        assertEquals("new", says(name));
        assertEquals("old", says(dbs.previous()), "the database you had is kept, data intact");
        assertFalse(pg.databaseExists(dbs.temporary()));

        restoredInto(dbs, "newer");
        dbs.swapIn(false);
        assertEquals("newer", says(name));
        assertEquals("new", says(dbs.previous()), "an older previous copy is replaced");
    }

    @Test
    void aSessionOnThePreviousCopyDoesNotStopTheSwap() throws Exception {
        String name = fresh("app");
        databaseSaying(name, "old");
        LocalDatabases dbs = databases(name);
        databaseSaying(dbs.previous(), "older");
        Process reading = session(dbs.previous(), "someone reading the old copy");
        restoredInto(dbs, "new");
        dbs.swapIn(false);
        assertEquals("new", says(name));
        assertEquals("old", says(dbs.previous()));
        assertTrue(reading.waitFor(10, TimeUnit.SECONDS), "the session on the replaced copy was ended");
        assertEquals(List.of(name, dbs.previous()), databasesStartingWith(name), "the older copy is gone, nothing else is left");
    }

    /** A swap that fails in its transaction (here: someone connected to the restored copy) loses nothing, not even the older copy. */
    @Test
    void aSwapThatFailsLeavesEveryDatabaseAsItWas() throws Exception {
        String name = fresh("app");
        databaseSaying(name, "old");
        LocalDatabases dbs = databases(name);
        databaseSaying(dbs.previous(), "older");
        restoredInto(dbs, "new");
        session(dbs.temporary(), "peeking at the restore");
        assertThrows(StepFailed.class, () -> dbs.swapIn(false));
        assertEquals("old", says(name));
        assertEquals("older", says(dbs.previous()), "the previous copy is kept when the swap did not happen");
        assertEquals("new", says(dbs.temporary()));
        assertEquals(List.of(name, dbs.previous(), dbs.temporary()), databasesStartingWith(name));
    }

    @Test
    void anOlderCopyLeftByAKilledSwapIsCleanedUp() throws Exception {
        String name = fresh("app");
        databaseSaying(name, "old");
        LocalDatabases dbs = databases(name);
        databaseSaying(name + "_parity_older", "left over");
        restoredInto(dbs, "new");
        dbs.swapIn(false);
        assertEquals(List.of(name, dbs.previous()), databasesStartingWith(name));
    }

    static List<String> databasesStartingWith(String name) {
        return List.of(pg.psql("postgres", "SELECT string_agg(datname, '|' ORDER BY datname) FROM pg_database WHERE datname LIKE '"
                + name.replace("'", "''") + "%'").split("\\|"));
    }

    @Test
    void swapInWithoutACurrentDatabaseOnlyRenames() throws Exception {
        String name = fresh("app");
        LocalDatabases dbs = databases(name);
        restoredInto(dbs, "new");
        dbs.swapIn(false);
        assertEquals("new", says(name));
        assertFalse(pg.databaseExists(dbs.previous()));
        assertFalse(pg.databaseExists(dbs.temporary()));
    }

    @Test
    void theTemporaryDatabaseBuildsEachIndexInOneProcessUntilTheSwapResetsIt() throws Exception {
        String name = fresh("app");
        databaseSaying(name, "old");
        LocalDatabases dbs = databases(name);
        String serverDefault = pg.psql("postgres", "SHOW max_parallel_maintenance_workers");
        assertNotEquals("0", serverDefault, "the server's own default differs, or the test proves nothing");
        dbs.createTemporary(true);
        assertEquals("0", pg.psql(dbs.temporary(), "SHOW max_parallel_maintenance_workers"), "every new session on it");
        assertEquals("4", pg.psql(dbs.temporary(), "SET max_parallel_maintenance_workers = 4; SHOW max_parallel_maintenance_workers"),
                "a session's own setting (the user's PGOPTIONS) still wins");
        assertEquals(serverDefault, pg.psql(name, "SHOW max_parallel_maintenance_workers"), "the database you had is left alone");
        dbs.run("fill", dbs.temporary(), "CREATE TABLE which (says text)", "INSERT INTO which VALUES ('new')");

        dbs.swapIn(false);
        assertEquals("new", says(name));
        assertEquals(serverDefault, pg.psql(name, "SHOW max_parallel_maintenance_workers"), "the swapped-in copy keeps no setting of parity's");
        assertEquals("0", pg.psql("postgres", "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase"
                + " WHERE d.datname IN ('" + name + "', '" + dbs.previous() + "')"));
    }

    @Test
    void theTemporaryDatabasesSettingStaysWithItWhenTheSwapFailsAndIsNotCopiedIntoASnapshot() throws Exception {
        String name = fresh("app");
        databaseSaying(name, "old");
        LocalDatabases dbs = databases(name);
        String serverDefault = pg.psql("postgres", "SHOW max_parallel_maintenance_workers");
        dbs.createTemporary(true);
        dbs.run("fill", dbs.temporary(), "CREATE TABLE which (says text)", "INSERT INTO which VALUES ('new')");
        // a snapshot is a template copy of the temporary database (Snapshots): per-database settings are not copied
        String snapshot = fresh("snap");
        dbs.run("copy", dbs.maintenance(), "CREATE DATABASE " + LocalDatabases.identifier(snapshot) + " TEMPLATE "
                + LocalDatabases.identifier(dbs.temporary()) + " STRATEGY FILE_COPY");
        assertEquals(serverDefault, pg.psql(snapshot, "SHOW max_parallel_maintenance_workers"));

        session(name, "rails server 5151");
        assertThrows(StepFailed.class, () -> dbs.swapIn(false));
        assertEquals("0", pg.psql(dbs.temporary(), "SHOW max_parallel_maintenance_workers"), "the failed swap reset nothing");
        pg.psql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'rails server 5151'");
        assertEquals(serverDefault, pg.psql(name, "SHOW max_parallel_maintenance_workers"));

        dbs.createTemporary(false); // the next run: the left-over is replaced, its setting with it
        assertEquals(serverDefault, pg.psql(dbs.temporary(), "SHOW max_parallel_maintenance_workers"));
        dbs.dropIfExists(dbs.temporary());
        dbs.dropIfExists(snapshot);
    }

    @Test
    void createTemporaryReplacesOneLeftByAKilledRunAndLeavesTheCurrentAlone() throws Exception {
        String name = fresh("app");
        databaseSaying(name, "old");
        LocalDatabases dbs = databases(name);
        databaseSaying(dbs.temporary(), "left over");
        dbs.createTemporary(false);
        assertEquals("0", pg.psql(dbs.temporary(), "SELECT count(*) FROM pg_tables WHERE tablename = 'which'"), "a fresh, empty database");
        assertEquals("old", says(name));
        dbs.dropIfExists(dbs.temporary());
        assertFalse(pg.databaseExists(dbs.temporary()));
        dbs.dropIfExists(dbs.temporary()); // again: no error
    }

    @Test
    void anotherSessionStopsTheSwapAndIsNamed() throws Exception {
        String name = fresh("app");
        databaseSaying(name, "old");
        LocalDatabases dbs = databases(name);
        restoredInto(dbs, "new");
        Process console = session(name, "rails console 4242");

        assertEquals(1, dbs.connections(name).size(), dbs.connections(name).toString());
        assertTrue(dbs.connections(name).get(0).startsWith("rails console 4242 (pid "), dbs.connections(name).toString());
        StepFailed e = assertThrows(StepFailed.class, () -> dbs.swapIn(false));
        assertTrue(e.getMessage().contains("1 other connection to " + name + ": rails console 4242 (pid "), e.getMessage());
        assertTrue(e.getMessage().contains("--force") && e.getMessage().contains(name + " was not changed"), e.getMessage());
        assertEquals("old", says(name), "nothing was renamed");
        assertEquals("new", says(dbs.temporary()));
        assertTrue(console.isAlive(), "the session was left alone");

        StepFailed also = assertThrows(StepFailed.class, () -> dbs.requireNoOtherConnections(false));
        assertTrue(also.getMessage().contains("rails console 4242"), also.getMessage());
    }

    @Test
    void forceEndsTheOtherSessionsAndSwaps() throws Exception {
        String name = fresh("app");
        databaseSaying(name, "old");
        LocalDatabases dbs = databases(name);
        restoredInto(dbs, "new");
        Process server = session(name, "puma");
        Process elsewhere = session("postgres", "psql on another database");

        dbs.swapIn(true);
        assertEquals("new", says(name));
        assertEquals("old", says(dbs.previous()));
        assertTrue(server.waitFor(10, TimeUnit.SECONDS), "the session on " + name + " was ended");
        assertNotEquals(0, server.exitValue());
        assertTrue(elsewhere.isAlive(), "sessions on other databases are not touched");
    }

    @Test
    void undoSwapsBackAndForth() throws Exception {
        String name = fresh("app");
        databaseSaying(name, "old");
        LocalDatabases dbs = databases(name);
        restoredInto(dbs, "new");
        dbs.swapIn(false);

        dbs.undo(false);
        assertEquals("old", says(name));
        assertEquals("new", says(dbs.previous()));
        dbs.undo(false);
        assertEquals("new", says(name));
        assertEquals("old", says(dbs.previous()));
        assertFalse(pg.databaseExists(dbs.temporary()));
    }

    @Test
    void undoWithoutAPreviousCopyChangesNothing() throws Exception {
        String name = fresh("app");
        databaseSaying(name, "only");
        LocalDatabases dbs = databases(name);
        StepFailed e = assertThrows(StepFailed.class, () -> dbs.undo(false));
        assertTrue(e.getMessage().contains("no previous copy") && e.getMessage().contains("nothing was changed"), e.getMessage());
        assertEquals("only", says(name));
    }

    @Test
    void undoRespectsOtherSessionsUnlessForced() throws Exception {
        String name = fresh("app");
        databaseSaying(name, "old");
        LocalDatabases dbs = databases(name);
        restoredInto(dbs, "new");
        dbs.swapIn(false);
        Process console = session(name, "rails console");
        StepFailed e = assertThrows(StepFailed.class, () -> dbs.undo(false));
        assertTrue(e.getMessage().contains("rails console"), e.getMessage());
        assertEquals("new", says(name));
        dbs.undo(true);
        assertEquals("old", says(name));
        assertTrue(console.waitFor(10, TimeUnit.SECONDS));
    }

    @Test
    void undoWhenTheCurrentDatabaseIsGonePutsThePreviousBack() throws Exception {
        String name = fresh("app");
        LocalDatabases dbs = databases(name);
        databaseSaying(dbs.previous(), "kept");
        dbs.undo(false);
        assertEquals("kept", says(name));
        assertFalse(pg.databaseExists(dbs.previous()));
    }

    /** Names people really have: quotes, spaces, a backslash, an equals sign (which libpq reads as a connection string). */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"it's a \"db\"", "my app db", "back\\slash", "app=dev", "postgresql://localhost/x", "dots.and-dashes"})
    void oddNamesAreQuotedEverywhere(String base) throws Exception {
        String name = base + names.incrementAndGet();
        databaseSaying(name, "old");
        LocalDatabases dbs = databases(name);
        assertTrue(dbs.exists(name));
        restoredInto(dbs, "new");
        assertEquals(dbs.temporary(), dbs.run("ask", dbs.temporary(), "SELECT current_database()").strip());
        dbs.swapIn(false);
        assertEquals("new", says(name));
        assertEquals("old", says(dbs.previous()));
        assertEquals(name, dbs.run("ask", name, "SELECT current_database()").strip(), "statements run in that database");
        dbs.undo(false);
        assertEquals("old", says(name));
    }

    @Test
    void longNamesGetCompanionsThatFitPostgresLimit() throws Exception {
        String name = fresh("a".repeat(58)); // 59–60 characters: the suffixes do not fit
        LocalDatabases dbs = databases(name);
        assertEquals(63, dbs.temporary().length());
        assertEquals(63, dbs.previous().length());
        assertTrue(dbs.temporary().endsWith("_parity_restore") && dbs.previous().endsWith("_parity_previous"));
        assertNotEquals(dbs.temporary(), dbs.previous());
        databaseSaying(name, "old");
        restoredInto(dbs, "new");
        assertTrue(dbs.exists(dbs.temporary()), "the name it asked for is the name the server gave");
        dbs.swapIn(false);
        assertEquals("new", says(name));
        assertEquals("old", says(dbs.previous()));
    }

    /**
     * Two long names alike in their first 47 bytes (one project's database and another's): each
     * keeps companions of its own, or restoring one would drop the other's temporary database
     * (outside its lock) or replace the other's previous copy.
     */
    @Test
    void longNamesAlikeInTheirFirstBytesGetCompanionsOfTheirOwn() throws Exception {
        String common = fresh("d".repeat(45)) + "_";
        LocalDatabases one = databases(common + "one");
        LocalDatabases two = databases(common + "two");
        assertNotEquals(one.temporary(), two.temporary());
        assertNotEquals(one.previous(), two.previous());
        databaseSaying(one.current(), "one old");
        databaseSaying(two.current(), "two old");
        restoredInto(one, "one new");
        one.swapIn(false);
        restoredInto(two, "two new");
        two.swapIn(false);
        assertEquals("one old", says(one.previous()), "restoring the other database kept this one's previous copy");
        assertEquals("two old", says(two.previous()));
        one.undo(false);
        assertEquals("one old", says(one.current()), "and --undo puts back this database's own copy");
    }

    /** PostgreSQL's limit is 63 bytes, not characters: ü takes two. */
    @Test
    void longNonAsciiNamesGetCompanionsThatFitInBytes() throws Exception {
        String name = "ü".repeat(28) + names.incrementAndGet(); // 57–58 bytes, 29–30 characters
        LocalDatabases dbs = databases(name);
        databaseSaying(name, "old");
        restoredInto(dbs, "new");
        dbs.swapIn(false);
        assertEquals("new", says(name), "the restored database is the current one");
        assertEquals("old", says(dbs.previous()));
        assertTrue(dbs.temporary().getBytes(StandardCharsets.UTF_8).length <= 63, dbs.temporary());
        assertTrue(dbs.previous().getBytes(StandardCharsets.UTF_8).length <= 63, dbs.previous());
        assertNotEquals(dbs.temporary(), dbs.previous());
    }

    /** A name over 63 bytes: the server shortened it when the database was made, and so must parity. */
    @Test
    void aDatabaseNameOverTheLimitMeansTheDatabaseTheServerNamed() throws Exception {
        String name = fresh("b".repeat(70));
        databaseSaying(name, "old"); // the server created it as the first 63 bytes
        LocalDatabases dbs = databases(name);
        assertTrue(dbs.exists(dbs.current()), "found under the name the server gave it");
        restoredInto(dbs, "new");
        dbs.swapIn(false);
        assertEquals("new", says(name));
        assertEquals("old", says(dbs.previous()));
    }
}
