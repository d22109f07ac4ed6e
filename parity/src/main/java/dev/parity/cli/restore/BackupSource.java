package dev.parity.cli.restore;

import dev.parity.cli.ExitCodes;
import dev.parity.cli.Workspace;
import dev.parity.env.Environment;
import dev.parity.heroku.ApiFailures;
import dev.parity.heroku.BackupUrls;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.HerokuCli;
import dev.parity.process.Command;
import dev.parity.process.Result;
import dev.parity.steps.Action;
import dev.parity.steps.Step;
import dev.parity.steps.StepFailed;
import java.util.List;
import java.util.Optional;

/**
 * Where a restore's backup comes from: {@code --backup-url} as given, else the Postgres data API
 * (with a token), else {@code heroku pg:backups:url [ID]}. The URL is a secret: kept, never printed.
 */
public final class BackupSource {
    private final Workspace workspace;
    private final Environment from;
    private final String backupId;
    private final String backupUrl;

    BackupSource(Workspace workspace, Environment from, String backupId, String backupUrl) {
        this.workspace = workspace;
        this.from = from;
        this.backupId = backupId;
        this.backupUrl = backupUrl;
    }

    /** Which backup, in words (never the URL). */
    String describe() {
        if (backupUrl != null) return "a dump given by --backup-url (named as " + from.label() + "'s)";
        return (backupId == null ? "the latest backup" : "backup " + backupId) + " of " + from.label();
    }

    /**
     * For commands that only read a backup's table of contents ({@code parity scrub check}): the step
     * that finds {@code from}'s latest backup as a restore does, then reads the table of contents from
     * its first bytes (ranged requests, nothing else downloaded) and hands it to {@code read} with the
     * backup's name ({@code APP::b042}) when known.
     */
    public static List<Step> tableOfContents(Workspace workspace, Environment from, java.util.function.BiConsumer<dev.parity.db.DumpToc, Optional<String>> read) {
        RestoreRun run = new RestoreRun();
        return List.of(new BackupSource(workspace, from, null, null).find(run),
                new Action("read the backup's table of contents", "read the table of contents from the first bytes of <backup URL>"
                        + " (ranged requests; the data is not downloaded)", ctx -> {
                    Optional<dev.parity.db.DumpToc> toc = dev.parity.db.DumpProof.readToc(BackupTls.of(ctx.io()), run.backupUrl);
                    if (toc.isEmpty()) {
                        throw new StepFailed(ExitCodes.FAILED, "the backup's table of contents is in a newer format than parity reads");
                    }
                    read.accept(toc.get(), run.backupName);
                }));
    }

    /**
     * Whether a run will know exactly which backup it restores (name, uuid, creation time, size):
     * only through the data API, not from a --backup-url nor from the heroku CLI's bare URL.
     */
    boolean identifiable() {
        return backupUrl == null && BackupUrls.from(workspace.io().env()).isPresent();
    }

    /** Which backup a run would restore now, asked with GET requests only (for --dry-run). */
    String identityNow() throws InterruptedException, BackupUrls.NoBackup {
        return BackupUrls.from(workspace.io().env()).orElseThrow().which(from.app(), backupId).identity();
    }

    /** The step that finds the URL and puts it into {@code run}. */
    Step find(RestoreRun run) {
        if (backupUrl != null) {
            return new Action("use the given backup URL", "use --backup-url <backup URL> (a secret: never printed)", ctx -> {
                if (!backupUrl.startsWith("https://") && !backupUrl.startsWith("http://")) {
                    throw new StepFailed(ExitCodes.USAGE, "--backup-url must be an http(s) URL");
                }
                run.backupUrl = backupUrl;
            });
        }
        List<String> args = backupId == null ? List.of("pg:backups:url") : List.of("pg:backups:url", backupId);
        String which = backupId == null ? "the latest backup" : "backup " + backupId;
        Optional<BackupUrls> dataApi = BackupUrls.from(workspace.io().env());
        if (dataApi.isPresent()) {
            // the data API directly: the same two requests as the CLI, without its second of start-up
            return new Action("find " + which + " of " + from.label(), "ask the Postgres data API for its URL, as `heroku "
                    + String.join(" ", args) + " --app " + from.app() + "` does (the URL is a secret: kept, never printed)", ctx -> {
                try {
                    BackupUrls.Backup found = dataApi.get().find(from.app(), backupId);
                    run.backupUrl = found.url();
                    run.backupName = Optional.of(from.app() + "::" + found.name());
                    run.backupIdentity = Optional.of(found.identity());
                } catch (BackupUrls.NoBackup e) {
                    throw new StepFailed(ExitCodes.FAILED, e.getMessage() + "; capture one with: " + from.name() + " backup");
                } catch (HerokuApiException e) {
                    throw ApiFailures.of(e, from);
                }
            });
        }
        // no token parity can find: the CLI may still have a way; it gets no terminal input, so it cannot
        // start its interactive login (which fails on a pipe) and fails in one line instead
        Command command = HerokuCli.command(from.app(), args).captured().redactingOutput();
        return new Action("find " + which + " of " + from.label(),
                "$ " + command.display() + "   (the URL is a secret: kept, never printed)", ctx -> {
            Result r = ctx.runner().run(command);
            if (!r.ok()) {
                throw new StepFailed(r.exitCode(), "`" + command.display() + "` exited with status " + r.exitCode()
                        + "; parity found no Heroku credentials: run `heroku login`, or set HEROKU_API_KEY to one API token");
            }
            String url = r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse("");
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                throw new StepFailed(ExitCodes.FAILED, "heroku pg:backups:url printed no backup URL for " + from.app()
                        + "; capture one with: " + from.name() + " backup");
            }
            run.backupUrl = url;
        });
    }
}
