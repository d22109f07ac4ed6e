package dev.parity.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parity.env.Environment;
import dev.parity.scrub.BackupSchema;
import dev.parity.scrub.Coverage;
import dev.parity.scrub.ScrubRules;
import dev.parity.scrub.Scrubber;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parity scrub check [ENV]}: per table, each personal-looking column of ENV's latest backup
 * and the rule that covers it; rules naming what the backup lacks; the verdict a restore into
 * development would reach. Exit 0 covered, 1 some column uncovered, 2 bad rules (also when the
 * rules do not parse, before anything is fetched).
 */
@Command(name = "check", header = "Show which personal-looking columns of ENV's latest backup the scrub rules cover.",
        mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Show which personal-looking columns of ENV's latest backup (default: production) the scrub: rules cover,",
                "from the backup's table of contents (nothing restored, the data not downloaded).",
                "Exit 0: every one is covered; 1: some are not (a restore would stop before the swap); 2: a rule names a",
                "table or column the backup lacks, or the rules do not parse."})
final class ScrubCheck implements Callable<Integer> {
    @ParentCommand
    Scrub scrub;

    @Parameters(index = "0", arity = "0..1", defaultValue = "production", paramLabel = "ENV", description = "The environment whose latest backup is read (default: production).")
    String env;

    @Option(names = "--json", description = "The coverage as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        ScrubRules rules = scrub.workspace.config().scrub(); // bad rules: one line, exit 2, before anything is fetched
        Environment from = scrub.environment(env);
        Scrub.Read read = scrub.schema(from, "check");
        if (read.schema().isEmpty()) return read.exitCode();
        Scrub.Schema schema = read.schema().get();
        Coverage coverage = Coverage.of(rules, BackupSchema.names(schema.tables()), from.label() + "'s latest backup");
        PrintStream out = scrub.workspace.io().out();
        if (json) out.println(json(coverage, from, schema.source()));
        else report(out, coverage, schema.source());
        return switch (coverage.verdict()) {
            case COVERED -> ExitCodes.OK;
            case UNCOVERED -> ExitCodes.FAILED;
            case BAD_RULES -> ExitCodes.USAGE;
        };
    }

    private static void report(PrintStream out, Coverage c, String source) {
        out.println("Scrub rules against " + source + ":");
        Map<String, List<Coverage.Row>> byTable = byTable(c);
        if (byTable.isEmpty()) out.println("  no column looks personal by its name (email, phone, *_name, …)");
        int width = c.rows().stream().mapToInt(r -> r.column().length()).max().orElse(0);
        byTable.forEach((table, rows) -> {
            out.println("  " + table);
            for (Coverage.Row r : rows) {
                out.println("    " + String.format("%-" + width + "s", r.column()) + "  " + r.rule().orElse("NO RULE"));
            }
        });
        if (!c.unknown().isEmpty()) {
            out.println("Rules naming what the backup does not have:");
            for (String line : c.unknown()) out.println("  " + line);
        }
        long n = c.uncoveredCount();
        switch (c.verdict()) {
            case COVERED -> out.println("Covered: every personal-looking column has a rule"
                    + (c.rulesPresent() ? "." : " (there are none, and no scrub: section)."));
            case BAD_RULES -> out.println("Bad rules: " + c.unknown().size() + " rule" + (c.unknown().size() == 1 ? " names" : "s name")
                    + " what the backup does not have; a restore with them would stop before the swap (exit 2).");
            case UNCOVERED -> {
                if (!c.rulesPresent()) {
                    out.println("Not covered: .parity.yml has no scrub: section, so these " + n + " personal-looking column"
                            + (n == 1 ? "" : "s") + " would arrive unscrubbed. `parity scrub init` writes a starting scrub: section for them.");
                } else {
                    out.println("Not covered: " + n + " personal-looking column" + (n == 1 ? " has" : "s have")
                            + " no rule; a restore would stop before the swap. Rules to add (keep is a rule too):");
                    out.print(Scrubber.suggestion(c.uncovered()));
                }
            }
        }
    }

    private static Map<String, List<Coverage.Row>> byTable(Coverage c) {
        Map<String, List<Coverage.Row>> byTable = new LinkedHashMap<>();
        for (Coverage.Row r : c.rows()) byTable.computeIfAbsent(r.table(), k -> new java.util.ArrayList<>()).add(r);
        return byTable;
    }

    private static String json(Coverage c, Environment from, String source) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("environment", from.name());
        root.put("app", from.app());
        root.put("source", source);
        root.put("rules", c.rulesPresent());
        root.put("verdict", c.verdict().name().toLowerCase(java.util.Locale.ROOT));
        root.put("uncovered", c.uncoveredCount());
        ArrayNode tables = root.putArray("tables");
        byTable(c).forEach((table, rows) -> {
            ObjectNode t = tables.addObject();
            t.put("table", table);
            ArrayNode cols = t.putArray("columns");
            for (Coverage.Row r : rows) {
                ObjectNode col = cols.addObject();
                col.put("column", r.column());
                if (r.rule().isPresent()) col.put("rule", r.rule().get());
                else col.putNull("rule");
            }
        });
        ArrayNode unknown = root.putArray("unknown");
        c.unknown().forEach(unknown::add);
        return root.toPrettyString();
    }
}
