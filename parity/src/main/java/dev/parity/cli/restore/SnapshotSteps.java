package dev.parity.cli.restore;

import dev.parity.cli.Workspace;
import dev.parity.db.LocalDatabases;
import dev.parity.db.PrivateDirectory;
import dev.parity.db.RestoreVerification;
import dev.parity.db.SnapshotContents;
import dev.parity.db.Snapshots;
import dev.parity.env.Environment;
import dev.parity.steps.Action;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.Step;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import dev.parity.ui.ProgressBar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Instant re-restores into development: the steps that copy the snapshot of the same backup into
 * the temporary database instead of downloading and restoring it, and that keep a snapshot of a
 * restored (verified, scrubbed) temporary database for the next restore. Off with --no-snapshot
 * or {@code development: {snapshots: false}}; --fresh restores the backup and replaces the snapshot.
 * Only a backup found through the data API has an identity (name, uuid, creation time, size), so
 * only those restores use or keep one.
 */
final class SnapshotSteps {
    private final Restore options;
    private final Workspace workspace;
    private final LocalDatabases dbs;
    private final Snapshots snapshots;
    private final RestoreRun run;
    private final Environment from;
    private final BackupSource source;
    private final Supplier<String> truth;
    /** What this restore's data is, but the backup (known once it is found) and the listing (known once it is read). */
    private final SnapshotContents shape;

    SnapshotSteps(Restore options, Workspace workspace, LocalDatabases dbs, RestoreRun run, Environment from, BackupSource source,
                  List<String> passOn, Supplier<String> truth) {
        this.options = options;
        this.workspace = workspace;
        this.dbs = dbs;
        this.snapshots = new Snapshots(dbs);
        this.run = run;
        this.from = from;
        this.source = source;
        this.truth = truth;
        dev.parity.db.TocFilter.Subset subset = options.subset();
        List<String> subsetLines = new ArrayList<>();
        subsetLines.add("only " + sorted(subset.only()));
        subsetLines.add("exclude " + sorted(subset.exclude()));
        subsetLines.add("exclude-data " + sorted(subset.excludeData()));
        subsetLines.add("pg_restore " + String.join("\u0000", passOn)); // -n/-t selections shape the data too
        subsetLines.add("rails " + "Rails".equals(workspace.project().framework())); // the environment mark is in the snapshot
        dev.parity.scrub.ScrubRules rules = workspace.config().scrub();
        List<String> scrubLines = new ArrayList<>(rules.describeLines());
        scrubLines.add("present " + rules.present());
        scrubLines.add("personal " + String.join(",", rules.personal()));
        this.shape = new SnapshotContents("?", SnapshotContents.digest(subsetLines), SnapshotContents.digest(scrubLines), "?");
    }

    private static String sorted(List<String> l) {
        return String.join(",", l.stream().sorted().toList());
    }

    /** Why no snapshot is used or kept, whatever is on the server; empty when they are. */
    Optional<String> off() {
        if (options.noSnapshot) return Optional.of("--no-snapshot");
        if (!workspace.config().development().snapshots()) return Optional.of("development: snapshots: false in .parity.yml");
        if (!source.identifiable()) {
            return Optional.of("parity tells one backup from another (name, creation time, size) only through the data API"
                    + (source.describe().contains("--backup-url") ? ", not for --backup-url" : ", with a Heroku API token"));
        }
        return Optional.empty();
    }

    /** What --dry-run notes about the snapshot when none is used or kept. */
    Optional<String> note() {
        return off().map(why -> "snapshot: none used or kept (" + why + ")");
    }

    /**
     * {@code steps} from {@code first} on make the temporary database (download, restore, verify,
     * scrub, …); they are skipped when the temporary database is a verified copy of the snapshot.
     * Before them comes the copy, after them the keeping of a snapshot. Nothing changes when snapshots are off.
     */
    void around(List<Step> steps, int first) {
        if (off().isPresent()) return;
        List<Step> making = new ArrayList<>(steps.subList(first, steps.size()));
        steps.subList(first, steps.size()).clear();
        steps.add(copy(first + 2 + making.size()));
        for (Step s : making) steps.add(unlessCopied(s));
        steps.add(keep());
    }

    private String name() {
        return snapshots.name(from.name());
    }

    private Path listingFile() {
        return workspace.cacheDirectory().resolve("snapshots").resolve(name() + ".list");
    }

