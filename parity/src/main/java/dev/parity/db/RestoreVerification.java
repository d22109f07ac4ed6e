package dev.parity.db;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a restored database against the dump's table of contents: every table, index,
 * constraint, foreign key, sequence, view, materialized view and function the dump lists must
 * exist. (A parallel restore that silently lost indexes or foreign keys is the failure this
 * catches.) Extra objects — an extension's own — are fine.
 */
public final class RestoreVerification {
    /** Kinds counted, in report order, with how a person calls them. */
    static final Map<String, String> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("TABLE", "table|tables");
        KINDS.put("INDEX", "index|indexes");
        KINDS.put("CONSTRAINT", "constraint|constraints");
        KINDS.put("FK CONSTRAINT", "foreign key|foreign keys");
        KINDS.put("SEQUENCE", "sequence|sequences");
        KINDS.put("VIEW", "view|views");
        KINDS.put("MATERIALIZED VIEW", "materialized view|materialized views");
        KINDS.put("FUNCTION", "function|functions");
        KINDS.put("PROCEDURE", "procedure|procedures");
    }

    /** Longer entry types first, so "TABLE DATA" is never read as a TABLE in schema "DATA". */
    private static final Pattern ENTRY = Pattern.compile("^\\s*\\d+;\\s+\\d+\\s+\\d+\\s+("
            + "TABLE DATA|TABLE ATTACH|SEQUENCE SET|SEQUENCE OWNED BY|MATERIALIZED VIEW DATA|INDEX ATTACH|"
            + "FK CONSTRAINT|CHECK CONSTRAINT|MATERIALIZED VIEW|DEFAULT ACL|FOREIGN TABLE|"
            + "TABLE|INDEX|CONSTRAINT|SEQUENCE|VIEW|FUNCTION|PROCEDURE|[A-Z]+(?: [A-Z]+)*?) (\\S+) (.*)$");

    /** What the database has, one {@code kind<TAB>schema<TAB>name} line per object. */
    public static final String CATALOG_SQL = """
            SELECT k, n, o FROM (
              SELECT CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'TABLE' WHEN 'v' THEN 'VIEW'
                       WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'INDEX' END AS k,
                     s.nspname AS n, c.relname AS o
                FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
               WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'i', 'I')
              UNION ALL
              SELECT CASE WHEN x.contype = 'f' THEN 'FK CONSTRAINT' ELSE 'CONSTRAINT' END, s.nspname, t.relname || ' ' || x.conname
                FROM pg_constraint x JOIN pg_class t ON t.oid = x.conrelid JOIN pg_namespace s ON s.oid = x.connamespace
              UNION ALL
              SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, s.nspname, p.proname
                FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace
            ) q WHERE n NOT IN ('pg_catalog', 'information_schema') AND n NOT LIKE 'pg_toast%' AND n NOT LIKE 'pg_temp%'""";

    /**
     * One object. pg_restore --list prints schema and name unquoted and separated by a space, and
     * either may contain spaces, so objects are matched on {@code "schema name"} as one string.
     */
    record Item(String kind, String qualified) {
        Item(String kind, String schema, String name) {
            this(kind, schema + " " + name);
        }

        /** "schema.name", splitting after the longest known schema that fits (else at the first space). */
        String shown(java.util.Set<String> schemas) {
            String best = null;
            for (String s : schemas) {
                if (qualified.startsWith(s + " ") && (best == null || s.length() > best.length())) best = s;
            }
            int split = best != null ? best.length() : Math.max(0, qualified.indexOf(' '));
            return qualified.substring(0, split) + "." + qualified.substring(Math.min(qualified.length(), split + 1));
        }

        String shown() {
            return shown(java.util.Set.of());
        }
    }

    /** The outcome: what was expected per kind and what is missing. */
    public record Outcome(Map<String, Integer> expected, List<String> missing) {
        public boolean ok() {
            return missing.isEmpty();
        }

        /** "3 tables, 4 indexes, …" */
        public String counts() {
            List<String> parts = new ArrayList<>();
            expected.forEach((kind, n) -> {
                if (n > 0) parts.add(n + " " + name(kind, n));
            });
            return parts.isEmpty() ? "no tables" : String.join(", ", parts);
        }
    }

    private RestoreVerification() {}

    public static Outcome compare(String toc, String catalog) {
        Map<Item, Integer> want = expected(toc);
        Map<Item, Integer> have = new LinkedHashMap<>();
        java.util.Set<String> schemas = new java.util.HashSet<>();
        for (String line : catalog.split("\n")) {
            String[] f = line.split("\t", 3);
            if (f.length == 3) { // names are kept as they are: one may begin or end with a space
                have.merge(new Item(f[0], f[1], f[2]), 1, Integer::sum);
                schemas.add(f[1]);
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        KINDS.keySet().forEach(k -> counts.put(k, 0));
        Map<String, List<String>> missing = new TreeMap<>((a, b) -> indexOf(a) - indexOf(b));
        want.forEach((item, n) -> {
            counts.merge(item.kind, n, Integer::sum);
            int short_ = n - have.getOrDefault(item, 0);
            for (int i = 0; i < short_; i++) missing.computeIfAbsent(item.kind, k -> new ArrayList<>()).add(item.shown(schemas));
        });
        List<String> lines = new ArrayList<>();
        missing.forEach((kind, names) -> lines.add(names.size() + " of " + counts.get(kind) + " " + name(kind, counts.get(kind)) + ": "
                + String.join(", ", names.subList(0, Math.min(10, names.size())))
                + (names.size() > 10 ? ", … (" + (names.size() - 10) + " more)" : "")));
        return new Outcome(counts, lines);
    }

    /** The counted objects the table of contents lists. */
    static Map<Item, Integer> expected(String toc) {
        Map<Item, Integer> items = new LinkedHashMap<>();
        for (String line : toc.split("\n")) {
            if (line.startsWith(";")) continue;
            Matcher m = ENTRY.matcher(line);
            if (!m.matches() || !KINDS.containsKey(m.group(1)) || m.group(2).equals("-")) continue;
            String rest = m.group(3);
            int owner = rest.lastIndexOf(' ');
            String tag = owner < 0 ? rest : rest.substring(0, owner); // the last word is the owner
            if (m.group(1).equals("FUNCTION") || m.group(1).equals("PROCEDURE")) {
                int paren = tag.indexOf('(');
                if (paren > 0) tag = tag.substring(0, paren);
            }
            items.merge(new Item(m.group(1), m.group(2), tag), 1, Integer::sum);
        }
        return items;
    }

    /** How many tables the table of contents lists. */
    public static long tables(String toc) {
        return expected(toc).entrySet().stream().filter(e -> e.getKey().kind().equals("TABLE")).mapToLong(Map.Entry::getValue).sum();
    }

    /** "1 index", "2 indexes". */
    static String name(String kind, int n) {
        String[] forms = KINDS.get(kind).split("\\|");
        return n == 1 ? forms[0] : forms[1];
    }

    private static int indexOf(String kind) {
        return new ArrayList<>(KINDS.keySet()).indexOf(kind);
    }
}
