package dev.parity.cli;

import dev.parity.db.DevDatabase;
import dev.parity.db.PrivateDirectory;
import dev.parity.heroku.HerokuToken;
import dev.parity.steps.Action;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Sequence;
import dev.parity.steps.Step;
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
@Command(name = "backup", header = "Capture a backup (development: a local pg_dump file).", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Capture a backup. Heroku apps: heroku pg:backups:capture (arguments passed on).",
                "development: pg_dump -Fc of the local database into ~/.cache/parity/backups (0600 files in a 0700 directory)."})
final class Backup extends ArgumentsVerb {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    @Override
    protected Sequence sequence() throws InterruptedException {
        if (environment().isDevelopment()) return localBackup();
        Sequence capture = herokuStep("backup", "capture a backup of", "pg:backups:capture");
        List<Step> steps = new ArrayList<>();
        steps.add(credentialsCheck());
        steps.addAll(capture.steps());
        return new Sequence(title("backup"), steps, capture.notes());
    }

    /** Without credentials the heroku CLI starts an interactive login, which fails without a terminal. */
    private Action credentialsCheck() {
        return new Action("check Heroku credentials", "HEROKU_API_KEY or ~/.netrc holds an API token (else: heroku login)",
                ctx -> HerokuToken.require(workspace.io().env()));
    }

    private Sequence localBackup() {
        DevDatabase db = workspace.developmentDatabase();
        Path dir = workspace.cacheDirectory().resolve("backups");
        // a database name may hold '/': the file stays a file of its own inside the private directory
        Path file = dir.resolve(db.name().replace('/', '_') + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + ".dump");
        List<String> after = new ArrayList<>(List.of("--format=custom", "--file", file.toString()));
        after.addAll(args);
        after.add(dev.parity.db.LocalDatabases.dbnameArgument(db.name())); // never read as a connection string
        boolean[] done = {false};
        return new Sequence(title("backup"), List.of(
                new Action("create the backup file", "mkdir -m 700 " + dir + "; a new file only you can read (0600)", ctx -> {
                    try {
                        PrivateDirectory.prepare(dir);
                        PrivateDirectory.newFile(file); // pg_dump keeps the mode of the file it overwrites
                    } catch (PrivateDirectory.Unsafe e) {
                        throw new StepFailed(ExitCodes.REFUSED, e.getMessage());
                    } catch (IOException e) {
                        throw new StepFailed(ExitCodes.FAILED, "cannot create " + file + ": " + e.getMessage());
                    }
                    ctx.atEnd(() -> { // a failed or interrupted dump leaves no half-written backup
                        if (!done[0]) {
                            try {
                                Files.deleteIfExists(file);
                            } catch (IOException ignored) {
                                // reported by the step that failed
                            }
                        }
                    });
                }),
                new RunProgram("dump " + db.name(), db.command("pg_dump", List.of(), after)),
                new Action("report", "print the backup's path", ctx -> {
                    done[0] = true;
                    ctx.io().out().println(file);
                })),
                List.of("database: " + db.name() + " (from " + db.source() + ")"));
    }
}
