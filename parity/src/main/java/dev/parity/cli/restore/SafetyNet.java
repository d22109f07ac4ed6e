package dev.parity.cli.restore;

import dev.parity.cli.ExitCodes;
import dev.parity.env.Environment;
import dev.parity.heroku.BackupCapture;
import dev.parity.heroku.HerokuCli;
import dev.parity.process.Command;
import dev.parity.steps.Action;
import dev.parity.steps.Interruption;
import dev.parity.steps.Step;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The safety net under a remote restore: before the target is reset, a backup of it is captured
 * ({@code heroku pg:backups:capture}) and its name recorded locally ({@link SafetyBackups}); if any
 * step after the reset fails, that backup is restored at once and the user is told so (after
 * Ctrl-C or SIGTERM, parity stops and says what to run instead). The same record lets
 * {@code ENV restore --undo} put it back later.
 */
final class SafetyNet {
    private final Environment target;
    private final RestoreRun run;
    private final SafetyBackups records;
    private final String restored;

    /** {@code restored}: what the restore brings in, for the record (e.g. "the latest backup of production (store-production)"). */
    SafetyNet(Environment target, RestoreRun run, SafetyBackups records, String restored) {
        this.target = target;
        this.run = run;
        this.records = records;
        this.restored = restored;
    }

    /** {@code heroku pg:backups:restore APP::b042 DATABASE --confirm APP --app APP}. */
    static Command restoreCommand(String app, String backup) {
        return HerokuCli.command(app, "pg:backups:restore", app + "::" + backup, "DATABASE", "--confirm", app);
    }

    Command capture() {
        return BackupCapture.command(target.app());
    }

    /** The capture step; from its success on, a failure after the reset puts the backup back. */
    Step captureStep() {
        Command capture = capture();
        return new Action("back up the database of " + target.label(), "$ " + capture.display() + "   (the backup's name is recorded in "
                + records.file(target.app()) + "; if a later step fails it is put back at once: $ "
                + restoreCommand(target.app(), "<backup>").display() + ")", ctx -> {
            String name = captureNamed(ctx, capture);
            SafetyBackups.Entry entry = new SafetyBackups.Entry(target.app(), name, Instant.now(), restored);
            try {
                records.save(entry);
            } catch (IOException e) {
                throw new StepFailed(ExitCodes.FAILED, "captured backup " + name + " of " + target.label() + " but cannot record it in "
                        + records.dir() + ": " + e.getMessage() + "; nothing was changed");
            }
            run.safetyBackup = Optional.of(entry);
            Command putBack = restoreCommand(target.app(), name);
            ctx.atEnd(() -> {
                // a failure puts it back at once; an interrupt (the user wants parity to stop) says what to run instead
                if (run.targetTouched && !run.done && !Interruption.interrupted()) putBack(ctx, entry);
            });
            ctx.onInterruptSay(() -> !run.targetTouched ? target.label() + " was not changed"
                    : run.done ? target.label() + " has the restored database; what it had is backup " + name
                    : target.label() + " was reset and may be empty: put back its backup from before the restore with: "
                            + putBack.display() + "   (or: " + target.name() + " restore --undo)");
            ctx.io().progress("parity: " + target.label() + "'s database before this restore is backup " + name
                    + " (put it back later with: " + target.name() + " restore --undo)");
        });
    }

    /** Runs the capture and finds the backup's name in what it said. */
    private String captureNamed(StepContext ctx, Command capture) throws StepFailed, InterruptedException {
        BackupCapture.Outcome r = BackupCapture.run(ctx, capture);
        if (!r.ok()) {
            throw new StepFailed(r.exitCode(), "could not back up " + target.label() + " before resetting it: `" + capture.display()
                    + "` exited with status " + r.exitCode() + "; nothing was changed (to restore without a safety backup: --no-backup)");
        }
        return r.name().orElseThrow(() -> new StepFailed(ExitCodes.FAILED, "heroku pg:backups:capture finished but did not say the backup's name, so it could not be put"
                + " back; nothing was changed (see `heroku pg:backups --app " + target.app() + "`; to restore without a safety backup: --no-backup)"));
    }

    /** After a failure past the reset: the safety backup goes back, and the user is told what happened either way. */
    private void putBack(StepContext ctx, SafetyBackups.Entry entry) throws InterruptedException {
        Command restore = restoreCommand(target.app(), entry.backup());
        ctx.io().err().println("parity: the restore failed after " + target.label() + " was reset; putting back its backup " + entry.backup()
                + " from before the restore");
        ctx.io().err().println("parity: $ " + restore.display());
        int code;
        try {
            code = ctx.runner().run(restore).exitCode();
        } catch (RuntimeException e) {
            code = -1;
        }
        if (code == 0) {
            ctx.io().err().println("parity: " + target.label() + " has its database from before the restore again (backup " + entry.backup() + ")");
        } else {
            ctx.io().err().println("parity: putting back backup " + entry.backup() + " failed too" + (code > 0 ? " (status " + code + ")" : "")
                    + "; " + target.label() + " may be empty. Put it back with: " + restore.display() + "   (or: " + target.name()
                    + " restore --undo)");
        }
    }

}
