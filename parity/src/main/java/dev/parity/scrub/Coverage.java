package dev.parity.scrub;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How far the scrub rules cover a schema, as {@code parity scrub check} reports it: every
 * personal-looking column with the rule that covers it (or none), the rules that name a table or
 * column the schema lacks, and the verdict a restore would reach with these rules.
 */
public record Coverage(boolean rulesPresent, List<Row> rows, List<String> unknown) {

    /** One personal-looking column: {@code rule} is what covers it ({@code truncate} for a truncated table), empty if nothing does. */
    public record Row(String table, String column, Optional<String> rule) {
    }

    /** The verdict: what a restore with these rules would do with this schema. */
    public enum Verdict {
        /** Every personal-looking column has a rule (or there is none). */
        COVERED,
        /** Some personal-looking column has no rule: a restore would stop before the swap. */
        UNCOVERED,
        /** A rule names a table or column the schema does not have: a restore would stop (exit 2). */
        BAD_RULES
    }

    /** {@code tables}: schema.table → column names, as {@link BackupSchema#names} gives them; {@code where} names the schema's source in messages. */
    public static Coverage of(ScrubRules rules, Map<String, List<String>> tables, String where) {
        Scrubber scrubber = new Scrubber(rules);
        PersonalColumns personal = new PersonalColumns(rules.personal());
        Map<String, ScrubRules.Table> byName = new LinkedHashMap<>();
        for (ScrubRules.Table t : rules.tables().values()) byName.put(Scrubber.qualified(t), t);
        List<Row> rows = new ArrayList<>();
        tables.forEach((table, cols) -> {
            ScrubRules.Table t = byName.get(table);
            String shown = table.startsWith("public.") ? table.substring("public.".length()) : table;
            for (String c : cols) {
                if (!personal.looksPersonal(c)) continue;
                Optional<String> rule = t == null ? Optional.empty()
                        : t.truncate() ? Optional.of("truncate") : Optional.ofNullable(t.columns().get(c)).map(ScrubRule::yaml);
                rows.add(new Row(shown, c, rule));
            }
        });
        return new Coverage(rules.present(), List.copyOf(rows), List.copyOf(scrubber.unknownNames(tables, where)));
    }

    public Verdict verdict() {
        if (!unknown.isEmpty()) return Verdict.BAD_RULES;
        return rows.stream().allMatch(r -> r.rule().isPresent()) ? Verdict.COVERED : Verdict.UNCOVERED;
    }

    /** Personal-looking columns without a rule, as table → columns: what {@link Scrubber#suggestion} turns into rules to paste. */
    public Map<String, List<String>> uncovered() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.rule().isEmpty()) out.computeIfAbsent(r.table(), k -> new ArrayList<>()).add(r.column());
        }
        return out;
    }

    public long uncoveredCount() {
        return rows.stream().filter(r -> r.rule().isEmpty()).count();
    }
}
