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
@Command(name = "scrub", header = "Scrub rules against a backup's schema: scrub check, scrub init.",
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

    /** What reading a backup gave: its schema, or the exit code of the step that failed (which said why). */
    record Read(Optional<Schema> schema, int exitCode) {
    }

    /** Reads {@code from}'s latest backup's table of contents, as checked steps (find the backup, read its first bytes). */
    Read schema(Environment from, String command) throws InterruptedException {
        DumpToc[] toc = new DumpToc[1];
        String[] name = new String[1];
        Sequence read = new Sequence("parity scrub " + command + " " + from.name(),
                dev.parity.cli.restore.BackupSource.tableOfContents(workspace, from, (t, n) -> {
                    toc[0] = t;
                    name[0] = n.orElse(null);
                }));
        int code = read.execute(new StepContext(workspace.runner(), workspace.io()), false);
        if (code != ExitCodes.OK) return new Read(Optional.empty(), code);
        String source = from.label() + "'s latest backup" + (name[0] == null ? "" : " (" + name[0] + ")");
        return new Read(Optional.of(new Schema(BackupSchema.of(toc[0]), source)), code);
    }
}
