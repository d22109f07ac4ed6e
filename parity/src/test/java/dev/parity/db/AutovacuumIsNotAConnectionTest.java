package dev.parity.db;

import dev.parity.pgcluster.PostgresCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
 * An autovacuum worker on the development database is the server's own work, not a server or
 * console of the user's: with autovacuum on and a worker really busy on the database (made slow by
 * its cost settings), a restore neither counts it as another connection nor fails because of it.
 */
class AutovacuumIsNotAConnectionTest {
    @TempDir
    static Path tmp;
    static PostgresCluster pg;

    @BeforeAll
    static void start() {
        pg = PostgresCluster.start(tmp.resolve("clusters"));
        pg.psql("postgres", "ALTER SYSTEM SET autovacuum = on");
        pg.psql("postgres", "ALTER SYSTEM SET autovacuum_naptime = 1");
        pg.psql("postgres", "SELECT pg_reload_conf()");
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    @Test
    void aBusyAutovacuumWorkerIsNotAnotherConnection() throws Exception {
        pg.createDatabase("vacuumed");
        // dead rows to vacuum, and a vacuum that crawls: the worker stays on the database for a while
        pg.psql("vacuumed", "CREATE TABLE churn (id int, v text) WITH (autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0,"
                + " autovacuum_vacuum_cost_delay = 100, autovacuum_vacuum_cost_limit = 1)");
        pg.psql("vacuumed", "INSERT INTO churn SELECT g, repeat('x', 100) FROM generate_series(1, 200000) g");
        pg.psql("vacuumed", "DELETE FROM churn");
        String worker = "SELECT count(*) FROM pg_stat_activity WHERE datname = 'vacuumed' AND backend_type = 'autovacuum worker'";
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!pg.psql("postgres", worker).equals("1")) {
            if (System.nanoTime() > deadline) fail("no autovacuum worker came to the database");
            Thread.sleep(100);
        }
        Map<String, String> env = new HashMap<>(pg.libpqEnv());
        LocalDatabases dbs = new LocalDatabases(new DevDatabase("vacuumed", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "test"), new JdbcLocalSql(new DevDatabase("vacuumed", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), "test"), env));
        try {
            assertEquals(List.of(), dbs.connections("vacuumed"));
            dbs.requireNoOtherConnections(false);
            assertEquals("1", pg.psql("postgres", worker), "the worker was there all along");
        } finally {
            dbs.close();
        }
        assertTrue(pg.databaseExists("vacuumed"));
    }
}
