package dev.parity.cli.restore;

import dev.parity.cli.ExitCodes;
import dev.parity.cli.Workspace;
import dev.parity.db.BackupDownload;
import dev.parity.db.DevDatabase;
import dev.parity.db.LocalDatabases;
import dev.parity.db.Preflight;
import dev.parity.db.RestoreVerification;
import dev.parity.db.TableCount;
import dev.parity.env.Environment;
import dev.parity.heroku.HerokuCli;
import dev.parity.process.Command;
import dev.parity.process.Result;
import dev.parity.steps.Action;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Step;
import dev.parity.steps.StepFailed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Into a Heroku app, from another app's backup or from the local database. The source is checked
 * before the target is reset; afterwards the target's table count must match the source's.
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
        steps.add(new Action("check the backup answers", "fetch the first bytes of <backup URL>: it must be a PostgreSQL dump;"
                + " count the tables its table of contents lists (the backup's, not what the source has today)", ctx -> {
            BackupDownload.checkAnswers(run.backupUrl);
            Optional<String> toc = BackupDownload.tableOfContents(ctx.runner(), run.backupUrl);
            if (toc.isPresent()) {
                run.sourceTables = Optional.of(RestoreVerification.tables(toc.get()));
            } else {
                ctx.io().progress("parity: this pg_restore cannot list the backup (a newer PostgreSQL's?); its tables will not be compared");
            }
        }));
        if (target.isProduction()) steps.add(confirmProduction());
        steps.add(reset());
        // --confirm before the user's arguments: after a -- of theirs the CLI would not read it, and ask after the reset
        List<String> args = new ArrayList<>(List.of("pg:backups:restore", "<backup URL>", "DATABASE", "--confirm", target.app()));
        args.addAll(passOn);
        steps.add(RunProgram.deferred("restore the backup into " + target.label(), HerokuCli.command(target.app(), args), ctx -> {
            // by name (APP::b042) when known, so the CLI never prints the signed URL
            List<String> real = new ArrayList<>(args);
            real.set(1, run.backupName.orElse(run.backupUrl));
            return HerokuCli.command(target.app(), real);
        }));
        steps.add(compareTables("the backup of " + from.label()));
        return steps;
    }

    /** Development → remote: the local database must be readable before the target is reset. */
    List<Step> fromDevelopment(DevDatabase db, List<String> passOn) {
        LocalDatabases dbs = LocalDatabases.open(db, workspace.runner(), workspace.io().env());
        List<Step> steps = new ArrayList<>();
        steps.add(new Action("check the local database " + db.name(), "heroku, psql, pg_dump on PATH; pg_dump as new as the server; "
                + db.name() + " exists, pg_dump reads its schema, its tables can be counted", ctx -> {
            ctx.atEnd(dbs::close);
            Preflight.requirePrograms(ctx.runner(), "heroku", "psql", "pg_dump");
            Preflight.requireDumpClientFor(ctx.runner(), dbs.serverMajor());
            if (!dbs.exists(db.name())) {
                throw new StepFailed(ExitCodes.FAILED, "the local database " + db.name() + " does not exist; nothing was changed");
            }
            // what pg:push will run, on the schema only: permissions and versions show here, before any reset
            Command schema = db.command("pg_dump", List.of("--schema-only", "--file=/dev/null"),
                    List.of(LocalDatabases.dbnameArgument(db.name()))).captured();
            int code = ctx.runner().run(schema).exitCode();
            if (code != 0) {
                throw new StepFailed(code, "`" + schema.display() + "` exited with status " + code
                        + ": pg_dump cannot read " + db.name() + "; nothing was changed");
            }
            run.sourceTables = Optional.of(TableCount.parse(dbs.run("count the tables of " + db.name(), db.name(), TableCount.SQL)));
        }));
        if (target.isProduction()) steps.add(confirmProduction());
        steps.add(reset());
        List<String> args = new ArrayList<>(List.of("pg:push", db.pushSource(), "DATABASE_URL"));
        args.addAll(passOn);
        Command push = HerokuCli.command(target.app(), args);
        if (db.password().isPresent()) push = push.withSecretEnv("PGPASSWORD", db.password().get());
        steps.add(new RunProgram("push " + db.name() + " to " + target.label(), push));
        steps.add(compareTables("the local database"));
        return steps;
    }

    /** After the restore: the target must have as many tables as the source had ({@code what}: where they were counted). */
    private Step compareTables(String what) {
        Command count = HerokuCli.command(target.app(), "pg:psql", "-c", TableCount.SQL).captured();
        return new Action("compare table counts", "$ " + count.display() + "   (must match " + what + ")", ctx -> {
            if (run.sourceTables.isEmpty()) return;
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
            ctx.io().progress("parity: " + target.label() + " has " + TableCount.describe(after) + ", as " + what + " has");
        });
    }

    private Step reset() {
        return new RunProgram("reset the database of " + target.label(),
                HerokuCli.command(target.app(), "pg:reset", "--confirm", target.app()));
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
