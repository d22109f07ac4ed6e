package dev.parity.scrub;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The columns of one table as pg_dump writes its {@code CREATE TABLE} (a TABLE entry's definition
 * in the dump's table of contents): each column with its type text and whether it is NOT NULL,
 * the tables it INHERITS from (pg_dump leaves inherited columns out of the child's list), and
 * whether it is a partition (named by {@code PARTITION OF}), whose rows the parent's rules reach.
 * Identifiers may be quoted ({@code "First Name"}, {@code "user"}, {@code "a""b"}).
 */
public record TableDefinition(List<Column> columns, List<String> inherits, boolean partition) {

    /** One column: its name, its type as written ({@code character varying(80)}), and NOT NULL. */
    public record Column(String name, String type, boolean notNull) {
        /** Types whose values are text, so a fake or a hash can be written into them. */
        public boolean textLike() {
            String t = type.toLowerCase(Locale.ROOT);
            return t.equals("text") || t.startsWith("character varying") || t.startsWith("varchar") || t.startsWith("character(")
                    || t.equals("character") || t.endsWith("citext");
        }
    }

    /** Parses the first {@code CREATE [UNLOGGED] TABLE} in {@code sql}; empty lists when it has none. */
    public static TableDefinition parse(String sql) {
        int create = indexOfWord(sql, "TABLE", 0);
        if (create < 0) return new TableDefinition(List.of(), List.of(), false);
        int i = skipName(sql, skipSpace(sql, create + "TABLE".length()));
        i = skipSpace(sql, i);
        if (startsWithWord(sql, i, "PARTITION")) return new TableDefinition(List.of(), List.of(), true); // CREATE TABLE p PARTITION OF parent …
        if (startsWithWord(sql, i, "OF")) return new TableDefinition(List.of(), List.of(), false); // a typed table: its columns are the type's
        if (i >= sql.length() || sql.charAt(i) != '(') return new TableDefinition(List.of(), List.of(), false);
        int close = matching(sql, i);
        List<Column> columns = new ArrayList<>();
        for (String element : splitTopLevel(sql.substring(i + 1, close))) {
            String e = element.strip();
            if (e.isEmpty() || startsWithWord(e, 0, "CONSTRAINT") || startsWithWord(e, 0, "LIKE")
                    || startsWithWord(e, 0, "CHECK") || startsWithWord(e, 0, "PRIMARY") || startsWithWord(e, 0, "UNIQUE")
                    || startsWithWord(e, 0, "FOREIGN") || startsWithWord(e, 0, "EXCLUDE")) {
                continue;
            }
            int end = skipName(e, 0);
            String name = unquote(e.substring(0, end));
            String rest = e.substring(end).strip();
            columns.add(new Column(name, typeOf(rest), indexOfWord(rest, "NOT NULL", 0) >= 0));
        }
        List<String> inherits = new ArrayList<>();
        int after = skipSpace(sql, close + 1);
        if (startsWithWord(sql, after, "INHERITS")) {
            int open = skipSpace(sql, after + "INHERITS".length());
            if (open < sql.length() && sql.charAt(open) == '(') {
                for (String parent : splitTopLevel(sql.substring(open + 1, matching(sql, open)))) inherits.add(qualified(parent.strip()));
            }
        }
        boolean attached = indexOfWord(sql, "ATTACH PARTITION", close) >= 0; // older pg_dump: the attach is in the same entry
        return new TableDefinition(List.copyOf(columns), List.copyOf(inherits), attached);
    }

    /** A possibly quoted, possibly schema-qualified name as {@code schema.table} (unquoted; {@code public} if unqualified). */
    static String qualified(String name) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < name.length()) {
            int end = skipIdentifier(name, i);
            parts.add(unquote(name.substring(i, end)));
            i = end < name.length() && name.charAt(end) == '.' ? end + 1 : name.length();
        }
        return parts.size() >= 2 ? parts.get(parts.size() - 2) + "." + parts.get(parts.size() - 1) : "public." + parts.get(0);
    }

    /** The type: the element's text up to its first constraint keyword. */
    private static String typeOf(String rest) {
        int end = rest.length();
        for (String word : List.of("NOT NULL", "NULL", "DEFAULT", "COLLATE", "GENERATED", "CONSTRAINT", "CHECK", "REFERENCES",
                "PRIMARY", "UNIQUE", "COMPRESSION")) {
            int at = indexOfWord(rest, word, 0);
            if (at >= 0 && at < end) end = at;
        }
        return rest.substring(0, end).strip();
    }

    private static String unquote(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return identifier.toLowerCase(Locale.ROOT); // an unquoted identifier is folded to lower case
    }

    /** The end of one identifier (quoted or bare) starting at {@code i}. */
    private static int skipIdentifier(String s, int i) {
        if (i < s.length() && s.charAt(i) == '"') {
            int j = i + 1;
            while (j < s.length()) {
                if (s.charAt(j) == '"') {
                    if (j + 1 < s.length() && s.charAt(j + 1) == '"') {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            return s.length();
        }
        int j = i;
        while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "(),.;".indexOf(s.charAt(j)) < 0) j++;
        return j;
    }

    /** The end of a possibly qualified name ({@code schema."ta ble"}) starting at {@code i}. */
    private static int skipName(String s, int i) {
        int end = skipIdentifier(s, i);
        while (end < s.length() && s.charAt(end) == '.') end = skipIdentifier(s, end + 1);
        return end;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    /** The index of the parenthesis closing the one at {@code open}, minding quotes and literals. */
    private static int matching(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                i = skipQuoted(s, i, c) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return s.length();
    }

    /** The index after a quoted run starting at {@code i} (a doubled quote stays inside it). */
    private static int skipQuoted(String s, int i, char quote) {
        int j = i + 1;
        while (j < s.length()) {
            if (s.charAt(j) == quote) {
                if (j + 1 < s.length() && s.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return s.length();
    }

    /** Splits at commas outside parentheses, quotes and literals. */
    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                i = skipQuoted(s, i, c) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static boolean startsWithWord(String s, int i, String word) {
        return s.regionMatches(true, i, word, 0, word.length())
                && (i + word.length() >= s.length() || !Character.isLetterOrDigit(s.charAt(i + word.length())) && s.charAt(i + word.length()) != '_');
    }

    /** Where {@code words} (space-separated keywords) start at or after {@code from}, outside quotes and literals; -1 if nowhere. */
    private static int indexOfWord(String s, String words, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                i = skipQuoted(s, i, c) - 1;
                continue;
            }
            boolean boundary = i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)) && s.charAt(i - 1) != '_';
            if (boundary && matchesWords(s, i, words)) return i;
        }
        return -1;
    }

    private static boolean matchesWords(String s, int i, String words) {
        int at = i;
        for (String w : words.split(" ")) {
            if (!startsWithWord(s, at, w)) return false;
            at = skipSpace(s, at + w.length());
        }
        return true;
    }
}
