package dev.parity.scrub;

import dev.parity.config.ConfigError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code scrub:} section of {@code .parity.yml}: per table either {@code truncate} or a mapping
 * of column to rule, plus {@code personal:}, more column-name patterns that count as personal.
 * Every bad rule is a one-line {@link ConfigError}, found when the configuration is read, before
 * anything is downloaded. Absent section: {@link #NONE} ({@link #present()} false).
 */
public record ScrubRules(boolean present, Map<String, Table> tables, List<String> personal, Optional<String> file) {

    public static final ScrubRules NONE = new ScrubRules(false, Map.of(), List.of(), Optional.empty());
    static final String FILE = ".parity.yml";
    /** {@code scrub: {file: PATH}}: the rules live in PATH (relative to the repository), so they can be shared. */
    static final String FILE_KEY = "file";
    /** Keys of the section that are not table names (a table with one of these names is written schema.table). */
    static final String PERSONAL = "personal";

    /** One table's rules: emptied whole, or a rule per column (in the file's order). */
    public record Table(String name, boolean truncate, Map<String, ScrubRule> columns) {
        /** The table as {@code schema.table}: an unqualified name is in {@code public}. */
        public String schema() {
            return name.contains(".") ? name.substring(0, name.indexOf('.')) : "public";
        }

        public String relation() {
            return name.contains(".") ? name.substring(name.indexOf('.') + 1) : name;
        }
    }

    public boolean isEmpty() {
        return tables.isEmpty();
    }

    public static ScrubRules parse(Object section) {
        return parse(section, FILE, "scrub.");
    }

    /**
     * {@code source} names the file in errors; {@code prefix} is how keys are named in it ({@code scrub.}
     * in .parity.yml, nothing in a rules file, whose top level is the section itself).
     */
    public static ScrubRules parse(Object section, String source, String prefix) {
        if (section == null) return NONE;
        if (section instanceof Map<?, ?> m && m.containsKey(FILE_KEY) && prefix.equals("scrub.")) {
            if (m.size() != 1 || !(m.get(FILE_KEY) instanceof String f) || f.isBlank()) {
                throw error("'scrub.file' names a rules file and stands alone (scrub: {file: PATH}), got " + describe(m.get(FILE_KEY))
                        + (m.size() != 1 ? " beside other keys" : ""));
            }
            return new ScrubRules(true, Map.of(), List.of(), Optional.of(f));
        }
        return parseRules(section, source, prefix);
    }

    private static ScrubRules parseRules(Object section, String source, String prefix) {
        try {
            return parseRules(section);
        } catch (ConfigError e) {
            if (source.equals(FILE)) throw e;
            throw new ConfigError(e.getMessage().replaceFirst("^\\.parity\\.yml: ", java.util.regex.Matcher.quoteReplacement(source + ": "))
                    .replace("'scrub.", "'").replace("'scrub'", "'the top level'"));
        }
    }

    private static ScrubRules parseRules(Object section) {
        if (!(section instanceof Map<?, ?> top)) throw error("'scrub' must be a mapping of table to rules, got " + describe(section));
        Map<String, Table> tables = new LinkedHashMap<>();
        List<String> personal = new ArrayList<>();
        for (var e : top.entrySet()) {
            if (!(e.getKey() instanceof String table) || table.isBlank()) throw error("'scrub' has a key that is not a table name: " + e.getKey());
            if (table.equals(PERSONAL)) {
                personal.addAll(patterns(e.getValue()));
                continue;
            }
            checkName(table, "scrub." + table, table.chars().filter(c -> c == '.').count() <= 1);
            Object v = e.getValue();
            if ("truncate".equals(v)) {
                tables.put(table, new Table(table, true, Map.of()));
                continue;
            }
            if (!(v instanceof Map<?, ?> cols) || cols.isEmpty()) {
                throw error("'scrub." + table + "' must be truncate or a mapping of column to rule, got " + describe(v));
            }
            Map<String, ScrubRule> columns = new LinkedHashMap<>();
            for (var c : cols.entrySet()) {
                if (!(c.getKey() instanceof String column) || column.isBlank()) throw error("'scrub." + table + "' has a key that is not a column name: " + c.getKey());
                checkName(column, "scrub." + table + "." + column, !column.contains("."));
                columns.put(column, rule(c.getValue(), "scrub." + table + "." + column));
            }
            tables.put(table, new Table(table, false, columns));
        }
        return new ScrubRules(true, tables, List.copyOf(personal), Optional.empty());
    }

    static ScrubRule rule(Object v, String key) {
        if (v instanceof String s) {
            return switch (s) {
                case "email" -> new ScrubRule.Email();
                case "name" -> new ScrubRule.Name();
                case "nullify" -> new ScrubRule.Nullify();
                case "hash" -> new ScrubRule.Hash();
                case "keep" -> new ScrubRule.Keep();
                default -> throw error("'" + key + "': unknown rule '" + clean(s) + "' (known: email, name, nullify, hash, keep, {constant: VALUE}, {sql: EXPRESSION})");
            };
        }
        if (v instanceof Map<?, ?> m && m.size() == 1) {
            var only = m.entrySet().iterator().next();
            Object arg = only.getValue();
            if ("constant".equals(only.getKey())) {
                if (arg instanceof String || arg instanceof Number || arg instanceof Boolean) return new ScrubRule.Constant(String.valueOf(arg));
                throw error("'" + key + "': constant needs a value, got " + describe(arg));
            }
            if ("sql".equals(only.getKey())) {
                if (arg instanceof String s && !s.isBlank()) {
                    if (s.contains(";")) throw error("'" + key + "': a sql rule is one expression, without ';'");
                    return new ScrubRule.Sql(s);
                }
                throw error("'" + key + "': sql needs an expression, got " + describe(arg));
            }
        }
        throw error("'" + key + "': a rule is email, name, nullify, hash, keep, {constant: VALUE} or {sql: EXPRESSION}, got " + describe(v));
    }

    private static List<String> patterns(Object v) {
        if (!(v instanceof List<?> l)) throw error("'scrub.personal' must be a list of column-name patterns (* matches anything), got " + describe(v));
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof String s) || s.isBlank()) throw error("'scrub.personal' must hold column-name patterns, got " + describe(o));
            out.add(s);
        }
        return out;
    }

    private static void checkName(String name, String key, boolean ok) {
        if (!ok || name.chars().anyMatch(Character::isISOControl) || name.length() > 127) {
            throw error("'" + clean(key) + "' is not a table or column name");
        }
    }

    private static ConfigError error(String message) {
        return new ConfigError(FILE + ": " + message);
    }

    private static String clean(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    private static String describe(Object v) {
        if (v instanceof Map) return "a mapping";
        if (v instanceof List) return "a list";
        if (v instanceof String s) return "'" + clean(s) + "'";
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        return v == null ? "nothing" : v.getClass().getSimpleName();
    }

    /** For --dry-run and the plan: one line per table. */
    public List<String> describeLines() {
        List<String> lines = new ArrayList<>();
        for (Table t : tables.values()) {
            if (t.truncate()) {
                lines.add(t.name() + ": truncate");
                continue;
            }
            List<String> parts = new ArrayList<>();
            t.columns().forEach((c, r) -> parts.add(c + ": " + r.yaml()));
            lines.add(t.name() + ": " + String.join(", ", parts));
        }
        return lines;
    }

    public Optional<Table> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }
}
