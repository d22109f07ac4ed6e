package dev.parity.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.process.Command;
import dev.parity.stale.MigrationRecords;
import dev.parity.stale.SchemaChange;
import dev.parity.support.RecordingRunner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaChangesTest {
    @TempDir
    Path tmp;

    @Test
    void presenceQueryAsksForEveryHistoryTableAndRailsVersions() {
        String q = SchemaChanges.presenceQuery();
        for (String s : List.of("('flyway_schema_history', 'installed_on')", "('databasechangelog', 'dateexecuted')",
                "('django_migrations', 'applied')", "('knex_migrations', 'migration_time')", "('_prisma_migrations', 'finished_at')",
                "('schema_migrations', 'inserted_at')", "('schema_migrations', 'version')")) {
            assertTrue(q.contains(s), s);
        }
    }

    @Test
    void presentKeepsTimeColumnsOnlyAndTheFirstSchemaOfEach() {
        List<SchemaChanges.Present> p = SchemaChanges.present(List.of(
                "flyway_schema_history|installed_on|timestamp without time zone",
                "flyway_schema_history|installed_on|timestamp without time zone",
                "knex_migrations|migration_time|text",
                "schema_migrations|version|character varying",
                "_prisma_migrations|finished_at|timestamp with time zone",
                "garbage"));
        assertEquals(2, p.size());
        assertEquals("Flyway installed_on", p.get(0).history().label());
        assertEquals("Prisma finished_at", p.get(1).history().label());
    }

    @Test
    void newestQueryKnowsEveryHistoryTableAndConvertsEachKindOfColumnToUtc() {
        String q = SchemaChanges.newestQuery();
        for (SchemaChanges.History h : SchemaChanges.HISTORIES) {
            assertTrue(q.contains("('" + h.table() + "', '" + h.column() + "', '" + h.label() + "', " + h.naiveUtc() + ")"), h.label());
        }
        assertTrue(q.contains("format('max(%I) AT TIME ZONE ''UTC''', c.column_name)"), q);
        assertTrue(q.contains("format('max(%I)::timestamptz', c.column_name)"), q);
        assertTrue(q.contains("c.table_schema = ANY (current_schemas(false))"), q);
    }

    @Test
    void parseNewestPicksTheLatestAndSkipsEmptyTables() {
        Optional<SchemaChange> c = SchemaChanges.parseNewest(List.of(
                "Flyway installed_on|2026-01-01T10:00:00.000000Z", "Knex migration_time|", "Django applied|2026-02-01T10:00:00.5Z",
                "Prisma finished_at|not a time"));
        assertEquals(new SchemaChange(Instant.parse("2026-02-01T10:00:00.5Z"), "Django applied"), c.orElseThrow());
        assertTrue(SchemaChanges.parseNewest(List.of("Knex migration_time|")).isEmpty());
    }

    @Test
    void newestTakesParitysRecordWhenItIsLater() throws Exception {
        MigrationRecords records = new MigrationRecords(tmp);
        records.record("app", Instant.parse("2026-03-01T00:00:00Z"), 7);
        Optional<SchemaChange> db = Optional.of(new SchemaChange(Instant.parse("2026-02-01T00:00:00Z"), "Django applied"));
        assertEquals("parity migrate record", SchemaChanges.newest(records, "app", db).orElseThrow().source());
        assertEquals("Django applied", SchemaChanges.newest(records, "other", db).orElseThrow().source());
        assertTrue(SchemaChanges.newest(records, "other", Optional.empty()).isEmpty());
    }

    @Test
    void psqlGetsTheConnectionInTheEnvironmentWithThePasswordSecret() {
        RecordingRunner runner = new RecordingRunner();
        ReadOnlyPsql psql = ReadOnlyPsql.of(runner, "postgres://u:hunter2@db.example.com:5433/d1").orElseThrow();
        Command c = psql.command("SELECT 1");
        assertEquals(List.of("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-1",
                "-c", "SET TRANSACTION READ ONLY", "-c", "SET LOCAL statement_timeout = '10s'", "-c", "SELECT 1"), c.argv());
        assertEquals("db.example.com", c.env().get("PGHOST"));
        assertEquals("5433", c.env().get("PGPORT"));
        assertEquals("u", c.env().get("PGUSER"));
        assertEquals("d1", c.env().get("PGDATABASE"));
        assertEquals("hunter2", c.env().get("PGPASSWORD"));
        assertTrue(c.secretEnv().contains("PGPASSWORD"));
        assertFalse(c.display().contains("hunter2"), c.display());
        assertTrue(c.capture());
    }

    @Test
    void aQuietPsqlShowsNoErrorsAndGivesUpConnectingSooner() {
        ReadOnlyPsql psql = ReadOnlyPsql.of(new RecordingRunner(), "postgres://u:hunter2@db.example.com:5433/d1").orElseThrow();
        assertEquals(null, psql.command("SELECT 1").errorFile(), "doctor shows psql's errors");
        assertEquals("10", psql.command("SELECT 1").env().get("PGCONNECT_TIMEOUT"));
        Command quiet = psql.quiet(3).command("SELECT 1");
        assertEquals(java.nio.file.Path.of("/dev/null"), quiet.errorFile(), "ps does not");
        assertEquals("3", quiet.env().get("PGCONNECT_TIMEOUT"));
        assertEquals(psql.command("SELECT 1").argv(), quiet.argv());
        assertEquals("hunter2", quiet.env().get("PGPASSWORD"));
        assertTrue(quiet.secretEnv().contains("PGPASSWORD"));
    }

    @Test
    void notPostgresIsEmpty() {
        assertTrue(ReadOnlyPsql.of(new RecordingRunner(), "mysql2://u:p@h/db").isEmpty());
        assertTrue(ReadOnlyPsql.of(new RecordingRunner(), null).isEmpty());
    }

    @Test
    void theNewestTimeIsOneQueryAndRailsVersionsAreAskedForOnlyWhenWanted() throws Exception {
        RecordingRunner runner = new RecordingRunner()
                .answer(c -> c.argv().contains(SchemaChanges.newestQuery()), 0, "Knex migration_time|2026-01-01T00:00:00.000000Z\n")
                .answer(c -> c.argv().contains(SchemaChanges.presenceQuery()), 0, "schema_migrations|version|character varying\n")
                .answer(c -> c.argv().contains(PendingMigrations.QUERY), 0, "20250101000000\n20260101000000\n");
        ReadOnlyPsql psql = ReadOnlyPsql.of(runner, "postgres://u@h/d").orElseThrow();
        SchemaChanges.DatabaseView v = SchemaChanges.read(psql, false);
        assertEquals("Knex migration_time", v.newest().orElseThrow().source());
        assertTrue(v.railsVersions().isEmpty());
        assertEquals(1, runner.commands().size(), "one psql, one round trip");
        // a Rails app: which tables there are first; no table there keeps times, so no newest-time query
        SchemaChanges.DatabaseView rails = SchemaChanges.read(psql, true);
        assertEquals(Set.of("20250101000000", "20260101000000"), rails.railsVersions().orElseThrow());
        assertTrue(rails.newest().isEmpty());
        assertEquals(3, runner.commands().size());
    }

    @Test
    void readWithoutSchemaMigrationsMeansNothingApplied() throws Exception {
        RecordingRunner runner = new RecordingRunner()
                .answer(c -> c.argv().contains(SchemaChanges.presenceQuery()), 0, "knex_migrations|migration_time|timestamp with time zone\n");
        SchemaChanges.DatabaseView v = SchemaChanges.read(ReadOnlyPsql.of(runner, "postgres://u@h/d").orElseThrow(), true);
        assertTrue(v.newest().isEmpty()); // the newest-time query was asked (a Knex table is there) and answered nothing
        assertEquals(Set.of(), v.railsVersions().orElseThrow());
        assertEquals(List.of(SchemaChanges.presenceQuery(), SchemaChanges.newestQuery()),
                runner.commands().stream().map(c -> c.argv().get(c.argv().size() - 1)).toList(),
                "no versions asked of a database without schema_migrations.version");
    }

    @Test
    void failedPsqlIsQueryFailed() {
        RecordingRunner runner = new RecordingRunner().fail(c -> true, 2);
        ReadOnlyPsql psql = ReadOnlyPsql.of(runner, "postgres://u@h/d").orElseThrow();
        ReadOnlyPsql.QueryFailed e = assertThrows(ReadOnlyPsql.QueryFailed.class, () -> SchemaChanges.read(psql, false));
        assertEquals("psql exited with 2", e.getMessage());
    }
}
