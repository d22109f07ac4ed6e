package dev.parity.heroku;

import dev.parity.db.BackupDownload;
import dev.parity.process.Command;
import dev.parity.process.Result;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code heroku pg:backups:capture} through the pinned CLI, its progress lines shown, and the
 * backup's name read from them ({@code Backing up DATABASE to b042... done}). A restore's safety
 * net and a deploy's backup before migrating both capture this way.
 */
public final class BackupCapture {
    private static final Pattern CAPTURED = Pattern.compile("Backing up \\S+ to ([a-z]\\d+)");

    /** How the capture ended: the CLI's status, and the backup's name when it said one. */
    public record Outcome(int exitCode, Optional<String> name) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private BackupCapture() {}

    /** {@code heroku pg:backups:capture --app APP}, output kept to find the name. */
    public static Command command(String app) {
        return HerokuCli.command(app, "pg:backups:capture").captured();
    }

    /** Runs {@code capture}, shows what it said as progress, and finds the backup's name in it. */
    public static Outcome run(StepContext ctx, Command capture) throws StepFailed, InterruptedException {
        Path dir;
        try {
            dir = BackupDownload.privateDirectory();
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot create a temporary directory: " + e.getMessage());
        }
        ctx.deleteAtEnd(dir);
        Path errors = dir.resolve("capture.err");
        Result r = ctx.runner().run(capture.errorsTo(errors));
        String said = r.stdout() + "\n" + read(errors);
        said.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> ctx.io().progress("  " + l));
        Matcher m = CAPTURED.matcher(said);
        String name = null;
        while (m.find()) name = m.group(1);
        return new Outcome(r.exitCode(), Optional.ofNullable(name));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
