package dev.parity.cli.restore;

import java.nio.file.Path;
import java.util.Optional;

/** What one restore's steps learn and hand on to later steps. */
final class RestoreRun {
    /** The backup's download URL: a secret, never printed. */
    String backupUrl;
    /** The backup by name ({@code APP::b042}) when known: what the heroku CLI is given instead of the URL. */
    Optional<String> backupName = Optional.empty();
    /** Which backup this is, to tell it from every other (name, uuid, creation time, size): known through the data API only. */
    Optional<String> backupIdentity = Optional.empty();
    /** The temporary database was copied from the snapshot of this same backup (and verified): nothing to download or restore. */
    boolean fromSnapshot;
    /** The downloaded dump and its size. */
    Path dump;
    long dumpBytes;
    /** The dump's table of contents as {@code pg_restore --list} prints it (narrowed by the user's selection). */
    String toc;
    /** The filtered listing pg_restore --use-list reads, when only part of the dump is restored. */
    Path useList;
    /** Set when the restore begins while the download goes on: the download, the dump's table of contents, a link to the partial file. */
    Overlap overlap;

    record Overlap(OverlappedDownload download, dev.parity.db.DumpToc toc, Path partial) {}

    /** How many tables the source has; empty when they cannot be counted (not compared then). */
    Optional<Long> sourceTables = Optional.empty();
    /** The local database as it was when the run began (its oid; empty: it did not exist), and the restored copy's. */
    Optional<Long> original = Optional.empty();
    Optional<Long> restored = Optional.empty();
    /** Without scrub rules: the line the restore ends with, on the personal-looking columns that arrived unscrubbed. */
    String unscrubbed;
    /** Whether the swap committed: the temporary name is gone then, nothing to drop. */
    boolean swapped;
    /** The backup of a remote target captured before it was reset, to put back if anything after fails. */
    Optional<SafetyBackups.Entry> safetyBackup = Optional.empty();
    /** A remote target's database may have changed (its reset has started). */
    volatile boolean targetTouched;
    /** Where a remote target is scrubbed after the restore (its DATABASE_URL inside: a secret, never printed). */
    dev.parity.scrub.Scrubber.Sql scrubSql;
    /** Every step succeeded: nothing to put back. */
    volatile boolean done;
}
