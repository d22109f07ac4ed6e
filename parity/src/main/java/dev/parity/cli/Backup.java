package dev.parity.cli;

import dev.parity.db.DevDatabase;
import dev.parity.steps.Action;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Sequence;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** A backup: Heroku's own for an app, a local pg_dump file for development. */
@Command(name = "backup", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Capture a backup. Heroku apps: heroku pg:backups:capture (arguments passed on).",
                "development: pg_dump -Fc of the local database into ~/.cache/parity/backups."})
final class Backup extends ArgumentsVerb {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    @Override
    protected Sequence sequence() throws InterruptedException {
        if (environment().isDevelopment()) return localBackup();
        return herokuStep("backup", "capture a backup of", "pg:backups:capture");
    }

    private Sequence localBackup() {
        DevDatabase db = workspace.developmentDatabase();
        Path dir = workspace.cacheDirectory().resolve("backups");
        Path file = dir.resolve(db.name() + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + ".dump");
        List<String> after = new ArrayList<>(List.of("--format=custom", "--file", file.toString()));
        after.addAll(args);
        after.add(db.name());
        return new Sequence(title("backup"), List.of(
                new Action("create the backup directory", "mkdir -p " + dir, ctx -> {
                    try {
                        Files.createDirectories(dir);
                    } catch (IOException e) {
                        throw new StepFailed(ExitCodes.FAILED, "cannot create " + dir + ": " + e.getMessage());
                    }
                }),
                new RunProgram("dump " + db.name(), db.command("pg_dump", List.of(), after)),
                new Action("report", "print the backup's path", ctx -> ctx.io().out().println(file))),
                List.of("database: " + db.name() + " (from " + db.source() + ")"));
    }
}
