package dev.parity.schema;

import dev.parity.stale.MigrationRecords;
import dev.parity.stale.SchemaChange;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The newest schema change that can be known for an app: parity's own migrate record, and the
 * migration-history tables that keep times (Flyway, Liquibase, Django, Knex, Prisma, Ecto), read
 * read-only through the app's database. Rails' {@code schema_migrations} keeps no times.
 *
 * <p>One query ({@link #newestQuery()}): the history tables present in the search path are found
 * in the catalog, and each one's newest time is read by a query the server builds for it
 * ({@code query_to_xml}), so a missing table is never an error and a database far away costs one
 * round trip. Rails' applied versions take more queries, only where they are wanted.
 */
public final class SchemaChanges {

    /** A migration-history table whose {@code column} records when each migration ran. */
    public record History(String table, String column, String label, boolean naiveUtc) {}

    public static final List<History> HISTORIES = List.of(
            new History("flyway_schema_history", "installed_on", "Flyway installed_on", false),
            new History("databasechangelog", "dateexecuted", "Liquibase dateexecuted", false),
            new History("django_migrations", "applied", "Django applied", false),
            new History("knex_migrations", "migration_time", "Knex migration_time", false),
            new History("_prisma_migrations", "finished_at", "Prisma finished_at", false),
            // Ecto writes naive timestamps in UTC; the others use the server's now() (UTC on Heroku)
            new History("schema_migrations", "inserted_at", "Ecto inserted_at", true));

    /** A history table found in the database, with its column's SQL type. */
    public record Present(History history, String dataType) {}

    private SchemaChanges() {}

    /** The history tables present, as {@code table|column|data_type} rows, Rails' {@code schema_migrations.version} among them (doctor's pending migrations, rollback's history since a release). */
    public static String presenceQuery() {
        StringBuilder pairs = new StringBuilder();
        for (History h : HISTORIES) {
            if (pairs.length() > 0) pairs.append(", ");
            pairs.append("('").append(h.table()).append("', '").append(h.column()).append("')");
        }
        pairs.append(", ('").append(PendingMigrations.TABLE).append("', 'version')");
        return "SELECT c.table_name || '|' || c.column_name || '|' || c.data_type FROM information_schema.columns c"
                + " WHERE c.table_schema = ANY (current_schemas(false)) AND (c.table_name, c.column_name) IN (VALUES "
                + pairs + ") ORDER BY 1";
    }

    /** The history tables among {@code rows} of {@link #presenceQuery()} (first schema in the path wins). */
    public static List<Present> present(List<String> rows) {
        List<Present> found = new ArrayList<>();
        for (String row : rows) {
            String[] p = row.split("\\|", 3);
            if (p.length < 3) continue;
            for (History h : HISTORIES) {
                if (h.table().equals(p[0]) && h.column().equals(p[1]) && p[2].toLowerCase(Locale.ROOT).startsWith("timestamp")
                        && found.stream().noneMatch(f -> f.history().equals(h))) {
                    found.add(new Present(h, p[2].toLowerCase(Locale.ROOT)));
                }
            }
        }
        return found;
    }

    /** Whether Rails' {@code schema_migrations(version)} is among {@code rows} of {@link #presenceQuery()}. */
    public static boolean hasRailsVersions(List<String> rows) {
        return rows.stream().anyMatch(r -> r.startsWith(PendingMigrations.TABLE + "|version|"));
    }

    /**
     * In one statement: one {@code label|ISO-8601 instant} row per history table present in the search
     * path (an empty time for an empty table), each table's newest time read by a query built from the
     * catalog's names ({@code format} with {@code %I}) and run by the server ({@code query_to_xml}).
     */
    public static String newestQuery() {
        StringBuilder kinds = new StringBuilder();
        for (History h : HISTORIES) {
            if (kinds.length() > 0) kinds.append(", ");
            kinds.append("('").append(h.table()).append("', '").append(h.column()).append("', '").append(h.label()).append("', ")
                    .append(h.naiveUtc()).append(')');
        }
        String instant = "CASE WHEN c.data_type LIKE '%with time zone' THEN format('max(%I)', c.column_name)"
                + " WHEN h.naive_utc THEN format('max(%I) AT TIME ZONE ''UTC''', c.column_name)"
                + " ELSE format('max(%I)::timestamptz', c.column_name) END";
        String perTable = "format('SELECT to_char((%s) AT TIME ZONE ''UTC'', ''YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'') AS t FROM %I.%I', "
                + instant + ", c.table_schema, c.table_name)";
        return "SELECT h.label || '|' || coalesce((xpath('/row/t/text()', query_to_xml(" + perTable + ", false, true, '')))[1]::text, '')"
                + " FROM information_schema.columns c JOIN (VALUES " + kinds + ") AS h(table_name, column_name, label, naive_utc)"
                + " ON c.table_name = h.table_name AND c.column_name = h.column_name"
                + " WHERE c.table_schema = ANY (current_schemas(false)) AND c.data_type LIKE 'timestamp%' ORDER BY 1";
    }

    /** The newest change among {@code rows} of {@link #newestQuery()}. */
    public static Optional<SchemaChange> parseNewest(List<String> rows) {
        Optional<SchemaChange> newest = Optional.empty();
        for (String row : rows) {
            int bar = row.lastIndexOf('|');
            if (bar < 0 || bar == row.length() - 1) continue;
            try {
                SchemaChange c = new SchemaChange(Instant.parse(row.substring(bar + 1)), row.substring(0, bar));
                newest = newer(newest, Optional.of(c));
            } catch (DateTimeParseException ignored) {
                // not a time: skip the row
            }
        }
        return newest;
    }

    /** The later of two changes (either may be unknown). */
    public static Optional<SchemaChange> newer(Optional<SchemaChange> a, Optional<SchemaChange> b) {
        return Stream.of(a, b).flatMap(Optional::stream).max(Comparator.comparing(SchemaChange::at));
    }

    /** The newest change known from parity's record and the database's history tables. */
    public static Optional<SchemaChange> newest(MigrationRecords records, String app, Optional<SchemaChange> fromDatabase) {
        return newer(records.latest(app), fromDatabase);
    }

    /** What the database says: newest history time, Rails' applied versions, and whether it was read at all. */
    public record DatabaseView(Optional<SchemaChange> newest, Optional<java.util.Set<String>> railsVersions) {}

    /**
     * Reads the history tables (and Rails' versions when {@code wantRails}) through {@code psql}: one
     * query without Rails; with it, which tables there are first, so a Rails app (no table that keeps
     * times) still costs two.
     */
    public static DatabaseView read(ReadOnlyPsql psql, boolean wantRails) throws InterruptedException, ReadOnlyPsql.QueryFailed {
        if (!wantRails) return new DatabaseView(parseNewest(psql.rows(newestQuery())), Optional.empty());
        List<String> rows = psql.rows(presenceQuery());
        Optional<SchemaChange> newest = present(rows).isEmpty() ? Optional.empty() : parseNewest(psql.rows(newestQuery()));
        return new DatabaseView(newest, Optional.of(hasRailsVersions(rows)
                ? new java.util.TreeSet<>(psql.rows(PendingMigrations.QUERY)) : new java.util.TreeSet<>()));
    }
}
