package dev.parity.scrub;

/**
 * The SQL for rules: one set-based statement per table, identifiers quoted, literals escaped.
 * email, name and hash derive from the original with a key chosen at random for each restore and
 * never stored: equal values give equal results within that restore (joins still match, distinct
 * addresses stay distinct), but without the key an original cannot be looked up by hashing
 * guesses. This is pseudonymisation, not anonymisation: the rows, their counts and their links stay.
 */
public final class ScrubSql {
    private ScrubSql() {
    }

    public static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String relation(ScrubRules.Table t) {
        return ident(t.schema()) + "." + ident(t.relation());
    }

    /** The expression a column is set to, or null for keep. {@code key} is the restore's random key. */
    static String expression(ScrubRule rule, String column, String key) {
        String original = ident(column) + "::text";
        if (rule instanceof ScrubRule.Email) return "'user-' || left(md5(" + literal(key + ":email:") + " || " + original + "), 20) || '@example.invalid'";
        if (rule instanceof ScrubRule.Name) return "'Name ' || upper(left(md5(" + literal(key + ":name:") + " || " + original + "), 8))";
        if (rule instanceof ScrubRule.Hash) return "md5(" + literal(key + ":hash:") + " || " + original + ")";
        if (rule instanceof ScrubRule.Constant c) return literal(c.value());
        if (rule instanceof ScrubRule.Nullify) return "NULL";
        if (rule instanceof ScrubRule.Sql s) return "(" + s.expression() + ")";
        return null; // keep
    }

    /** One UPDATE of every row for the table's rules that change something, answering how many rows; null if all are keep. */
    static String update(ScrubRules.Table t, String key) {
        StringBuilder set = new StringBuilder();
        t.columns().forEach((column, rule) -> {
            String e = expression(rule, column, key);
            if (e == null) return;
            if (set.length() > 0) set.append(", ");
            set.append(ident(column)).append(" = ").append(e);
        });
        if (set.length() == 0) return null;
        return "WITH scrubbed AS (UPDATE " + relation(t) + " SET " + set + " RETURNING 1) SELECT count(*) FROM scrubbed";
    }
}
