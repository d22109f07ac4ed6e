package dev.parity.deploys;

import dev.parity.schema.ReadOnlyPsql;
import dev.parity.schema.SchemaChanges;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The migrations the framework's history tables say ran after a moment (a release's creation):
 * one read-only query over the tables {@link SchemaChanges#presenceQuery()} found, each naming its
 * migrations the way the framework does (Django {@code app.name}, Flyway's script, …).
 */
public final class HistorySince {
    /** How each history table names a migration. */
    static final Map<String, String> NAMES = Map.of(
            "flyway_schema_history", "coalesce(\"script\", \"version\", '')",
            "databasechangelog", "coalesce(\"filename\", '') || '::' || coalesce(\"id\", '')",
            "django_migrations", "\"app\" || '.' || \"name\"",
            "knex_migrations", "\"name\"",
            "_prisma_migrations", "\"migration_name\"",
            "schema_migrations", "\"version\"::text");

    /** A migration from a history table: where it is recorded ("Django applied") and its name. */
    public record Entry(String source, String name) {}

    private HistorySince() {}

    /** One {@code label|name} row per migration recorded after {@code since}, oldest first. */
    public static String query(List<SchemaChanges.Present> present, Instant since) {
        List<String> parts = new ArrayList<>();
        // Instant.toString is digits, dashes, colons, a dot, T and Z: safe inside a literal
        String literal = "timestamptz '" + since + "'";
        for (SchemaChanges.Present p : present) {
            SchemaChanges.History h = p.history();
            String col = "\"" + h.column() + "\"";
            String instant = p.dataType().contains("with time zone") ? col
                    : h.naiveUtc() ? "(" + col + " AT TIME ZONE 'UTC')" : col + "::timestamptz";
            parts.add("SELECT " + instant + " AS t, '" + h.label() + "|' || " + NAMES.get(h.table()) + " AS row FROM \""
                    + h.table() + "\" WHERE " + instant + " > " + literal);
        }
        return "SELECT row FROM (" + String.join(" UNION ALL ", parts) + ") AS since ORDER BY t, row";
    }

    public static List<Entry> parse(List<String> rows) {
        List<Entry> out = new ArrayList<>();
        for (String row : rows) {
            int bar = row.indexOf('|');
            if (bar > 0) out.add(new Entry(row.substring(0, bar), row.substring(bar + 1)));
        }
        return out;
    }

    /** Reads the history tables through {@code psql}; an empty {@code present} list means no table keeps times. */
    public static Result read(ReadOnlyPsql psql, Instant since) throws InterruptedException, ReadOnlyPsql.QueryFailed {
        List<SchemaChanges.Present> present = SchemaChanges.present(psql.rows(SchemaChanges.presenceQuery()));
        if (present.isEmpty()) return new Result(List.of(), List.of());
        return new Result(present, parse(psql.rows(query(present, since))));
    }

    /** The history tables that keep times, and what they recorded after the moment. */
    public record Result(List<SchemaChanges.Present> tables, List<Entry> since) {}
}
