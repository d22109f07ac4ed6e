package dev.parity.sandbox.data;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bandwidth of the link backup downloads come over, shared by every download at once (as a
 * laptop's connection to cloud storage is): a token bucket refilled at {@code bytesPerSecond},
 * holding at most a twentieth of a second's worth, so a download never bursts far above the rate.
 * Zero means unlimited, the default.
 */
public final class DownloadRate {
    /** The clock and the sleep, separate so a test can run the bucket on a fake clock. */
    public interface Ticker {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        Ticker SYSTEM = new Ticker() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        };
    }

    private static final Pattern SPEC = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmg]i?)?b?(?:/s)?");

    private final Ticker ticker;
    private long bytesPerSecond;
    private double tokens;
    private long last;

    public DownloadRate(Ticker ticker) {
        this.ticker = ticker;
    }

    public DownloadRate() {
        this(Ticker.SYSTEM);
    }

    /**
     * {@code 50MB/s}, {@code 50MiB/s}, {@code 800kB/s}, {@code 1000000} (bytes a second), or
     * {@code unlimited}/{@code 0}. MB is 10^6 bytes, as network rates are quoted; MiB is 2^20.
     */
    public static long parse(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        if (s.equals("unlimited") || s.equals("none")) return 0;
        Matcher m = SPEC.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("a download rate is like 50MB/s, 800kB/s, 2MiB/s or unlimited (got '" + spec + "')");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        double factor = switch (unit) {
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "g" -> 1e9;
            case "ki" -> 1024;
            case "mi" -> 1024 * 1024;
            case "gi" -> 1024.0 * 1024 * 1024;
            default -> 1;
        };
        return Math.round(n * factor);
    }

    /** {@code 50 MB/s}, {@code 1.5 MB/s}, {@code 800 kB/s}, or {@code unlimited}. */
    public static String describe(long bytesPerSecond) {
        if (bytesPerSecond <= 0) return "unlimited";
        if (bytesPerSecond >= 1_000_000) return trim(bytesPerSecond / 1e6) + " MB/s";
        if (bytesPerSecond >= 1_000) return trim(bytesPerSecond / 1e3) + " kB/s";
        return bytesPerSecond + " B/s";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.replaceAll("\\.?0+$", "");
    }

    public synchronized long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Sets the rate (0: unlimited); the bucket starts empty so the new rate holds from the first byte. */
    public synchronized void set(long bytesPerSecond) {
        if (bytesPerSecond < 0) throw new IllegalArgumentException("a download rate is not negative");
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = 0;
        this.last = ticker.nanoTime();
    }

    /**
     * Waits until {@code n} more bytes may go out. Downloads share the link: the lock is held while
     * sleeping, so concurrent ones queue and their sum keeps to the rate.
     */
    public synchronized void take(int n) throws InterruptedException {
        long rate = bytesPerSecond;
        if (rate <= 0 || n <= 0) return;
        long now = ticker.nanoTime();
        double burst = Math.max(rate / 20.0, 64 * 1024);
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
        last = now;
        tokens -= n;
        if (tokens < 0) {
            long wait = (long) Math.ceil(-tokens / rate * 1e9);
            ticker.sleepNanos(wait);
            // the sleep paid for the deficit; what it overslept is credited at the next call
            long after = ticker.nanoTime();
            tokens += (after - last) / 1e9 * rate;
            last = after;
        }
    }
}
