package dev.parity.db;

import dev.parity.pgcluster.PostgresCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.steps.StepFailed;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * parity's own connections on a real server: over TCP and over the Unix-domain socket (where libpq
 * connects by default), rows as psql prints them, a transaction that commits whole or not at all,
 * and the restore lock, which a second session cannot take and which ends with its connection.
 */
class JdbcLocalSqlTest {
    @TempDir
    static Path tmp;
    static PostgresCluster pg;

    @BeforeAll
    static void start() {
        pg = PostgresCluster.start(tmp.resolve("clusters"));
        pg.createDatabase("jdbc_test");
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    static DevDatabase db(Optional<String> host) {
        return new DevDatabase("jdbc_test", host, Optional.of(Integer.toString(pg.port())), Optional.of("postgres"), Optional.empty(), "test");
    }

    static JdbcLocalSql tcp() {
        return new JdbcLocalSql(db(Optional.empty()), pg.libpqEnv());
    }

    @Test
    void rowsComeBackAsPsqlPrintsThem() throws Exception {
        try (JdbcLocalSql sql = tcp()) {
            assertEquals("1\ta\n2\t\n", sql.run("read", "jdbc_test", "SELECT 1, 'a' UNION ALL SELECT 2, NULL ORDER BY 1"));
            assertEquals("x\n", sql.run("read twice", "jdbc_test", "CREATE TEMP TABLE t (v text)", "INSERT INTO t VALUES ('x')", "SELECT v FROM t"));
        }
    }

    @Test
    void theUnixSocketIsReachedLikeLibpqDoes() throws Exception {
        // a host that is a directory means the socket in it; PGHOST does the same when the project names none
        try (JdbcLocalSql sql = new JdbcLocalSql(db(Optional.of(pg.socketDir().toString())), Map.of())) {
            assertEquals("t\n", sql.run("ask", "jdbc_test", "SELECT client_addr IS NULL FROM pg_stat_activity WHERE pid = pg_backend_pid()"));
            assertTrue(sql.where().startsWith("the socket in " + pg.socketDir()), sql.where());
        }
        Map<String, String> env = new HashMap<>(pg.libpqEnv());
        env.put("PGHOST", pg.socketDir().toString());
        try (JdbcLocalSql sql = new JdbcLocalSql(db(Optional.empty()), env)) {
            assertEquals("t\n", sql.run("ask", "jdbc_test", "SELECT client_addr IS NULL FROM pg_stat_activity WHERE pid = pg_backend_pid()"));
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsOneLineNamingWhere() {
        DevDatabase nowhere = new DevDatabase("jdbc_test", Optional.of(tmp.resolve("no-socket-here").toString()), Optional.of("5999"),
                Optional.empty(), Optional.of("s3cr3t-password"), "test");
        try (JdbcLocalSql sql = new JdbcLocalSql(nowhere, Map.of())) {
            StepFailed f = assertThrows(StepFailed.class, () -> sql.run("read", "jdbc_test", "SELECT 1"));
            assertTrue(f.getMessage().startsWith("cannot connect to the local PostgreSQL server at the socket in " + tmp.resolve("no-socket-here")),
                    f.getMessage());
            assertFalse(f.getMessage().contains("s3cr3t-password"), f.getMessage());
            assertFalse(f.getMessage().contains("\n"), f.getMessage());
        }
    }

    @Test
    void aTransactionThatFailsChangesNothing() throws Exception {
        pg.createDatabase("tx_a");
        try (JdbcLocalSql sql = tcp()) {
            StepFailed f = assertThrows(StepFailed.class, () -> sql.transaction("rename", "postgres",
                    List.of("ALTER DATABASE tx_a RENAME TO tx_b", "ALTER DATABASE no_such_database RENAME TO tx_c"), () -> { }));
            assertTrue(f.getMessage().contains("does not exist") && f.getMessage().contains("rolled back: nothing changed"), f.getMessage());
            assertTrue(pg.databaseExists("tx_a"));
            assertFalse(pg.databaseExists("tx_b"));
        }
    }

    @Test
    void nothingCommitsWhenTheConnectionEndsBeforeCommit() throws Exception {
        pg.createDatabase("tx_d");
        JdbcLocalSql sql = tcp();
        // the connection ends inside the transaction, as when parity is killed there: the server rolls back
        assertThrows(StepFailed.class, () -> sql.transaction("rename", "postgres", List.of("ALTER DATABASE tx_d RENAME TO tx_e"), sql::close));
        assertTrue(pg.databaseExists("tx_d"));
        assertFalse(pg.databaseExists("tx_e"));
    }

    @Test
    void theLockIsOneHoldersAndEndsWithItsConnection() throws Exception {
        try (JdbcLocalSql first = tcp(); JdbcLocalSql second = tcp()) {
            assertEquals(Optional.empty(), first.tryLock("postgres", "restore myapp"));
            Optional<String> holder = second.tryLock("postgres", "restore myapp");
            assertTrue(holder.isPresent() && holder.get().startsWith("parity (pid " + ProcessHandle.current().pid() + ") (server pid "),
                    holder.toString());
            assertEquals(Optional.empty(), second.tryLock("postgres", "restore otherapp"), "another database's lock is another lock");
            first.close();
            // the server lets go once the first session's backend has ended, a moment after the connection closed
            Optional<String> after = second.tryLock("postgres", "restore myapp");
            for (int i = 0; i < 250 && after.isPresent(); i++) {
                Thread.sleep(20);
                after = second.tryLock("postgres", "restore myapp");
            }
            assertEquals(Optional.empty(), after, "free once its holder is gone");
        }
    }
}
