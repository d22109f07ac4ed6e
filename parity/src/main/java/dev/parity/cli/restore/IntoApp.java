package dev.parity.cli.restore;

import dev.parity.cli.ExitCodes;
import dev.parity.cli.Workspace;
import dev.parity.db.BackupDownload;
import dev.parity.db.DevDatabase;
import dev.parity.db.DumpProof;
import dev.parity.db.LocalDatabases;
import dev.parity.db.Preflight;
import dev.parity.db.PushSource;
import dev.parity.db.RestoreVerification;
import dev.parity.db.TableCount;
import dev.parity.env.Environment;
import dev.parity.heroku.HerokuCli;
import dev.parity.process.Command;
import dev.parity.process.Result;
import dev.parity.steps.Action;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Step;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Into a Heroku app, from another app's backup or from the local database. The source is proven
 * with what the transfer itself will use before the target is reset; a backup of the target is
 * captured first (unless {@code --no-backup}) and put back if anything after the reset fails;
 * afterwards the target's table count must match the source's.
 */
final class IntoApp {
    private final Restore options;
    private final Workspace workspace;
    private final Environment target;
    private final RestoreRun run = new RestoreRun();

    IntoApp(Restore options, Workspace workspace, Environment target) {
        this.options = options;
        this.workspace = workspace;
        this.target = target;
    }

