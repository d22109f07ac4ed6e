package dev.parity.cli;

import dev.parity.db.DevDatabase;
import dev.parity.env.Environment;
import dev.parity.heroku.HerokuCli;
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
import picocli.CommandLine.Parameters;

/** A backup: Heroku's own for an app, a local pg_dump file for development. */
@Command(name = "backup", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Capture a backup. Heroku apps: heroku pg:backups:capture (arguments passed on).",
                "development: pg_dump -Fc of the local database into ~/.cache/parity/backups."})
final class Backup extends Verb {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    @Parameters(arity = "0..*", paramLabel = "ARG", description = "Arguments for heroku pg:backups:capture.")
    List<String> args = new ArrayList<>();

    @Override
    boolean passesUnknownOptions() {
        return true;
    }

    @Override
    protected Sequence sequence() throws InterruptedException {
        Environment env = environment();
        if (env.isDevelopment()) return localBackup();
        List<String> argv = new ArrayList<>(List.of("pg:backups:capture"));
        argv.addAll(args);
        return new Sequence(title("backup"), List.of(new RunProgram("capture a backup of " + env.app(),
                HerokuCli.command(env.app(), argv))), List.of("app: " + env.app() + " (from " + env.source() + ")"));
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
