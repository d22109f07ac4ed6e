package dev.parity.scrub;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the scrub rules to a restored database before anyone can see it: first checks them
 * against its columns (a rule for a table or column that is not there, or a personal-looking
 * column no rule covers, stops before anything is changed), then runs one UPDATE per table in
 * one transaction and says how many rows each touched.
 */
public final class Scrubber {

    /** SQL on the database being scrubbed: rows answered one per line, columns separated by tabs. */
    public interface Sql {
        String run(String doing, String... statements) throws Exception;
    }

    /** The rules do not fit the restored schema: {@code lines} say what, one line each. */
    public static final class Mismatch extends Exception {
        private final boolean unknownNames;

        Mismatch(boolean unknownNames, String message) {
            super(message);
            this.unknownNames = unknownNames;
        }

        /** True: a rule names a table or column that is not there (a rules error); false: personal columns are uncovered. */
        public boolean unknownNames() {
            return unknownNames;
        }
    }

    /** What the scrub did to one table. */
    public record Touched(String table, long rows, String what) {
    }

    static final String COLUMNS_SQL = "SELECT n.nspname, c.relname, a.attname FROM pg_attribute a"
            + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
            + " AND n.nspname NOT LIKE 'pg\\_temp%' ORDER BY 1, 2, a.attnum";

    private final ScrubRules rules;
    private final PersonalColumns personal;

    public Scrubber(ScrubRules rules) {
        this.rules = rules;
        this.personal = new PersonalColumns(rules.personal());
    }

    /** Every column of every table, as schema.table → columns. */
    static Map<String, List<String>> columns(Sql sql) throws Exception {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (String line : sql.run("read the columns of the restored database", COLUMNS_SQL).split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length != 3) continue;
            tables.computeIfAbsent(f[0] + "." + f[1], k -> new ArrayList<>()).add(f[2]);
        }
        return tables;
    }

    /** schema.table for a rules key: unqualified names are in public. */
    private static String qualified(ScrubRules.Table t) {
        return t.schema() + "." + t.relation();
    }

    /** Personal-looking columns that no rule covers, as table → columns (public tables unqualified, as rules name them). */
    public Map<String, List<String>> uncovered(Map<String, List<String>> tables) {
        Map<String, ScrubRules.Table> byName = new LinkedHashMap<>();
        for (ScrubRules.Table t : rules.tables().values()) byName.put(qualified(t), t);
        Map<String, List<String>> out = new LinkedHashMap<>();
        tables.forEach((table, cols) -> {
            ScrubRules.Table t = byName.get(table);
            if (t != null && t.truncate()) return;
            for (String c : cols) {
                if (!personal.looksPersonal(c) || t != null && t.columns().containsKey(c)) continue;
                out.computeIfAbsent(table.startsWith("public.") ? table.substring("public.".length()) : table, k -> new ArrayList<>()).add(c);
            }
        });
        return out;
    }

    /** Rules naming tables or columns the database does not have, one line each. */
    List<String> unknownNames(Map<String, List<String>> tables) {
        List<String> lines = new ArrayList<>();
        for (ScrubRules.Table t : rules.tables().values()) {
            List<String> cols = tables.get(qualified(t));
            if (cols == null) {
                lines.add(".parity.yml: scrub." + t.name() + ": the restored database has no table " + qualified(t));
                continue;
            }
            for (String c : t.columns().keySet()) {
                if (!cols.contains(c)) lines.add(".parity.yml: scrub." + t.name() + "." + c + ": table " + qualified(t) + " has no column " + c);
            }
        }
        return lines;
    }

    /** The rules to paste for uncovered columns, as a {@code scrub:} section. */
    public static String suggestion(Map<String, List<String>> uncovered) {
        StringBuilder s = new StringBuilder("scrub:\n");
        uncovered.forEach((table, cols) -> {
            s.append("  ").append(table).append(":\n");
            for (String c : cols) s.append("    ").append(c).append(": ").append(PersonalColumns.suggestion(c).yaml()).append('\n');
        });
        return s.toString();
    }

    /** Checks the rules against the database, then scrubs it in one transaction. Nothing changes when this throws Mismatch. */
    public List<Touched> scrub(Sql sql) throws Exception {
        Map<String, List<String>> tables = columns(sql);
        List<String> unknown = unknownNames(tables);
        if (!unknown.isEmpty()) throw new Mismatch(true, String.join("\n", unknown));
        Map<String, List<String>> uncovered = uncovered(tables);
        if (!uncovered.isEmpty()) {
            long n = uncovered.values().stream().mapToLong(List::size).sum();
            throw new Mismatch(false, n + " personal-looking column" + (n == 1 ? "" : "s") + " ha" + (n == 1 ? "s" : "ve")
                    + " no scrub rule; add rules for them (keep is a rule too) to .parity.yml:\n" + suggestion(uncovered).stripTrailing());
        }
        String key = HexFormat.of().formatHex(randomBytes()); // never printed nor stored: it dies with this run
        List<String> statements = new ArrayList<>();
        List<ScrubRules.Table> order = new ArrayList<>();
        // no superuser needed (Heroku gives none): the foreign keys on scrubbed columns are dropped and re-created
        // after the updates with their own definitions, which checks them again; the tables' own triggers are
        // switched off meanwhile (an audit trigger would copy the original values elsewhere) and back on after
        statements.add("BEGIN");
        statements.addAll(ScrubSql.suspendConstraints(rules.tables().values()));
        for (ScrubRules.Table t : rules.tables().values()) {
            if (t.truncate()) {
                statements.add("SELECT count(*) FROM " + ScrubSql.relation(t));
                statements.add("TRUNCATE TABLE " + ScrubSql.relation(t));
                order.add(t);
                continue;
            }
            String update = ScrubSql.update(t, key);
            if (update == null) continue;
            statements.add(update);
            order.add(t);
        }
        statements.add(ScrubSql.RESTORE_CONSTRAINTS);
        statements.add("COMMIT");
        if (order.isEmpty()) return List.of();
        String[] counts = sql.run("scrub the restored database", statements.toArray(String[]::new)).split("\n");
        List<Touched> touched = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            ScrubRules.Table t = order.get(i);
            Set<String> changed = new LinkedHashSet<>();
            t.columns().forEach((c, r) -> {
                if (!(r instanceof ScrubRule.Keep)) changed.add(c);
            });
            touched.add(new Touched(t.name(), Long.parseLong(counts[i].strip()), t.truncate() ? "truncated" : String.join(", ", changed)));
        }
        return touched;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
