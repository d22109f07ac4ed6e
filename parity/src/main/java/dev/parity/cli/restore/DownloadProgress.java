package dev.parity.cli.restore;

import dev.parity.db.BackupDownload;
import dev.parity.db.DumpCheck;
import dev.parity.db.Preflight;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import dev.parity.ui.ProgressBar;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * A backup's download as the user sees it: the disk it needs checked first, then a progress bar on
 * stderr. {@code checkHead}: the first bytes must be a dump this pg_restore reads, before the rest comes.
 */
final class DownloadProgress implements BackupDownload.Progress {
    private final StepContext ctx;
    private final Path dir;
    private final boolean checkHead;
    private final String why;
    private ProgressBar bar;

    /** {@code why}: said before the download starts, when it needs saying (null: nothing). */
    DownloadProgress(StepContext ctx, Path dir, boolean checkHead, String why) {
        this.ctx = ctx;
        this.dir = dir;
        this.checkHead = checkHead;
        this.why = why;
    }

    @Override
    public void head(byte[] first) throws StepFailed, InterruptedException {
        if (checkHead) DumpCheck.checkReadable(ctx.runner(), first);
    }

    @Override
    public LongConsumer start(long total, long from) throws StepFailed {
        if (why != null) ctx.io().progress("parity: " + why);
        Preflight.requireSpace(dir, total - from, "the dump");
        bar = ProgressBar.onStderr(ctx.io(), "download", total, from);
        return bar::update;
    }

    @Override
    public void finish(long bytes) {
        bar.done(bytes);
    }

    @Override
    public void abandon() {
        if (bar != null) bar.abandon();
    }
}
