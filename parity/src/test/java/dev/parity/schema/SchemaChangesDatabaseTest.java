package dev.parity.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.pgcluster.PostgresCluster;
import dev.parity.process.SystemProcessRunner;
import dev.parity.stale.SchemaChange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SchemaChanges#newestQuery()} on a real server, through the real read-only psql: each kind
 * of history table and column type read in UTC, empty and missing tables, quoted names, and tables
 * outside the search path or with a column that keeps no time left out.
 */
class SchemaChangesDatabaseTest {
    @TempDir
    static Path tmp;
    static PostgresCluster pg;
    static final AtomicInteger N = new AtomicInteger();

    @BeforeAll
    static void start() {
        pg = PostgresCluster.start(tmp.resolve("clusters"));
        // a server whose own time zone is not UTC: naive columns written with its local time must still read right
        pg.psql("postgres", "ALTER SYSTEM SET timezone = 'America/New_York'");
        pg.psql("postgres", "SELECT pg_reload_conf()");
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    /** A new database with {@code sql} run in it. */
    static String database(String sql) {
        String db = "history_" + N.incrementAndGet();
        pg.createDatabase(db);
        if (!sql.isEmpty()) pg.psql(db, sql);
        return db;
    }

    static SchemaChanges.DatabaseView read(String db) throws Exception {
        Map<String, String> env = Map.of("PATH", pg.binDir() + ":" + System.getenv("PATH"));
        ReadOnlyPsql psql = ReadOnlyPsql.of(new SystemProcessRunner(env, tmp), pg.databaseUrl(db)).orElseThrow();
        return SchemaChanges.read(psql, false);
    }

    static void assertAboutAnHourAhead(SchemaChange c) {
        Duration ahead = Duration.between(Instant.now(), c.at());
        assertTrue(ahead.compareTo(Duration.ofMinutes(55)) > 0 && ahead.compareTo(Duration.ofMinutes(65)) < 0, c + " is " + ahead + " ahead");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Flyway installed_on|CREATE TABLE flyway_schema_history (installed_rank int, installed_on timestamp NOT NULL); INSERT INTO flyway_schema_history VALUES (1, localtimestamp + interval '1 hour')",
            "Liquibase dateexecuted|CREATE TABLE databasechangelog (id varchar(255), dateexecuted timestamp NOT NULL); INSERT INTO databasechangelog VALUES ('1', localtimestamp + interval '1 hour')",
            "Django applied|CREATE TABLE django_migrations (id serial, applied timestamptz NOT NULL); INSERT INTO django_migrations (applied) VALUES (now() + interval '1 hour')",
            "Knex migration_time|CREATE TABLE knex_migrations (id serial, migration_time timestamptz); INSERT INTO knex_migrations (migration_time) VALUES (now() + interval '1 hour')",
            "Prisma finished_at|CREATE TABLE _prisma_migrations (id varchar(36), finished_at timestamptz); INSERT INTO _prisma_migrations VALUES ('x', now() + interval '1 hour')",
            "Ecto inserted_at|CREATE TABLE schema_migrations (version bigint PRIMARY KEY, inserted_at timestamp(0)); INSERT INTO schema_migrations VALUES (1, (now() AT TIME ZONE 'UTC') + interval '1 hour')"})
    void eachKindIsReadInUtc(String label, String sql) throws Exception {
        SchemaChange c = read(database(sql)).newest().orElseThrow();
        assertEquals(label, c.source());
        assertAboutAnHourAhead(c);
    }

    @Test
    void theNewestOfSeveralWinsAndAnEmptyTableIsNoTime() throws Exception {
        String db = database("CREATE TABLE knex_migrations (id serial, migration_time timestamptz);"
                + "INSERT INTO knex_migrations (migration_time) VALUES (now() - interval '1 day'), (now() + interval '1 hour');"
                + "CREATE TABLE django_migrations (id serial, applied timestamptz NOT NULL);"
                + "INSERT INTO django_migrations (applied) VALUES (now() - interval '2 days');"
                + "CREATE TABLE _prisma_migrations (id varchar(36), finished_at timestamptz)");
        SchemaChange c = read(db).newest().orElseThrow();
        assertEquals("Knex migration_time", c.source());
        assertAboutAnHourAhead(c);
        Map<String, String> env = Map.of("PATH", pg.binDir() + ":" + System.getenv("PATH"));
        List<String> rows = ReadOnlyPsql.of(new SystemProcessRunner(env, tmp), pg.databaseUrl(db)).orElseThrow().rows(SchemaChanges.newestQuery());
        assertEquals(3, rows.size(), rows.toString());
        assertTrue(rows.contains("Prisma finished_at|"), rows.toString());
    }

    @Test
    void noHistoryTableIsNoChangeAndNoError() throws Exception {
        assertEquals(Optional.empty(), read(database("CREATE TABLE users (id serial, created_at timestamptz)")).newest());
        assertEquals(Optional.empty(), read(database("")).newest());
    }

    @Test
    void aQuotedSchemaInTheSearchPathIsRead() throws Exception {
        String db = database("CREATE SCHEMA \"Odd \"\"Schema\"\"\";"
                + "CREATE TABLE \"Odd \"\"Schema\"\"\".knex_migrations (id serial, migration_time timestamptz);"
                + "INSERT INTO \"Odd \"\"Schema\"\"\".knex_migrations (migration_time) VALUES (now() + interval '1 hour')");
        pg.psql(db, "ALTER DATABASE " + db + " SET search_path = \"Odd \"\"Schema\"\"\", public");
        SchemaChange c = read(db).newest().orElseThrow();
        assertEquals("Knex migration_time", c.source());
        assertAboutAnHourAhead(c);
    }

    @Test
    void tablesOutsideTheSearchPathAndColumnsThatKeepNoTimeAreLeftOut() throws Exception {
        String db = database("CREATE SCHEMA archive;"
                + "CREATE TABLE archive.knex_migrations (id serial, migration_time timestamptz);"
                + "INSERT INTO archive.knex_migrations (migration_time) VALUES (now() + interval '1 hour');"
                + "CREATE TABLE django_migrations (id serial, applied text);"
                + "INSERT INTO django_migrations (applied) VALUES ('yesterday')");
        assertEquals(Optional.empty(), read(db).newest());
    }

    @Test
    void everyReadIsOneReadOnlyBoundedTransactionWhoseSettingsEndWithIt() throws Exception {
        String db = database("CREATE TABLE knex_migrations (id serial, migration_time timestamptz)");
        Map<String, String> env = Map.of("PATH", pg.binDir() + ":" + System.getenv("PATH"));
        ReadOnlyPsql psql = ReadOnlyPsql.of(new SystemProcessRunner(env, tmp), pg.databaseUrl(db)).orElseThrow();
        assertEquals(List.of("on|10s"), psql.rows("SELECT current_setting('transaction_read_only') || '|' || current_setting('statement_timeout')"));
        // a query that would write is refused, and wrote nothing
        assertThrows(ReadOnlyPsql.QueryFailed.class, () -> psql.rows("INSERT INTO knex_migrations (migration_time) VALUES (now()) RETURNING id"));
        assertEquals("0", pg.psql(db, "SELECT count(*) FROM knex_migrations"));
        // transaction-local: the statements after the query, on the same server connection, see the defaults again
        // (what the app's next transaction would see behind a transaction-mode pooler)
        assertEquals(List.of("on|10s", "off|0"), psql.rows("SELECT current_setting('transaction_read_only') || '|' || current_setting('statement_timeout');"
                + " COMMIT; SELECT current_setting('transaction_read_only') || '|' || current_setting('statement_timeout')"));
    }
}