    /** The step that copies the snapshot when it holds this same backup, shaped the same way. */
    private Step copy(int keepStep) {
        String name = "copy the snapshot of " + from.name() + " if it holds this backup";
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String plan() {
                return "if " + SnapshotSteps.this.name() + " holds this same backup (its name, uuid, creation time and size from the data API),"
                        + " restored with the same subset and scrub rules" + (options.fresh ? " (not with --fresh)" : "")
                        + ": $ psql -c 'CREATE DATABASE " + dbs.temporary() + " TEMPLATE " + SnapshotSteps.this.name()
                        + " STRATEGY FILE_COPY', verify the copy against the listing kept with the snapshot, and skip the steps up to " + keepStep
                        + "; else (or if the copy fails its verification) download and restore as usual. " + verdictNow();
            }

            @Override
            public void run(StepContext ctx) throws StepFailed, InterruptedException {
                copyIfSame(ctx);
            }
        };
    }

    /** For --dry-run: whether the snapshot would be used now, and why (read-only look-ups; a failure to look is said). */
    private String verdictNow() {
        if (options.fresh) return "Now: not used (--fresh); the backup is restored and a snapshot of it kept.";
        try {
            Optional<SnapshotContents> there = snapshots.holds(from.name()).flatMap(SnapshotContents::parse);
            if (there.isEmpty()) return "Now: there is no snapshot of " + from.name() + " yet; one is kept after this restore.";
            SnapshotContents wanted = new SnapshotContents(source.identityNow(), shape.subset(), shape.scrub(), "?");
            Optional<String> why = there.get().whyNot(wanted);
            return why.map(w -> "Now: not used, " + w + "; it is replaced after this restore.")
                    .orElse("Now: it would be used (it holds " + wanted.backup() + ", restored the same way).");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Now: not looked up (interrupted).";
        } catch (Exception e) {
            return "Now: could not look (" + e.getMessage() + ").";
        }
    }

    private void copyIfSame(StepContext ctx) throws StepFailed, InterruptedException {
        String backup = run.backupIdentity.orElse(null);
        if (backup == null) {
            ctx.io().progress("parity: no snapshot used: the backup's identity is not known");
            return;
        }
        if (options.fresh) {
            ctx.io().progress("parity: --fresh: the snapshot is not used; the backup is restored, and the snapshot replaced afterwards");
            return;
        }
        Optional<SnapshotContents> there = snapshots.holds(from.name()).flatMap(SnapshotContents::parse);
        if (there.isEmpty()) {
            ctx.io().progress("parity: no snapshot of " + from.name() + " yet: restoring the backup (a snapshot of it is kept afterwards)");
            return;
        }
        Optional<String> why = there.get().whyNot(new SnapshotContents(backup, shape.subset(), shape.scrub(), "?"));
        if (why.isPresent()) {
            ctx.io().progress("parity: the snapshot " + name() + " is not used: " + why.get() + "; restoring the backup (the snapshot is replaced afterwards)");
            return;
        }
        String listing;
        try {
            listing = Files.readString(listingFile());
        } catch (IOException e) {
            listing = null;
        }
        if (listing == null || !SnapshotContents.sha256(listing).equals(there.get().listing())) {
            ctx.io().progress("parity: the snapshot " + name() + " is not used: the listing kept with it (" + listingFile()
                    + ") is missing or changed; restoring the backup");
            return;
        }
        long size = snapshots.size(name());
        for (Path dataDir : dbs.dataDirectory().stream().toList()) {
            dev.parity.db.Preflight.requireSpace(dataDir, size, "a copy of the snapshot " + name());
        }
        ctx.atEnd(() -> dropTemporaryUnlessSwapped(ctx));
        long started = System.nanoTime();
        try {
            dbs.dropIfExists(dbs.temporary()); // left by an earlier run that was killed
            snapshots.copyInto(from.name(), dbs.temporary());
        } catch (StepFailed e) {
            if (ctx.interrupted()) throw e;
            ctx.io().progress("parity: could not copy the snapshot " + name() + " (" + e.getMessage() + "); restoring the backup instead");
            dbs.dropIfExists(dbs.temporary());
            return;
        }
        run.restored = dbs.oid(dbs.temporary());
        String catalog = dbs.run("read the catalog of " + dbs.temporary(), dbs.temporary(), RestoreVerification.CATALOG_SQL);
        RestoreVerification.Outcome outcome = RestoreVerification.compare(listing, catalog);
        if (!outcome.ok()) {
            ctx.io().progress("parity: the copy of the snapshot is missing " + String.join("; ", outcome.missing())
                    + "; dropping the snapshot and restoring the backup instead");
            dbs.dropIfExists(dbs.temporary());
            snapshots.drop(name());
            run.restored = Optional.empty();
            return;
        }
        run.toc = listing;
        run.fromSnapshot = true;
        ctx.io().progress("parity: copied the snapshot " + name() + " (" + backup.split(" ")[0] + ") in "
                + String.format("%.1f s", (System.nanoTime() - started) / 1e9) + ": nothing to download or restore");
        ctx.io().progress("parity: verified " + outcome.counts() + ", as listed in the dump the snapshot was restored from");
    }

    /** Interrupted while a copy runs: it is cancelled (else it finishes after parity), then the temporary database is dropped. */
    private void dropTemporaryUnlessSwapped(StepContext ctx) throws InterruptedException {
        try {
            if (ctx.interrupted()) snapshots.cancelCopies();
            synchronized (run) {
                if (run.swapped) return;
                dbs.dropIfExists(dbs.temporary());
            }
        } catch (StepFailed e) {
            ctx.io().err().println("parity: could not drop " + dbs.temporary() + ": " + e.getMessage());
        }
    }

    /** {@code step}, skipped when the temporary database is a verified copy of the snapshot. */
    private Step unlessCopied(Step step) {
        return new Step() {
            @Override
            public String name() {
                return step.name();
            }

            @Override
            public String plan() {
                return step.plan() + "   (skipped when the snapshot was copied)";
            }

            @Override
            public void run(StepContext ctx) throws StepFailed, InterruptedException {
                if (run.fromSnapshot) {
                    ctx.io().progress("parity: skipped: the temporary database is a copy of the snapshot");
                    return;
                }
                step.run(ctx);
            }
        };
    }

    /** Keeps the verified, scrubbed temporary database as the snapshot; failing here only costs the snapshot, never the restore. */
    private Step keep() {
        return new Action("keep a snapshot of this backup", "copy " + dbs.temporary() + " (verified and scrubbed) as " + name()
                + ", replacing the snapshot there was: made as " + snapshots.making(from.name()) + " and renamed when complete,"
                + " closed to connections; its size on disk is shown (drop snapshots with: development restore --drop-snapshots)."
                + " Skipped when the temporary database is a copy of the snapshot; if it fails the restore goes on without one", ctx -> {
            if (run.fromSnapshot || run.backupIdentity.isEmpty()) return;
            ctx.atEnd(() -> {
                if (!ctx.interrupted()) return;
                try {
                    snapshots.cancelCopies();
                    snapshots.drop(snapshots.making(from.name()));
                } catch (StepFailed e) {
                    ctx.io().err().println("parity: could not drop " + snapshots.making(from.name()) + ": " + e.getMessage());
                }
            });
            try {
                long size = snapshots.size(dbs.temporary());
                for (Path dataDir : dbs.dataDirectory().stream().toList()) {
                    dev.parity.db.Preflight.requireSpace(dataDir, size + size / 10, "a snapshot");
                }
                Path file = listingFile();
                PrivateDirectory.prepare(file.getParent());
                String listing = run.toc;
                SnapshotContents contents = new SnapshotContents(run.backupIdentity.get(), shape.subset(), shape.scrub(), SnapshotContents.sha256(listing));
                ctx.pauseAt("snapshot:before");
                snapshots.make(from.name(), dbs.temporary(), contents.format(), () -> {
                    try {
                        writePrivate(file, listing);
                    } catch (IOException e) {
                        throw new StepFailed(ExitCodes.FAILED, "cannot write " + file + ": " + e.getMessage());
                    }
                    ctx.pauseAt("snapshot:made");
                    // interrupted: the complete copy is not named the snapshot (the clean-up drops it)
                    if (ctx.interrupted()) throw new StepFailed(ExitCodes.INTERRUPTED, "interrupted before the snapshot was named");
                });
                ctx.io().progress("parity: kept " + name() + " (" + ProgressBar.size(snapshots.size(name())) + " on disk): the next restore of "
                        + run.backupIdentity.get().split(" ")[0] + " copies it instead of downloading; drop it with: development restore --drop-snapshots");
            } catch (StepFailed | IOException e) {
                if (ctx.interrupted()) throw new StepFailed(ExitCodes.INTERRUPTED, "interrupted while keeping the snapshot");
                ctx.io().progress("parity: no snapshot kept (" + e.getMessage().replaceFirst("; nothing was changed$", "") + "); the restore goes on");
                try {
                    snapshots.drop(snapshots.making(from.name()));
                } catch (StepFailed ignored) {
                    // the next try drops it first
                }
            }
        });
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.deleteIfExists(part);
        PrivateDirectory.newFile(part);
        Files.writeString(part, text);
        Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code development restore --drop-snapshots}: every snapshot of the development database, and the disk they took. */
    List<Step> drop() {
        return List.of(new Action("drop the snapshots of " + dbs.current(), "take the restore lock on " + dbs.current()
                + "; drop every snapshot of it (databases named " + dbs.current() + "_parity_snapshot_SOURCE, marked as parity's), saying the disk freed", ctx -> {
            ctx.atEnd(dbs::close);
            dbs.lock();
            List<String> all = snapshots.all();
            if (all.isEmpty()) {
                ctx.io().progress("parity: no snapshots of " + dbs.current() + " to drop");
                return;
            }
            for (String s : all) {
                long size = snapshots.size(s);
                snapshots.drop(s);
                try {
                    Files.deleteIfExists(workspace.cacheDirectory().resolve("snapshots").resolve(s + ".list"));
                } catch (IOException ignored) {
                    // a listing without its snapshot is never used
                }
                ctx.io().progress("parity: dropped " + s + " (" + ProgressBar.size(Math.max(0, size)) + ")");
            }
        }));
    }
}