    /** Remote → remote: the source backup must exist and answer before the target is reset. */
    List<Step> fromApp(Environment from, BackupSource source, List<String> passOn) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Action("check the local tools", "heroku, pg_restore (to read the backup's table of contents), psql (for pg:psql) on PATH",
                ctx -> Preflight.requirePrograms(ctx.runner(), "heroku", "pg_restore", "psql")));
        steps.add(source.find(run));
        steps.add(new Action("check the backup is whole", "fetch the head and the table of contents of <backup URL> (ranged requests):"
                + " every byte the server announces must be served, every table's data must start inside the dump and the last"
                + " must end where it ends; when the dump records no offsets, download it whole into a private temporary directory"
                + " and read every data block. Count the tables it lists (the backup's, not what the source has today)", ctx -> {
            Path scratch;
            try {
                scratch = BackupDownload.privateDirectory();
            } catch (IOException e) {
                throw new StepFailed(ExitCodes.FAILED, "cannot create a temporary directory: " + e.getMessage() + "; nothing was changed");
            }
            ctx.deleteAtEnd(scratch);
            javax.net.ssl.SSLSocketFactory tls = BackupTls.of(ctx.io());
            DumpProof.Proven proven = DumpProof.prove(tls, run.backupUrl, scratch, new DownloadProgress(ctx, scratch, false, "the backup's table of contents does not show where its data ends"
                    + " (no offsets recorded, or no ranged reads); downloading it whole to check it"));
            ctx.io().progress("parity: the backup is whole: " + proven.how());
            Optional<String> toc = BackupDownload.tableOfContents(tls, ctx.runner(), run.backupUrl);
            if (toc.isPresent()) {
                run.sourceTables = Optional.of(RestoreVerification.tables(toc.get()));
            } else {
                ctx.io().progress("parity: this pg_restore cannot list the backup (a newer PostgreSQL's?); its tables will not be compared");
            }
        }));
        if (target.isProduction()) steps.add(confirmProduction());
        scrubTarget(steps);
        safetyNet(steps, source.describe());
        steps.add(reset());
        // --confirm before the user's arguments: after a -- of theirs the CLI would not read it, and ask after the reset
        List<String> args = new ArrayList<>(List.of("pg:backups:restore", "<backup URL>", "DATABASE", "--confirm", target.app()));
        args.addAll(passOn);
        steps.add(RunProgram.deferred("restore the backup into " + target.label(), HerokuCli.command(target.app(), args), ctx -> {
            // by name (APP::b042) when known, so the CLI never prints the signed URL
            List<String> real = new ArrayList<>(args);
            real.set(1, run.backupName.orElse(run.backupUrl));
            // a --backup-url goes to the CLI as it is, and the CLI prints it: its output is redacted on the way
            return HerokuCli.command(target.app(), real).redactingOutput();
        }));
        steps.add(compareTables("the backup of " + from.label()));
        scrub(steps);
        return steps;
    }

    /**
     * Development → remote: what {@code heroku pg:push} will be given is built once, and the check
     * runs the dump pg:push starts with it (schema only) before the target is reset.
     */
    List<Step> fromDevelopment(DevDatabase db, List<String> passOn) {
        LocalDatabases dbs = LocalDatabases.open(db, workspace.runner(), workspace.io().env());
        Optional<PushSource> push;
        StepFailed unpushable = null;
        try {
            push = Optional.of(db.pushSource());
        } catch (StepFailed e) {
            push = Optional.empty();
            unpushable = e;
        }
        StepFailed refused = unpushable;
        Optional<PushSource> source = push;
        Command check = source.map(p -> p.check(workspace.io().env())).orElse(null);
        List<Step> steps = new ArrayList<>();
        steps.add(new Action("check the local database " + db.name(), "heroku, psql, pg_dump on PATH; pg_dump as new as the server; "
                + db.name() + " exists; the dump heroku pg:push will start reads its schema"
                + (check == null ? "" : " ($ " + check.display() + ")") + "; its tables can be counted", ctx -> {
            ctx.atEnd(dbs::close);
            if (refused != null) throw refused;
            Preflight.requirePrograms(ctx.runner(), "heroku", "psql", "pg_dump");
            Preflight.requireDumpClientFor(ctx.runner(), dbs.serverMajor());
            if (!dbs.exists(db.name())) {
                throw new StepFailed(ExitCodes.FAILED, "the local database " + db.name() + " does not exist; nothing was changed");
            }
            // what pg:push will run, from the very source string it is given, on the schema only: before any reset
            int code = ctx.runner().run(check.captured()).exitCode();
            if (code != 0) {
                throw new StepFailed(code, "`" + check.display() + "` exited with status " + code
                        + ": the dump heroku pg:push would start cannot read " + db.name() + "; nothing was changed");
            }
            run.sourceTables = Optional.of(TableCount.parse(dbs.run("count the tables of " + db.name(), db.name(), TableCount.SQL)));
        }));
        if (target.isProduction()) steps.add(confirmProduction());
        scrubTarget(steps);
        safetyNet(steps, "the local database " + db.name());
        steps.add(reset());
        List<String> args = new ArrayList<>(List.of("pg:push", db.name(), "DATABASE_URL"));
        args.addAll(passOn);
        Command pushCommand = HerokuCli.command(target.app(), args);
        if (source.isPresent()) pushCommand = source.get().applyTo(pushCommand);
        pushCommand = pushCommand.redactingOutput(); // pg:push prints connection strings
        steps.add(new RunProgram("push " + db.name() + " to " + target.label(), pushCommand));
        steps.add(compareTables("the local database"));
        scrub(steps);
        return steps;
    }

    /** Whether the restore scrubs the target afterwards: the project has scrub rules, and the target is not production. */
    private boolean scrubs() {
        return workspace.config().scrub().present() && !target.isProduction();
    }

    /**
     * Before the reset: the app's DATABASE_URL, where the scrub will run, must be there and be a
     * PostgreSQL URL, or nothing is restored. Production is never scrubbed, and says so.
     */
    private void scrubTarget(List<Step> steps) {
        if (!workspace.config().scrub().present()) return;
        if (target.isProduction()) {
            steps.add(new Action("leave production unscrubbed", "the scrub: rules in .parity.yml are not applied to " + target.label()
                    + ": production's data is never scrubbed (the rules are for development and the other apps)",
                    ctx -> ctx.io().progress("parity: the scrub rules are not applied to " + target.label() + ": production's data is never scrubbed")));
            return;
        }
        String path = dev.parity.heroku.Platform.configVarsPath(target.app());
        steps.add(new Action("find the database of " + target.label() + " to scrub", "GET " + path
                + " (DATABASE_URL, never shown): it must be a PostgreSQL URL, or nothing is restored", ctx -> {
            String url;
            try {
                url = workspace.platform().configVars(target.app()).get("DATABASE_URL");
            } catch (dev.parity.heroku.HerokuApiException e) {
                throw new StepFailed(ExitCodes.FAILED, "could not read the config vars of " + target.label() + " (" + e.getMessage()
                        + "), so the scrub rules could not run there; nothing was changed");
            }
            if (url == null || url.isBlank()) {
                throw new StepFailed(ExitCodes.FAILED, target.app() + " has no DATABASE_URL config var, so the scrub rules in .parity.yml"
                        + " could not run in its database after the restore; nothing was changed");
            }
            run.scrubSql = dev.parity.scrub.AppDatabaseSql.of(ctx.runner(), target.app(), url).orElseThrow(() -> new StepFailed(ExitCodes.FAILED,
                    "the DATABASE_URL of " + target.app() + " is not a PostgreSQL URL, so the scrub rules in .parity.yml could not run"
                            + " in its database after the restore; nothing was changed"));
        }));
    }

    /** After the restore: the same rules as for development run in the target's database. */
    private void scrub(List<Step> steps) {
        if (!scrubs()) return;
        dev.parity.scrub.ScrubStep.inApp(workspace.config().scrub(), target.label(), () -> run.scrubSql,
                () -> run.safetyBackup.map(b -> "its backup from before the restore (" + b.backup() + ") is put back next, so that data does not stay there")
                        .orElse("it stays there (--no-backup: nothing to put back) until you scrub it or reset it: heroku pg:reset --app " + target.app())
                        + ". Fix the rules, then restore again",
                () -> run.done = true).ifPresent(steps::add);
    }

    /** {@code ENV restore --undo}: the backup captured before the last restore goes back (itself backed up first). */
    List<Step> undo() {
        SafetyBackups records = new SafetyBackups(workspace.cacheDirectory());
        Optional<SafetyBackups.Entry> last;
        try {
            last = records.find(target.app());
        } catch (IOException e) {
            throw new dev.parity.cli.UsageError("cannot read " + records.file(target.app()) + ": " + e.getMessage());
        }
        if (last.isEmpty()) {
            throw new dev.parity.cli.UsageError("no backup from before a restore is recorded for " + target.label() + " (in "
                    + records.dir() + "); see its backups with: heroku pg:backups --app " + target.app(), ExitCodes.FAILED);
        }
        SafetyBackups.Entry entry = last.get();
        List<Step> steps = new ArrayList<>();
        steps.add(new Action("check the local tools", "heroku on PATH", ctx -> Preflight.requirePrograms(ctx.runner(), "heroku")));
        if (target.isProduction()) steps.add(confirmProduction());
        safetyNet(steps, "backup " + entry.backup() + " of " + target.label() + " (restore --undo)");
        Command restore = SafetyNet.restoreCommand(target.app(), entry.backup());
        Step put = new RunProgram("put back backup " + entry.backup() + " (" + target.app() + ", taken " + entry.capturedAt()
                + " before restoring " + entry.restored() + ")", restore);
        steps.add(touching(put));
        steps.add(new Action("done", "say which backup is back", ctx -> {
            run.done = true;
            ctx.io().progress("parity: " + target.label() + " has backup " + entry.backup() + " again"
                    + (run.safetyBackup.isPresent() ? "; what it had is backup " + run.safetyBackup.get().backup()
                    + " (run --undo again to switch back)" : ""));
        }));
        return steps;
    }

    /** The capture step, unless --no-backup; the step that resets is marked as the point from which a failure puts it back. */
    private void safetyNet(List<Step> steps, String restored) {
        if (options.noBackup) return;
        steps.add(new SafetyNet(target, run, new SafetyBackups(workspace.cacheDirectory()), restored).captureStep());
    }

    /** {@code step}, after which a failure means the target may have changed. */
    private Step touching(Step step) {
        return new Step() {
            @Override
            public String name() {
                return step.name();
            }

            @Override
            public String plan() {
                return step.plan();
            }

            @Override
            public void run(StepContext context) throws StepFailed, InterruptedException {
                run.targetTouched = true;
                step.run(context);
            }
        };
    }

    /** After the restore: the target must have as many tables as the source had ({@code what}: where they were counted). */
    private Step compareTables(String what) {
        Command count = HerokuCli.command(target.app(), "pg:psql", "-c", TableCount.SQL).captured();
        boolean last = !scrubs(); // with a scrub after it, the restore is done when the scrub is
        return new Action("compare table counts", "$ " + count.display() + "   (must match " + what + ")", ctx -> {
            if (run.sourceTables.isEmpty()) {
                run.done = last;
                return;
            }
            Result r = ctx.runner().run(count);
            if (!r.ok()) {
                throw new StepFailed(r.exitCode(), "could not count the tables of " + target.label()
                        + " after the restore: heroku pg:psql exited with status " + r.exitCode());
            }
            long after = TableCount.parse(r.stdout());
            long before = run.sourceTables.get();
            if (after != before) {
                throw new StepFailed(ExitCodes.FAILED, "the restore finished, but " + target.label() + " has " + TableCount.describe(after)
                        + " where " + what + " has " + before + ": check the restore's output above");
            }
            run.done = last;
            ctx.io().progress("parity: " + target.label() + " has " + TableCount.describe(after) + ", as " + what + " has");
        });
    }

    private Step reset() {
        return touching(new RunProgram("reset the database of " + target.label(),
                HerokuCli.command(target.app(), "pg:reset", "--confirm", target.app())));
    }

    /** Production is only overwritten by someone who typed its name (or passed it with --confirm). */
    private Step confirmProduction() {
        String confirm = options.confirm;
        String plan = confirm != null ? "check --confirm " + confirm + " matches " + target.app()
                : "ask to type " + target.app() + " to confirm";
        return new Action("confirm overwriting " + target.label(), plan, ctx -> {
            String typed = confirm;
            if (typed == null) {
                if (!ctx.io().interactive()) {
                    throw new StepFailed(ExitCodes.REFUSED, "no terminal to confirm on; pass --confirm " + target.app());
                }
                typed = ctx.io().ask("This replaces the database of " + target.label() + ". Type " + target.app() + " to continue: ");
            }
            if (typed == null || !typed.strip().equals(target.app())) {
                throw new StepFailed(ExitCodes.REFUSED, "confirmation " + (typed == null ? "missing" : "'" + typed.strip() + "'")
                        + " did not match " + target.app() + "; nothing was changed");
            }
        });
    }
}
