package dev.parity.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A subset of a dump: its {@code pg_restore --list} listing with the entries left out commented
 * out, for {@code pg_restore --use-list}. A left-out table takes with it everything that needs it
 * (its data, indexes, constraints, defaults, triggers, comments, views over it), found through
 * pg_dump's own dependency list in the archive. Functions, types, extensions and schemas stay.
 * A foreign key that would point at rows that are not restored (into a left-out table, or into a
 * table whose data is left out while its own table's data is kept) is left out too, and named.
 */
public final class TocFilter {
    private static final Pattern ENTRY_LINE = Pattern.compile("^\\s*(\\d+);.*$");

    /** What to keep: {@code only} (empty: every table), minus {@code exclude}; {@code excludeData}: schema kept, rows not. */
    public record Subset(List<String> only, List<String> exclude, List<String> excludeData) {
        public static final Subset ALL = new Subset(List.of(), List.of(), List.of());

        public boolean isEmpty() {
            return only.isEmpty() && exclude.isEmpty() && excludeData.isEmpty();
        }

        /** "only users, orders; no rows of events" */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!only.isEmpty()) parts.add("only " + String.join(", ", only));
            if (!exclude.isEmpty()) parts.add("without " + String.join(", ", exclude));
            if (!excludeData.isEmpty()) parts.add("no rows of " + String.join(", ", excludeData));
            return parts.isEmpty() ? "every table" : String.join("; ", parts);
        }
    }

    /** The listing to restore, and the foreign keys left out ("public.orders orders_user_id_fkey"). */
    public record Filtered(String listing, List<String> droppedForeignKeys, int leftOut) {}

    /** A table name the dump does not have. */
    public static final class UnknownTable extends Exception {
        public UnknownTable(String message) {
            super(message);
        }
    }

    private TocFilter() {}

    /** The archive's table of contents, read from the start of the file (it comes before the data). */
    public static DumpToc readToc(Path dump) throws IOException, DumpToc.Unreadable {
        long size = Files.size(dump);
        int length = (int) Math.min(size, 1 << 20);
        while (true) {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(dump)) {
                bytes = in.readNBytes(length);
            }
            try {
                return DumpToc.parse(bytes, bytes.length);
            } catch (DumpToc.CutShort e) {
                if (length >= size || length >= Integer.MAX_VALUE / 2) throw new DumpToc.Unreadable(e.getMessage());
                length = (int) Math.min(size, 2L * length);
            }
        }
    }

    /**
     * Filters {@code listing} (pg_restore --list of the same dump, possibly narrowed by -n/-t)
     * to {@code subset}. Every table named must be in the dump.
     */
    public static Filtered filter(String listing, DumpToc toc, Subset subset) throws UnknownTable {
        Map<Integer, DumpToc.Entry> byId = new HashMap<>();
        List<DumpToc.Entry> tables = new ArrayList<>();
        for (DumpToc.Entry e : toc.entries()) {
            byId.put(e.dumpId(), e);
            if (e.desc().equals("TABLE")) tables.add(e);
        }
        Set<Integer> only = resolve("--only", subset.only(), tables);
        Set<Integer> exclude = resolve("--exclude", subset.exclude(), tables);
        Set<Integer> noRows = resolve("--exclude-data", subset.excludeData(), tables);

        // a partitioned table's rows are its partitions' (each partition's TABLE entry depends on its parent's)
        boolean grew = true;
        while (grew) {
            grew = false;
            for (DumpToc.Entry t : tables) {
                if (!noRows.contains(t.dumpId()) && t.dependsOn().stream().anyMatch(noRows::contains)) grew = noRows.add(t.dumpId());
            }
        }
        Set<Integer> dropped = new HashSet<>();
        for (DumpToc.Entry t : tables) {
            if ((!subset.only().isEmpty() && !only.contains(t.dumpId())) || exclude.contains(t.dumpId())) dropped.add(t.dumpId());
        }
        Set<Integer> rowless = new HashSet<>(noRows);
        rowless.addAll(dropped);
        for (DumpToc.Entry e : toc.entries()) {
            if (e.desc().equals("TABLE DATA") && e.dependsOn().stream().anyMatch(noRows::contains)) dropped.add(e.dumpId());
        }
        // foreign keys from a table whose rows are restored into one whose rows are not: they would fail on the rows
        Set<Integer> fkOut = new LinkedHashSet<>();
        for (DumpToc.Entry e : toc.entries()) {
            if (!e.desc().equals("FK CONSTRAINT")) continue;
            Integer own = ownTable(e, byId);
            Set<Integer> referenced = referencedTables(e, own, byId);
            if (own != null && !rowless.contains(own) && referenced.stream().anyMatch(rowless::contains)) {
                dropped.add(e.dumpId());
                fkOut.add(e.dumpId());
            }
        }
        // what needs a left-out entry is left out with it
        boolean changed = true;
        while (changed) {
            changed = false;
            for (DumpToc.Entry e : toc.entries()) {
                if (!dropped.contains(e.dumpId()) && e.dependsOn().stream().anyMatch(dropped::contains)) {
                    dropped.add(e.dumpId());
                    changed = true;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        Set<Integer> listed = new HashSet<>();
        int leftOut = 0;
        for (String line : listing.split("\n", -1)) {
            Matcher m = ENTRY_LINE.matcher(line);
            if (m.matches()) {
                int id = Integer.parseInt(m.group(1));
                listed.add(id);
                if (dropped.contains(id)) {
                    out.append(';'); // pg_restore --use-list skips commented lines
                    leftOut++;
                }
            }
            out.append(line).append('\n');
        }
        List<String> fks = new ArrayList<>();
        for (DumpToc.Entry e : toc.entries()) {
            if (e.desc().equals("FK CONSTRAINT") && dropped.contains(e.dumpId()) && listed.contains(e.dumpId())) {
                fks.add(e.namespace() + "." + e.tag());
            }
        }
        String text = out.toString();
        return new Filtered(text.endsWith("\n\n") ? text.substring(0, text.length() - 1) : text, fks, leftOut);
    }

    /** The tables named: {@code schema.table}, or {@code table} in whichever schema has it. */
    private static Set<Integer> resolve(String option, List<String> names, List<DumpToc.Entry> tables) throws UnknownTable {
        Set<Integer> ids = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            int before = ids.size();
            boolean found = false;
            for (DumpToc.Entry t : tables) {
                if (t.tag().equals(name) || (t.namespace() + "." + t.tag()).equals(name)) {
                    ids.add(t.dumpId());
                    found = true;
                }
            }
            if (!found && ids.size() == before) unknown.add(name);
        }
        if (!unknown.isEmpty()) {
            throw new UnknownTable(option + " names " + (unknown.size() == 1 ? "a table" : "tables") + " the dump does not have: "
                    + String.join(", ", unknown) + " (names are schema.table or table, as in the database)");
        }
        return ids;
    }

    /** The table a foreign key is on: the table it depends on whose name starts its tag ("orders orders_user_id_fkey"). */
    private static Integer ownTable(DumpToc.Entry fk, Map<Integer, DumpToc.Entry> byId) {
        for (int dep : fk.dependsOn()) {
            DumpToc.Entry d = byId.get(dep);
            if (d != null && d.desc().equals("TABLE") && d.namespace().equals(fk.namespace()) && fk.tag().startsWith(d.tag() + " ")) {
                return d.dumpId();
            }
        }
        return null;
    }

    /** The tables a foreign key points at: directly, or through the unique constraint or index it references. */
    private static Set<Integer> referencedTables(DumpToc.Entry fk, Integer own, Map<Integer, DumpToc.Entry> byId) {
        Set<Integer> refs = new HashSet<>();
        for (int dep : fk.dependsOn()) {
            DumpToc.Entry d = byId.get(dep);
            if (d == null) continue;
            if (d.desc().equals("TABLE") && !Integer.valueOf(d.dumpId()).equals(own)) refs.add(d.dumpId());
            if (d.desc().equals("CONSTRAINT") || d.desc().equals("INDEX")) {
                for (int dd : d.dependsOn()) {
                    DumpToc.Entry t = byId.get(dd);
                    if (t != null && t.desc().equals("TABLE")) refs.add(t.dumpId());
                }
            }
        }
        return refs;
    }
}
