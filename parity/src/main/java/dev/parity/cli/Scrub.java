package dev.parity.cli;

import dev.parity.db.DumpToc;
import dev.parity.env.Environment;
import dev.parity.scrub.BackupSchema;
import dev.parity.scrub.TableDefinition;
import dev.parity.steps.Sequence;
import dev.parity.steps.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code parity scrub check|init [ENV]}: the scrub rules against ENV's schema as its latest
 * backup's table of contents lists it, without restoring (or downloading the data of) anything.
 */
@Command(name = "scrub", header = "Check or write scrub rules against a backup's schema (scrub check, scrub init).",
        mixinStandardHelpOptions = true, versionProvider = Version.class, subcommands = {ScrubCheck.class, ScrubInit.class},
        description = {"The scrub: rules of .parity.yml against an environment's schema, read from its latest backup's table of contents",
                "(its first bytes only: nothing is restored, the data is not downloaded).",
                "parity scrub check [ENV]: which personal-looking columns a rule covers; exit 0 covered, 1 not, 2 bad rules.",
                "parity scrub init [ENV]: append a starting scrub: section for them to .parity.yml (--stdout: print it)."})
final class Scrub implements Callable<Integer>, ToolCommand {
    Workspace workspace;

    @Override
    public void bind(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        throw new UsageError("scrub needs a command: parity scrub check [ENV] or parity scrub init [ENV] (parity scrub --help)");
    }

    /** The schema of a backup: schema.table → columns, and which backup it was, in words. */
    record Schema(Map<String, List<TableDefinition.Column>> tables, String source) {
    }

    /** The environment the rules are checked against: a Heroku app (development has no backups to read). */
    Environment environment(String name) throws InterruptedException {
        Environment env = workspace.environment(name);
        if (env.isDevelopment()) {
            throw new UsageError("scrub check and scrub init read a Heroku app's latest backup; development has none (try: parity scrub check production)");
        }
        return env;
    }

    /** Reads the latest backup's table of contents; empty when a step failed (it said why), with that exit code in {@code code[0]}. */
    Optional<Schema> schema(Environment from, String command, int[] code) throws InterruptedException {
        DumpToc[] toc = new DumpToc[1];
        String[] name = new String[1];
        Sequence read = new Sequence("parity scrub " + command + " " + from.name(),
                dev.parity.cli.restore.BackupSource.tableOfContents(workspace, from, (t, n) -> {
                    toc[0] = t;
                    name[0] = n.orElse(null);
                }));
        code[0] = read.execute(new StepContext(workspace.runner(), workspace.io()), false);
        if (code[0] != ExitCodes.OK) return Optional.empty();
        String source = from.label() + "'s latest backup" + (name[0] == null ? "" : " (" + name[0] + ")");
        return Optional.of(new Schema(BackupSchema.of(toc[0]), source));
    }
}
