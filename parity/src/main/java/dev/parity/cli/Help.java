package dev.parity.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

/**
 * {@code parity --help} and {@code production --help}: the registered verbs by group, each with the
 * summary from its own {@code @Command}, then pass-through, the sandbox and parity's own commands.
 */
final class Help {
    private static final int NAME_WIDTH = 16;

    private Help() {}

    static void printUsage(PrintStream out) {
        out.println("""
                Usage: parity ENVIRONMENT [--dry-run] VERB [ARGS...]
                       production|staging|development [--dry-run] VERB [ARGS...]
                       pr_app [--dry-run] NUMBER VERB [ARGS...]
                       parity COMMAND (below) | --help | --version

                Environments: production, staging, development, pr_app NUMBER, and any git remote or
                .parity.yml environment that points at a Heroku app.
                """);
        printVerbs(out, "production");
        out.println();
        out.println("Sandbox:");
        out.println(line("sandbox", "A local Heroku to try every verb on (parity sandbox --help lists its commands)."));
        out.println();
        out.println("parity's own commands:");
        for (Map.Entry<String, Supplier<Object>> tool : Parity.TOOL_COMMANDS.entrySet()) {
            Command c = tool.getValue().get().getClass().getAnnotation(Command.class);
            out.println(line(tool.getKey(), c.header().length > 0 ? c.header()[0] : c.description().length > 0 ? c.description()[0] : ""));
        }
    }

    static void printEnvironmentUsage(PrintStream out, String env) {
        out.println("Usage: " + env + " [--dry-run] VERB [ARGS...]\n");
        printVerbs(out, env);
        out.println();
        out.println("parity --help also lists the sandbox (parity sandbox) and parity's own commands.");
    }

    private static void printVerbs(PrintStream out, String env) {
        for (VerbGroup group : VerbGroup.values()) {
            out.println(group.heading + ":");
            for (Verbs.Entry verb : Verbs.ALL) {
                if (verb.group() != group) continue;
                String aliases = verb.aliases().isEmpty() ? "" : " (alias: " + String.join(", ", verb.aliases()) + ")";
                out.println(line(verb.name(), verb.summary() + aliases));
            }
            out.println();
        }
        out.println("Anything else goes to the heroku CLI, every argument as typed:");
        out.println(line("VERB ARGS", "heroku VERB ARGS --app APP (" + env + " config:set A=1)"));
        out.println(line("-- VERB ARGS", "the same, even for a VERB parity has or takes for a typo (" + env + " -- migarte)"));
        out.println();
        out.println("--dry-run goes before the verb: it prints the steps (commands with their arguments) and runs");
        out.println("nothing, for heroku commands too (" + env + " --dry-run config:set A=1). After a heroku command");
        out.println("it would be heroku's, so parity refuses it there.");
        out.println(env + " VERB --help shows a verb's options.");
    }

    private static String line(String name, String summary) {
        return "  " + (name.length() < NAME_WIDTH ? String.format("%-" + NAME_WIDTH + "s", name) : name + "  ") + summary;
    }
}
