package dev.parity.cli.restore;

import dev.parity.cli.ExitCodes;
import dev.parity.cli.Workspace;
import dev.parity.db.BackupDownload;
import dev.parity.db.DevDatabase;
import dev.parity.db.DumpCache;
import dev.parity.db.DumpCheck;
import dev.parity.db.LocalDatabases;
import dev.parity.db.PgRestore;
import dev.parity.db.Preflight;
import dev.parity.db.RestoreVerification;
import dev.parity.env.Environment;
import dev.parity.process.Command;
import dev.parity.steps.Action;
import dev.parity.steps.Step;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import dev.parity.ui.ProgressBar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Remote → development: download (resumable, cached), check, restore into a temporary database,
 * verify it against the dump, and only then swap it in. The development database is never
 * dropped: it becomes the previous copy, which {@code --undo} puts back.
 */
final class IntoDevelopment {
    private final Restore options;
    private final Workspace workspace;
    private final DevDatabase db;
    private final LocalDatabases dbs;
    private final RestoreRun run = new RestoreRun();

    IntoDevelopment(Restore options, Workspace workspace, DevDatabase db) {
        this.options = options;
        this.workspace = workspace;
        this.db = db;
        this.dbs = LocalDatabases.open(db, workspace.runner(), workspace.io().env());
    }

    /**
     * Parity's own connection to the server, and the lock on {@code db} it holds, for the whole run:
     * another restore or undo into the same database is refused at once, naming who holds it.
     * Registered first, so it is let go last, after the temporary database is dropped.
     */
    private Step lockAndCheck(String plan, Action.Body checks) {
        return new Action("check the local PostgreSQL", plan, ctx -> {
            ctx.atEnd(dbs::close);
            Preflight.requirePrograms(ctx.runner(), "pg_restore");
            dbs.lock();
            run.original = dbs.oid(db.name());
            ctx.onInterruptSay(() -> truth(true)); // from now on what is true can be told: it is known what the name held
            checks.run(ctx);
        });
    }

    /**
     * What is true now, read from the server: which database has the name (the one you had, the
     * restored copy, or none), never what was intended. One line, with the command that undoes it.
     */
    String truth() {
        return truth(false);
    }

    /** {@code afterCleanUp}: also say whether the temporary database is still there (it is dropped at the end). */
    String truth(boolean afterCleanUp) {
        try {
            java.util.Optional<Long> now = dbs.oid(db.name());
            java.util.Optional<Long> previous = dbs.oid(dbs.previous());
            boolean leftover = afterCleanUp && dbs.oid(dbs.temporary()).isPresent();
            String tmp = leftover ? "; the temporary database " + dbs.temporary() + " is still there (the next restore drops it)" : "";
            if (run.restored.isPresent() && now.equals(run.restored)) {
                return db.name() + " is now the restored copy" + (run.original.isPresent() && previous.equals(run.original)
                        ? "; the database you had is kept as " + dbs.previous() + " (put it back with: development restore --undo)" : "") + tmp;
            }
            if (now.equals(run.original)) {
                return db.name() + (now.isPresent() ? " was not changed" : " still does not exist") + tmp;
            }
            return db.name() + (now.isPresent() ? " is database oid " + now.get() : " does not exist")
                    + ", neither the database you had nor the restored copy: check with psql -l" + tmp;
        } catch (StepFailed | InterruptedException | RuntimeException e) {
            return "could not read back which database is " + db.name() + " (" + e.getMessage() + "): check with psql -l";
        }
    }

