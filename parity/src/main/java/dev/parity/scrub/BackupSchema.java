package dev.parity.scrub;

import dev.parity.db.DumpToc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tables and columns a backup would restore, read from its table of contents alone (no data):
 * the same tables a restore's scrub checks in the restored database, that is ordinary and
 * partitioned tables but not partitions (the parent's UPDATE reaches their rows), and an
 * inheriting table with its parents' columns as well as its own.
 */
public final class BackupSchema {
    private BackupSchema() {
    }

    /** schema.table → its columns, tables by name (as the restore's own check lists them), columns in their order. */
    public static Map<String, List<TableDefinition.Column>> of(DumpToc toc) {
        Map<String, TableDefinition> defined = new LinkedHashMap<>();
        Set<String> attached = new HashSet<>();
        for (DumpToc.Entry e : toc.entries()) {
            if (e.desc().equals("TABLE")) defined.put(e.namespace() + "." + e.tag(), TableDefinition.parse(e.definition()));
            if (e.desc().equals("TABLE ATTACH")) attached.add(e.namespace() + "." + e.tag()); // pg_dump 14+: a partition's attach is its own entry
        }
        Map<String, List<TableDefinition.Column>> tables = new java.util.TreeMap<>();
        defined.forEach((name, def) -> {
            if (def.partition() || attached.contains(name)) return;
            tables.put(name, columns(name, defined, new HashSet<>()));
        });
        return tables;
    }

    /** Just the column names: what {@link Scrubber} and {@link Coverage} compare rules with. */
    public static Map<String, List<String>> names(Map<String, List<TableDefinition.Column>> tables) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        tables.forEach((t, cols) -> out.put(t, cols.stream().map(TableDefinition.Column::name).toList()));
        return out;
    }

    /** Inherited columns first, as PostgreSQL orders them; a column both inherited and local is listed once. */
    private static List<TableDefinition.Column> columns(String name, Map<String, TableDefinition> defined, Set<String> seen) {
        TableDefinition def = defined.get(name);
        if (def == null || !seen.add(name)) return List.of();
        List<TableDefinition.Column> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String parent : def.inherits()) {
            for (TableDefinition.Column c : columns(parent, defined, seen)) {
                if (names.add(c.name())) out.add(c);
            }
        }
        for (TableDefinition.Column c : def.columns()) {
            if (names.add(c.name())) out.add(c);
        }
        return out;
    }
}
