package dev.parity.scrub;

/**
 * What happens to one column in the temporary database before it is swapped in. Each kind becomes
 * an expression in one set-based UPDATE per table (see {@link ScrubSql}).
 */
public sealed interface ScrubRule {
    /** How the rule reads in {@code .parity.yml}, for plans and ready-to-paste suggestions. */
    String yaml();

    /** A fake address derived from the original with the run's key: distinct addresses stay distinct. */
    record Email() implements ScrubRule {
        public String yaml() { return "email"; }
    }

    /** A fake name derived from the original with the run's key. */
    record Name() implements ScrubRule {
        public String yaml() { return "name"; }
    }

    /** The same value in every row. */
    record Constant(String value) implements ScrubRule {
        public String yaml() { return "{constant: \"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}"; }
    }

    /** NULL in every row. */
    record Nullify() implements ScrubRule {
        public String yaml() { return "nullify"; }
    }

    /** A keyed hash of the original: equal values stay equal, so joins across tables still match. */
    record Hash() implements ScrubRule {
        public String yaml() { return "hash"; }
    }

    /** A SQL expression of the project's own (it may use the row's columns). */
    record Sql(String expression) implements ScrubRule {
        public String yaml() { return "{sql: \"" + expression.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}"; }
    }

    /** Left as it is: an explicit decision, so the column counts as covered. */
    record Keep() implements ScrubRule {
        public String yaml() { return "keep"; }
    }
}