    List<Step> steps(Environment from, BackupSource source, List<String> passOn) {
        boolean force = options.force;
        DumpCache cache = DumpCache.under(workspace.cacheDirectory());
        List<Step> steps = new ArrayList<>();
        steps.add(lockAndCheck("pg_restore on PATH; connect to the server and take the restore lock on " + db.name()
                + " (one restore at a time, held until parity ends); no other connections to " + db.name()
                + (force ? " (--force: they will be ended at the swap)" : ""), ctx -> {
            int serverMajor = dbs.serverMajor();
            if (serverMajor < 13) { // DROP DATABASE ... WITH (FORCE), which every clean-up here relies on
                throw new StepFailed(ExitCodes.FAILED, "development restore needs a local PostgreSQL server 13 or newer; this one is "
                        + serverMajor + ". Upgrade it (or point config/database.yml at a newer one); nothing was changed");
            }
            if (!force) dbs.requireNoOtherConnections(false);
        }));
        steps.add(source.find(run));
        SnapshotSteps snapshot = new SnapshotSteps(options, workspace, dbs, run, from, source, passOn, this::truth);
        int making = steps.size(); // from here to the swap the temporary database is made: a copy of the snapshot skips it
        steps.add(new Action("download the backup", "download <backup URL> into " + cache.dir()
                + " (mode 0600; resumes; a kept dump of the same backup is reused)" + (options.keepDump ? "; kept afterwards" : ""), ctx -> {
            String key = DumpCache.key(from.app(), run.backupUrl);
            try {
                cache.prepare();
            } catch (dev.parity.db.PrivateDirectory.Unsafe e) {
                throw new StepFailed(ExitCodes.REFUSED, e.getMessage()); // others could read or swap production's data there
            } catch (IOException e) {
                throw new StepFailed(ExitCodes.FAILED, "cannot create " + cache.dir() + ": " + e.getMessage());
            }
            Path complete = cache.complete(key);
            Path part = cache.part(key);
            if (!options.keepDump) {
                ctx.deleteAtEnd(part);
                ctx.deleteAtEnd(complete);
            }
            BackupDownload.Fetched got;
            if (passOn.isEmpty()) { // the restore may start on the partial file (pg_restore's own selection options: the whole file first)
                try { // a link left by a run that was killed
                    java.nio.file.Files.deleteIfExists(cache.dir().resolve(key + ".dump.overlap"));
                } catch (IOException e) {
                    throw new StepFailed(ExitCodes.FAILED, "cannot remove " + cache.dir().resolve(key + ".dump.overlap") + ": " + e.getMessage());
                }
                OverlappedDownload download = OverlappedDownload.start(ctx, BackupTls.of(ctx.io()), run.backupUrl, complete, part,
                        new DownloadProgress(ctx, cache.dir(), true, null));
                java.util.Optional<dev.parity.db.DumpToc> toc = download.awaitTableOfContents(cache.dir().resolve(key + ".dump.overlap"));
                if (toc.isPresent()) {
                    run.overlap = new RestoreRun.Overlap(download, toc.get(), cache.dir().resolve(key + ".dump.overlap"));
                    run.dump = run.overlap.partial();
                    run.dumpBytes = download.total();
                    return;
                }
                got = download.awaitCompletion();
            } else {
                got = BackupDownload.fetch(BackupTls.of(ctx.io()), run.backupUrl, complete, part, new DownloadProgress(ctx, cache.dir(), true, null));
            }
            if (got.reused()) ctx.io().progress("parity: reusing the kept dump " + complete + " (" + ProgressBar.size(got.bytes()) + ")");
            else if (got.resumedFrom() > 0) ctx.io().progress("parity: resumed at " + ProgressBar.size(got.resumedFrom()));
            run.dump = complete;
            run.dumpBytes = got.bytes();
        }));
        dev.parity.db.TocFilter.Subset subset = options.subset();
        steps.add(new Action("check the dump", "$ pg_restore --list <dump file>   (the dump must be readable by this pg_restore)"
                + (subset.isEmpty() ? "" : "; then the listing is filtered to " + subset.describe() + SubsetListing.PLAN), ctx -> {
            run.toc = DumpCheck.check(ctx.runner(), run.dump);
            if (!passOn.isEmpty()) run.toc = DumpCheck.list(ctx.runner(), run.dump, passOn);
            if (!subset.isEmpty()) {
                run.toc = SubsetListing.write(ctx, cache, run.dump, run.toc, subset);
                run.useList = cache.dir().resolve(SubsetListing.fileName(run.dump));
            }
        }));
        steps.add(new Action("create the temporary database " + dbs.temporary(),
                "$ psql -c 'CREATE DATABASE " + dbs.temporary() + "'   (dropped again on any failure or interrupt)"
                        + (serialIndexBuilds() ? "; then ALTER DATABASE " + dbs.temporary() + " SET " + LocalDatabases.SERIAL_INDEX_BUILDS
                                + "   (parallel jobs build each index in one process; reset at the swap)" : ""), ctx -> {
            // a restored database takes about twice the compressed dump, or more; check where it will live
            // (a server on another machine or in a container keeps its own disk: nothing to check from here)
            long needed = 2 * run.dumpBytes;
            for (Path dataDir : dbs.dataDirectory().stream().toList()) {
                Preflight.requireSpace(dataDir, needed, "the restored database (about twice the dump)");
            }
            ctx.atEnd(() -> {
                // after a swap the name is gone; while it is there it is this run's (the lock keeps others out)
                // interrupted: pg_restore has been ended already (Interruption ends every child first)
                synchronized (run) {
                    if (run.swapped) return;
                    try {
                        dbs.dropIfExists(dbs.temporary());
                    } catch (StepFailed e) {
                        ctx.io().err().println("parity: could not drop " + dbs.temporary() + ": " + e.getMessage());
                    }
                }
            });
            dbs.createTemporary(serialIndexBuilds());
            run.restored = dbs.oid(dbs.temporary());
        }));
        steps.add(new Action("create schema heroku_ext", "$ psql --dbname " + dbs.temporary()
                + " -c 'CREATE SCHEMA IF NOT EXISTS heroku_ext'   (only if the dump uses it without creating it)", ctx -> {
            if (DumpCheck.needsSchema(ctx.runner(), run.dump, run.toc, "heroku_ext")) {
                dbs.run("create schema heroku_ext", dbs.temporary(), "CREATE SCHEMA IF NOT EXISTS heroku_ext");
            } else {
                ctx.io().progress("parity: skipped: the dump does not need heroku_ext created");
            }
        }));
        List<String> restoreArgs = new ArrayList<>(List.of("--no-acl", "--no-owner", "--jobs=" + options.jobs(), "--dbname",
                LocalDatabases.dbnameArgument(dbs.temporary())));
        restoreArgs.addAll(passOn);
        dev.parity.scrub.ScrubRules scrub = workspace.config().scrub();
        // With scrub rules the indexes, constraints and triggers (the dump's post-data) are built after
        // the scrub: an UPDATE of every row would otherwise write a new entry into every index (a
        // freshly restored table has no room for in-page updates), which costs more than building them
        // once, and no trigger or foreign key is there yet to get in its way. pg_restore's own options
        // (after --) may choose sections themselves: then the rules run after the whole restore.
        boolean scrubBeforeIndexes = scrub.present() && passOn.isEmpty();
        java.util.Optional<Step> scrubStep = dev.parity.scrub.ScrubStep.of(scrub, dbs.temporary(),
                (doing, sql) -> dbs.run(doing, dbs.temporary(), sql), this::truth);
        if (scrubBeforeIndexes) restoreArgs.addAll(List.of("--section=pre-data", "--section=data"));
        List<String> shownArgs = new ArrayList<>(restoreArgs);
        if (!subset.isEmpty()) shownArgs.addAll(List.of("--use-list", "<filtered listing>"));
        steps.add(new Action(scrubBeforeIndexes ? "restore the schema and the data into " + dbs.temporary() : "restore into " + dbs.temporary(),
                "$ " + pgRestoreCommand(plus(shownArgs, "<dump file>")).display()
                        + "   (its errors are read: only known-harmless ones pass)", ctx -> {
            if (run.overlap != null) { // while the download goes on
                new OverlappedRestore(ctx, this::pgRestoreCommand, List.of("--no-acl", "--no-owner", "--dbname",
                        LocalDatabases.dbnameArgument(dbs.temporary())), options.jobs(), cache.dir(), this::truth)
                        .run(run.overlap.download(), run.overlap.toc(), run.toc, !subset.isEmpty(), run.overlap.partial(), !scrubBeforeIndexes);
                run.dump = run.overlap.download().awaitWhole();
                return;
            }
            pgRestore(ctx, cache, restoreArgs);
        }));
        if (scrubBeforeIndexes) {
            scrubStep.ifPresent(steps::add);
            List<String> postData = new ArrayList<>(List.of("--no-acl", "--no-owner", "--jobs=" + options.jobs(), "--section=post-data",
                    "--dbname", LocalDatabases.dbnameArgument(dbs.temporary())));
            List<String> shownPostData = new ArrayList<>(postData);
            if (!subset.isEmpty()) shownPostData.addAll(List.of("--use-list", "<filtered listing>"));
            steps.add(new Action("build the indexes, constraints and triggers of " + dbs.temporary(),
                    "$ " + pgRestoreCommand(plus(shownPostData, "<dump file>")).display()
                            + "   (its errors are read: only known-harmless ones pass)", ctx -> pgRestore(ctx, cache, postData)));
        }
        steps.add(new Action("verify the restored database", "count tables, indexes, constraints, foreign keys, sequences, views, functions "
                + "in " + dbs.temporary() + " against the dump's table of contents" + (subset.isEmpty() ? "" : " as filtered for the subset")
                + (scrub.present() ? "" : "; count its personal-looking columns (no scrub: section in .parity.yml, so nothing is scrubbed)"), ctx -> {
            String catalog = dbs.run("read the catalog of " + dbs.temporary(), dbs.temporary(), RestoreVerification.CATALOG_SQL);
            RestoreVerification.Outcome outcome = RestoreVerification.compare(run.toc, catalog);
            if (!outcome.ok()) {
                throw new StepFailed(ExitCodes.FAILED, "the restored database is missing " + String.join("; ", outcome.missing())
                        + ". " + truth());
            }
            ctx.io().progress("parity: verified " + outcome.counts() + (subset.isEmpty() ? ", as listed in the dump" : ", as the subset lists them"));
            if (!scrub.present()) run.unscrubbed = dev.parity.scrub.UnscrubbedLine.count(scrub, (doing, sql) -> dbs.run(doing, dbs.temporary(), sql));
        }));
        if (!scrubBeforeIndexes) scrubStep.ifPresent(steps::add);
        if ("Rails".equals(workspace.project().framework())) {
            steps.add(new Action("mark the database as development (Rails)", "$ psql --dbname " + dbs.temporary()
                    + " -c \"UPDATE ar_internal_metadata SET value = 'development' WHERE key = 'environment'\"   (only if the dump has it)", ctx -> {
                if (DumpCheck.mentions(run.toc, "ar_internal_metadata")) {
                    dbs.run("mark the database as development", dbs.temporary(),
                            "UPDATE ar_internal_metadata SET value = 'development' WHERE key = 'environment'");
                } else {
                    ctx.io().progress("parity: skipped: the dump has no ar_internal_metadata");
                }
            }));
        }
        snapshot.around(steps, making);
        steps.add(new Action("swap it in as " + db.name(), "in one transaction: reset " + dbs.temporary() + "'s own settings, rename "
                + db.name() + " to " + dbs.previous()
                + " (replacing an older copy), " + dbs.temporary() + " to " + db.name()
                + (force ? " (--force: other connections are ended)" : " (stops if other connections are open)")
                + (scrub.present() ? "" : "; then one line: how many personal-looking columns arrived unscrubbed, and that"
                        + " `parity scrub init` writes a starting scrub: section for them"), ctx -> {
            synchronized (run) { // the clean-up after an interrupt waits for the swap, then reads back what is true
                if (ctx.interrupted()) throw new StepFailed(ExitCodes.INTERRUPTED, "interrupted before the swap");
                try {
                    dbs.swapIn(force, ctx::pauseAt);
                    run.swapped = true;
                } catch (dev.parity.db.LocalSql.CommitUnknown e) {
                    if (!dbs.oid(db.name()).equals(run.restored)) throw new StepFailed(ExitCodes.FAILED, e.getMessage() + ". " + truth());
                    run.swapped = true;
                    ctx.io().progress("parity: " + e.getMessage() + ", but the swap had committed");
                } catch (StepFailed e) {
                    throw new StepFailed(e.exitCode(), e.getMessage() + ". " + truth());
                }
            }
            ctx.io().progress("parity: " + truth());
            if (options.keepDump) ctx.io().progress("parity: kept the dump: " + run.dump);
            if (run.unscrubbed != null) ctx.io().progress("parity: " + run.unscrubbed);
        }));
        return steps;
    }

