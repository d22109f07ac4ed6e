package dev.parity.ui;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr for a transfer of known size: bytes, rate, ETA, redrawn at
 * most five times a second. Off a terminal it prints nothing until {@link #done}, which always
 * prints one summary line, so logs stay readable.
 */
public final class ProgressBar {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 24;

    private final PrintStream err;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long started;
    private final long startBytes;
    private long lastDraw;
    private boolean drawn;

    public ProgressBar(PrintStream err, String label, long total, long startBytes, boolean terminal, LongSupplier nanoClock) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.terminal = terminal;
        this.clock = nanoClock;
        this.started = nanoClock.getAsLong();
        this.startBytes = startBytes;
        this.lastDraw = started - REDRAW_NANOS;
    }

    public static ProgressBar onStderr(Io io, String label, long total, long startBytes) {
        return new ProgressBar(io.err(), label, total, startBytes, io.interactive() && io.env("NO_PROGRESS") == null,
                System::nanoTime);
    }

    /** {@code bytes} transferred so far (counting any resumed part). */
    public void update(long bytes) {
        if (!terminal) return;
        long now = clock.getAsLong();
        if (now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        err.print("\r" + line(bytes, now) + "\u001b[K");
        err.flush();
        drawn = true;
    }

    /** Ends the bar with a summary line ("download: 1.0 GB in 12.3s (83.1 MB/s)"). */
    public void done(long bytes) {
        long now = clock.getAsLong();
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        String summary = String.format(Locale.ROOT, "%s: %s in %.1fs (%s/s)", label, size(bytes), seconds,
                size((long) ((bytes - startBytes) / seconds)));
        if (drawn) err.print("\r\u001b[K");
        err.println("parity: " + summary);
    }

    /** Clears a drawn bar so an error message starts on a clean line. */
    public void abandon() {
        if (drawn) err.print("\r\u001b[K");
        err.flush();
    }

    String line(long bytes, long now) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = (bytes - startBytes) / seconds;
        double fraction = total > 0 ? Math.min(1.0, (double) bytes / total) : 0;
        int filled = (int) Math.round(fraction * WIDTH);
        String eta = rate > 0 && total > 0 ? duration((long) ((total - bytes) / rate)) : "--:--";
        return String.format(Locale.ROOT, "%s [%s%s] %3d%% %s/%s %s/s ETA %s", label, "#".repeat(filled),
                " ".repeat(WIDTH - filled), Math.round(fraction * 100), size(bytes), size(total), size((long) rate), eta);
    }

    public static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1023.95 && u < units.length - 1) { // 1048575 B is "1.0 MB", not "1024.0 kB"
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }
}
