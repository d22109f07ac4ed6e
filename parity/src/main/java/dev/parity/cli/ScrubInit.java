package dev.parity.cli;

import dev.parity.config.ParityConfig;
import dev.parity.env.Environment;
import dev.parity.scrub.ScrubRules;
import dev.parity.scrub.StarterRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parity scrub init [ENV]}: appends a starting {@code scrub:} section for the
 * personal-looking columns of ENV's latest backup to {@code .parity.yml}, as text after what is
 * there (the file's own lines and comments stay as they are). An existing section is never
 * overwritten. {@code --stdout} prints the section instead.
 */
@Command(name = "init", header = "Append a starting scrub: section for ENV's latest backup to .parity.yml.",
        mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Append a starting scrub: section to .parity.yml: one rule per personal-looking column of ENV's latest",
                "backup (default: production), chosen by its name, to be reviewed. The rest of the file is kept as it is.",
                "Refused (exit 2) when .parity.yml already has a scrub: section (--stdout still prints one)."})
final class ScrubInit implements Callable<Integer> {
    @ParentCommand
    Scrub scrub;

    @Parameters(index = "0", arity = "0..1", defaultValue = "production", paramLabel = "ENV", description = "The environment whose latest backup is read (default: production).")
    String env;

    @Option(names = "--stdout", description = "Print the section instead of writing it.")
    boolean stdout;

    @Override
    public Integer call() throws InterruptedException {
        Workspace w = scrub.workspace;
        Path file = w.root().resolve(ParityConfig.FILE);
        String text = read(file);
        ScrubRules rules = w.config().scrub();
        if (!stdout && (rules.present() || StarterRules.hasSection(text))) {
            throw new UsageError(ParityConfig.FILE + " already has a scrub: section; scrub init does not overwrite it"
                    + " (parity scrub check shows what it leaves uncovered; --stdout prints a fresh section)");
        }
        Environment from = scrub.environment(env);
        Scrub.Read read = scrub.schema(from, "init");
        if (read.schema().isEmpty()) return read.exitCode();
        Scrub.Schema schema = read.schema().get();
        String section = StarterRules.section(schema.tables(), rules.personal(), schema.source());
        if (stdout) {
            w.io().out().print(section);
            return ExitCodes.OK;
        }
        if (!read(file).equals(text)) {
            throw new UsageError(ParityConfig.FILE + " changed while its backup was read; run parity scrub init again", ExitCodes.FAILED);
        }
        write(file, StarterRules.append(text, section));
        long rulesWritten = section.lines().filter(l -> l.startsWith("    ")).count();
        w.io().out().println("wrote a scrub: section with " + rulesWritten + " rule" + (rulesWritten == 1 ? "" : "s")
                + " to " + ParityConfig.FILE + "; review every rule, then: parity scrub check " + env);
        return ExitCodes.OK;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UsageError("cannot read " + file + ": " + e.getMessage(), ExitCodes.FAILED);
        }
    }

    /** Written beside it and renamed over it: a failed write leaves the file as it was. */
    private static void write(Path file, String text) {
        Path next = file.resolveSibling(file.getFileName() + ".parity-scrub-init");
        try {
            Files.writeString(next, text);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(next);
            } catch (IOException ignored) {
                // the message below says what failed
            }
            throw new UsageError("cannot write " + file + ": " + e.getMessage() + " (it was not changed)", ExitCodes.FAILED);
        }
    }
}