    /** pg_restore with {@code args} (and the subset's listing) from the whole dump; its errors are read. */
    private void pgRestore(StepContext ctx, DumpCache cache, List<String> args) throws StepFailed, InterruptedException {
        Path errors;
        try {
            errors = cache.newErrorFile();
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot create a file in " + run.dump.getParent() + ": " + e.getMessage());
        }
        ctx.deleteAtEnd(errors);
        List<String> all = new ArrayList<>(args);
        if (run.useList != null) all.addAll(List.of("--use-list", run.useList.toString()));
        PgRestore.run(ctx.runner(), ctx.io(), pgRestoreCommand(plus(all, run.dump.toString())), errors, this::truth);
    }

    /** pg_restore into the local server with {@code args}. */
    Command pgRestoreCommand(List<String> args) {
        return db.command("pg_restore", List.of(), args);
    }

    /**
     * Whether the temporary database has each index built by one process: with two pg_restore jobs
     * or more, which already keep the cores busy, each CREATE INDEX launching workers of its own only
     * crowds them (1 GB realistic dump on 2 cores, pg_restore -j2: 16.4 s against 18.8 s with the
     * server's default, medians of 7; bench/RESULTS.md). The user's own PGOPTIONS still win (a
     * session's setting overrides the database's).
     */
    private boolean serialIndexBuilds() {
        return options.jobs() >= 2;
    }

