package dev.parity.cli.restore;

import dev.parity.db.BackupDownload;
import dev.parity.db.DumpToc;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLSocketFactory;

/**
 * A backup's download running in the background, so that the restore can start on what has
 * arrived. It reads the dump's table of contents as soon as it is on disk and says how far the file
 * has come; the download itself is {@link BackupDownload#fetch} unchanged (resumable, renamed to
 * the complete name only once every byte is there).
 */
final class OverlappedDownload implements OverlappedRestore.Arriving {
    /** No table of contents is read past this: a bigger one means a damaged dump (today's path then says so). */
    private static final long TOC_MAX = 64L * 1024 * 1024;

    private final Path complete;
    private final Path part;
    private final StepContext ctx;
    private Thread thread;
    // what the download thread has seen, guarded by this
    private long total = -1;
    private long from = -1;
    private long have;
    private long tocTriedAt;
    private DumpToc toc;
    private boolean tocUnusable;
    private long firstBlockEnd = -1;
    private boolean paused;
    private BackupDownload.Fetched fetched;
    private Throwable failure;

    private OverlappedDownload(StepContext ctx, Path complete, Path part) {
        this.ctx = ctx;
        this.complete = complete;
        this.part = part;
    }

    /** Starts the download of {@code url} into {@code complete} (by way of {@code part}); stopped when the run ends. */
    static OverlappedDownload start(StepContext ctx, SSLSocketFactory tls, String url, Path complete, Path part,
                                    BackupDownload.Progress progress) {
        OverlappedDownload d = new OverlappedDownload(ctx, complete, part);
        d.thread = new Thread(() -> d.fetch(tls, url, progress), "parity-download");
        d.thread.setDaemon(true); // an interrupted parity exits without waiting for a socket read
        ctx.atEnd(d::stop);
        d.thread.start();
        return d;
    }

    private void fetch(SSLSocketFactory tls, String url, BackupDownload.Progress progress) {
        try {
            BackupDownload.Fetched got = BackupDownload.fetch(tls, url, complete, part, new BackupDownload.Progress() {
                @Override
                public void head(byte[] first) throws StepFailed, InterruptedException {
                    progress.head(first);
                }

                @Override
                public LongConsumer start(long size, long resumedFrom) throws StepFailed {
                    LongConsumer bar = progress.start(size, resumedFrom);
                    synchronized (OverlappedDownload.this) {
                        total = size;
                        from = resumedFrom;
                        have = resumedFrom;
                        OverlappedDownload.this.notifyAll();
                    }
                    return bytes -> {
                        bar.accept(bytes);
                        arrived(bytes);
                    };
                }

                @Override
                public void finish(long bytes) {
                    progress.finish(bytes);
                }

                @Override
                public void abandon() {
                    progress.abandon();
                }
            });
            synchronized (this) {
                fetched = got;
                notifyAll();
            }
        } catch (StepFailed | InterruptedException | RuntimeException e) {
            synchronized (this) {
                failure = e;
                notifyAll();
            }
        }
    }

    /** On the download thread, after each write: how far the file is, and its table of contents once it is all there. */
    private void arrived(long bytes) {
        boolean pause;
        synchronized (this) {
            have = bytes;
            if (from == 0 && toc == null && !tocUnusable && bytes >= 2 * tocTriedAt) readToc(bytes);
            // tests stop the download here, once some table's data is whole and the rest is still to come
            pause = !paused && firstBlockEnd >= 0 && bytes >= firstBlockEnd && bytes < total;
            if (pause) paused = true;
            notifyAll();
        }
        if (pause) ctx.pauseAt("download:overlap");
    }

    private void readToc(long bytes) {
        tocTriedAt = Math.max(bytes, 64 * 1024);
        int n = (int) Math.min(bytes, TOC_MAX);
        byte[] head;
        try (InputStream in = Files.newInputStream(part)) {
            head = in.readNBytes(n);
        } catch (IOException e) {
            tocUnusable = true;
            return;
        }
        try {
            toc = DumpToc.parse(head, head.length);
            firstBlockEnd = toc.withData().stream().mapToLong(DumpToc.Entry::offset).sorted().skip(1).findFirst().orElse(total);
        } catch (DumpToc.CutShort e) {
            if (bytes >= TOC_MAX) tocUnusable = true;
        } catch (DumpToc.Unreadable e) {
            tocUnusable = true; // a newer or damaged archive: the whole file goes through today's checks
        }
    }

    /**
     * Waits until the table of contents of a fresh download is on disk and records where every
     * table's data is, with more of the file still to come: then the restore can begin on a link
     * to the partial file ({@code link}: it stays valid when the download renames its file). Empty
     * when there is nothing to gain or nothing to go on (a reused or resumed dump, a dump written to
     * a pipe, a download already complete): then this waits for the whole file.
     */
    Optional<DumpToc> awaitTableOfContents(Path link) throws StepFailed, InterruptedException {
        synchronized (this) {
            while (failure == null && fetched == null && !(from > 0) && !tocUnusable && toc == null) wait();
            boolean overlap = failure == null && fetched == null && from == 0 && have < total && toc != null && toc.offsetsRecorded();
            if (overlap) {
                try {
                    Files.deleteIfExists(link);
                    Files.createLink(link, part);
                    ctx.deleteAtEnd(link);
                    return Optional.of(toc);
                } catch (NoSuchFileException e) {
                    // the download completed just now: nothing left to overlap
                } catch (IOException | UnsupportedOperationException e) {
                    // no hard links here: the whole file, as before
                }
            }
        }
        awaitCompletion();
        return Optional.empty();
    }

    /** Waits for the whole file; rethrows the download's failure. */
    BackupDownload.Fetched awaitCompletion() throws StepFailed, InterruptedException {
        synchronized (this) {
            while (failure == null && fetched == null) wait();
            if (failure instanceof StepFailed f) throw f;
            if (failure instanceof InterruptedException i) throw i;
            if (failure instanceof RuntimeException r) throw r;
            return fetched;
        }
    }

    @Override
    public synchronized long bytes() {
        return have;
    }

    @Override
    public synchronized long total() {
        return total;
    }

    /** The download ended, whole or failed. */
    @Override
    public synchronized boolean ended() {
        return failure != null || fetched != null;
    }

    /** Waits until more of the file has come, the download ends, or {@link #changed} is called, at most {@code millis}. */
    @Override
    public synchronized void awaitChange(long millis) throws InterruptedException {
        if (!ended()) wait(millis);
    }

    /** Wakes {@link #awaitChange} (a table restore ended). */
    @Override
    public synchronized void changed() {
        notifyAll();
    }

    @Override
    public Path awaitWhole() throws StepFailed, InterruptedException {
        return awaitCompletion().file();
    }

    /** The run ends: the download stops (a kept partial file stays for the next run to resume). */
    private void stop() throws InterruptedException {
        thread.interrupt();
        thread.join(2000); // a socket read may not notice at once; the thread is a daemon and writes nothing that matters after this
    }
}
