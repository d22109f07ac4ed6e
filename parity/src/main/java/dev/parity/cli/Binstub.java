package dev.parity.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes {@code bin/NAME}, a launcher for a custom environment (one per developer, say). */
@Command(name = "binstub", header = "Write bin/NAME, a launcher for a custom environment NAME.", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Write bin/NAME so that `bin/NAME VERB` means `parity NAME VERB` (for a custom environment).")
final class Binstub implements Callable<Integer>, ToolCommand {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Set<String> RESERVED = Set.of("pr_app", "parity", "binstub", "completion", "environments", "demo", "scrub");

    @Parameters(index = "0", paramLabel = "NAME", description = "The environment's name (its git remote or .parity.yml entry).")
    String name;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    private Workspace workspace;

    @Override
    public void bind(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        if (!NAME.matcher(name).matches() || RESERVED.contains(name)) {
            throw new UsageError("'" + name + "' cannot be an environment name (letters, digits, '.', '_' and '-'; not "
                    + String.join(", ", RESERVED.stream().sorted().toList()) + ")");
        }
        Path file = workspace.root().resolve("bin").resolve(name);
        if (Files.exists(file) && !force) {
            throw new UsageError(workspace.root().relativize(file) + " already exists; pass --force to overwrite it");
        }
        String script = "#!/bin/sh\n"
                + "# The " + name + " environment: `bin/" + name + " VERB ARGS` runs `parity " + name + " VERB ARGS`.\n"
                + "exec parity " + name + " \"$@\"\n";
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, script);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UsageError("cannot write " + file + ": " + e.getMessage(), ExitCodes.FAILED);
        }
        workspace.io().out().println(workspace.root().relativize(file));
        return ExitCodes.OK;
    }
}