    /** What --dry-run notes about snapshots when none is used or kept, and why. */
    java.util.Optional<String> snapshotNote(Environment from, BackupSource source) {
        return new SnapshotSteps(options, workspace, dbs, run, from, source, List.of(), this::truth).note();
    }

    /** {@code development restore --drop-snapshots}. */
    List<Step> dropSnapshots() {
        return new SnapshotSteps(options, workspace, dbs, run, null, null, List.of(), this::truth).drop();
    }

    /** {@code development restore --undo}: the previous copy and the current database change places. */
    List<Step> undo() {
        boolean force = options.force;
        return List.of(new Action("put the previous copy back",
                "take the restore lock on " + db.name() + "; in one transaction: " + db.name() + " and " + dbs.previous() + " change places"
                        + (force ? " (--force: other connections are ended)" : " (stops if other connections are open)"), ctx -> {
            ctx.atEnd(dbs::close);
            dbs.lock();
            java.util.Optional<Long> was = dbs.oid(db.name());
            java.util.Optional<Long> back = dbs.oid(dbs.previous());
            ctx.onInterruptSay(() -> undoTruth(was, back));
            synchronized (run) {
                if (ctx.interrupted()) throw new StepFailed(ExitCodes.INTERRUPTED, "interrupted before the undo");
                try {
                    dbs.undo(force);
                } catch (StepFailed e) {
                    if (back.isEmpty()) throw e;
                    throw new StepFailed(e.exitCode(), e.getMessage() + ". " + undoTruth(was, back));
                }
            }
            ctx.io().progress("parity: " + undoTruth(was, back));
        }));
    }

    /** After an undo (or an interrupted one): which database has the name, read from the server. */
    private String undoTruth(java.util.Optional<Long> was, java.util.Optional<Long> back) {
        try {
            java.util.Optional<Long> now = dbs.oid(db.name());
            if (back.isPresent() && now.equals(back)) {
                return db.name() + " is the previous copy again" + (was.isPresent() && dbs.oid(dbs.previous()).equals(was)
                        ? "; the one it replaced is kept as " + dbs.previous() + " (run --undo again to switch back)" : "");
            }
            if (now.equals(was)) return db.name() + " was not changed";
            return db.name() + " is neither the database it was nor the previous copy: check with psql -l";
        } catch (StepFailed | InterruptedException | RuntimeException e) {
            return "could not read back which database is " + db.name() + " (" + e.getMessage() + "): check with psql -l";
        }
    }

    static List<String> plus(List<String> list, String last) {
        List<String> l = new ArrayList<>(list);
        l.add(last);
        return l;
    }
}
