package dev.parity.db;

/**
 * Lets tests in other packages (plans that download from a {@code DumpServer}) make the pause
 * between download attempts short, so a download that keeps failing fails in milliseconds.
 */
public final class DownloadPauses {
    private DownloadPauses() {}

    /** Sets the pause before retry {@code n} to {@code n × millis}; returns the previous setting. */
    public static long set(long millis) {
        long before = BackupDownload.retryPauseMillis;
        BackupDownload.retryPauseMillis = millis;
        return before;
    }
}
