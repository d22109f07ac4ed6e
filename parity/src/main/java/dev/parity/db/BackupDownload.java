package dev.parity.db;

import dev.parity.process.Command;
import dev.parity.process.ProcessRunner;
import dev.parity.process.Result;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.Interruption;
import dev.parity.steps.StepFailed;
import dev.parity.ui.ProgressBar;
import dev.parity.ui.Redact;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches a backup over HTTP(S) into a private file, streaming with a fixed buffer. A dropped
 * connection resumes with {@code Range} where it stopped; the size must match what the server
 * announced; a file already complete for the same backup (same size, same header bytes) is reused.
 * The URL is a secret: messages only ever show it redacted.
 */
public final class BackupDownload {
    /** The head of a dump (magic, versions, creation time, database name) identifies the backup. */
    static final int HEAD_BYTES = 4096;
    private static final int CONNECT_TIMEOUT_MS = 30_000;
    private static final int READ_TIMEOUT_MS = 120_000;
    private static final int ATTEMPTS = 5;
    private static final int BUFFER = 256 * 1024;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    /** What a fetch did: where the dump is, how big it is, and whether bytes were reused. */
    public record Fetched(Path file, long bytes, boolean reused, long resumedFrom) {}

    /** Progress callbacks: the dump's first bytes, the total once known, then bytes so far. */
    public interface Progress {
        /** Called with the first bytes before anything is downloaded; may refuse the dump. */
        default void head(byte[] first) throws StepFailed, InterruptedException {}

        LongConsumer start(long total, long from) throws StepFailed;

        void finish(long bytes);

        void abandon();
    }

    /** How long to wait before retry {@code attempt} (1-based); short in tests. */
    static volatile long retryPauseMillis = 1000;

    private BackupDownload() {}

    /** A private (0700) directory for one run's files. */
    public static Path privateDirectory() throws IOException {
        try {
            return Files.createTempDirectory("parity-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempDirectory("parity-");
        }
    }

    /**
     * Makes {@code complete} hold the whole dump at {@code url}. A complete file of the same backup
     * is reused; a {@code part} file of the same backup is continued; otherwise it starts afresh.
     * {@code part} is renamed to {@code complete} only once every byte has arrived.
     */
    public static Fetched fetch(String url, Path complete, Path part, Progress progress)
            throws StepFailed, InterruptedException {
        return fetch(null, url, complete, part, progress);
    }

    /**
     * As {@link #fetch(String, Path, Path, Progress)}, over TLS made by {@code tls} (null: the
     * JVM's own trust), e.g. one that also trusts a local sandbox's CA.
     */
    public static Fetched fetch(SSLSocketFactory tls, String url, Path complete, Path part, Progress progress)
            throws StepFailed, InterruptedException {
        String shown = Redact.downloadUrl(url);
        Head remote = head(tls, url, shown);
        progress.head(remote.first);
        try {
            if (sameBackup(complete, remote)) return new Fetched(complete, remote.total, true, remote.total);
            long have = sameBackup(part, remote) || startsLike(part, remote) ? Files.size(part) : 0;
            if (have == 0) {
                Files.deleteIfExists(part);
                createPrivate(part);
            }
            long resumedFrom = have;
            LongConsumer tick = progress.start(remote.total, have);
            IOException last = null;
            for (int attempt = 1; attempt <= ATTEMPTS && have < remote.total; attempt++) {
                try {
                    have = transfer(tls, url, shown, part, have, remote.total, tick);
                } catch (IOException e) {
                    if (diskFull(e)) throw new StepFailed(ExitCodes.FAILED, noSpace(part, remote.total));
                    last = e;
                    if (attempt < ATTEMPTS) Thread.sleep(retryPauseMillis * attempt);
                    have = Files.size(part);
                }
            }
            if (have != remote.total) {
                throw new StepFailed(ExitCodes.FAILED, "download of " + shown + " was cut short: got " + have + " of "
                        + remote.total + " bytes after " + ATTEMPTS + " attempts"
                        + (last == null ? "" : " (last: " + describe(last) + ")")
                        + "; no database was touched");
            }
            progress.finish(have);
            Files.move(part, complete, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Fetched(complete, have, false, resumedFrom);
        } catch (StepFailed e) {
            progress.abandon(); // a drawn bar is cleared before the message shows
            throw e;
        } catch (IOException e) {
            progress.abandon();
            throw new StepFailed(ExitCodes.FAILED, diskFull(e) ? noSpace(part, remote.total)
                    : "cannot write the dump to " + part.getParent() + ": " + describe(e));
        }
    }

    /** A write failed because the disk (or the user's quota) is full: trying again cannot help. */
    static boolean diskFull(IOException e) {
        String m = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"));
    }

    private static String noSpace(Path part, long total) {
        return "no space left on the disk of " + part.getParent() + " for the " + ProgressBar.size(total)
                + " dump; free some space and run again (a partial download is resumed); no database was touched";
    }

    /** Opens the file a download writes to; tests open /dev/full instead, to meet a full disk. */
    interface Sink {
        OutputStream open(Path part, boolean append) throws IOException;
    }

    static volatile Sink sink = (part, append) -> append
            ? Files.newOutputStream(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
            : Files.newOutputStream(part, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);

    /** Total size and first bytes, from one small ranged request. */
    record Head(long total, byte[] first) {}

    static Head head(SSLSocketFactory tls, String url, String shown) throws StepFailed {
        HttpURLConnection c = open(tls, url, shown);
        c.setRequestProperty("Range", "bytes=0-" + (HEAD_BYTES - 1));
        try {
            int status = c.getResponseCode();
            long total;
            if (status == HttpURLConnection.HTTP_PARTIAL) {
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(c.getHeaderField("Content-Range")));
                if (!m.matches()) throw new StepFailed(ExitCodes.FAILED, "backup URL " + shown + " sent no usable Content-Range");
                total = Long.parseLong(m.group(3));
            } else if (status == HttpURLConnection.HTTP_OK) {
                total = c.getContentLengthLong();
                if (total < 0) throw new StepFailed(ExitCodes.FAILED, "backup URL " + shown + " sent no Content-Length");
            } else {
                throw refused("backup URL " + shown, c, status);
            }
            byte[] first;
            try (InputStream in = c.getInputStream()) {
                first = in.readNBytes((int) Math.min(HEAD_BYTES, total));
            }
            if (total == 0) throw new StepFailed(ExitCodes.FAILED, "backup URL " + shown + " serves an empty file");
            if (!DumpHeader.startsWithMagic(first)) {
                throw new StepFailed(ExitCodes.FAILED, "backup URL " + shown
                        + " does not serve a PostgreSQL custom-format dump (an error page?); no database was touched");
            }
            return new Head(total, first);
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "backup URL " + shown + " failed: " + describe(e) + "; no database was touched");
        } finally {
            c.disconnect();
        }
    }

    /** Reads the first bytes of {@code url} and checks they start a custom-format dump. */
    public static void checkAnswers(String url) throws StepFailed {
        head(null, url, Redact.downloadUrl(url));
    }

    /** How much of a dump is fetched first to read its table of contents; grown until it suffices. */
    static final long TOC_PREFIX = 256 * 1024;
    static final long TOC_PREFIX_MAX = 64L * 1024 * 1024;

    /**
     * The backup's table of contents ({@code pg_restore --list}) without downloading all of it: a
     * custom-format dump keeps its table of contents at the start, so a growing prefix is fetched
     * until this pg_restore can list it. Empty when even the whole dump cannot be listed here (a
     * dump from a newer PostgreSQL, which the server restoring it may still read).
     */
    public static Optional<String> tableOfContents(ProcessRunner runner, String url) throws StepFailed, InterruptedException {
        return tableOfContents(null, runner, url);
    }

    public static Optional<String> tableOfContents(SSLSocketFactory tls, ProcessRunner runner, String url)
            throws StepFailed, InterruptedException {
        String shown = Redact.downloadUrl(url);
        Path dir;
        try {
            dir = Interruption.temporary(privateDirectory()); // Ctrl-C while it downloads: removed all the same
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot create a temporary directory: " + describe(e));
        }
        Path head = dir.resolve("head.dump");
        try {
            for (long want = TOC_PREFIX; ; want *= 8) {
                long got = prefix(tls, url, shown, head, want);
                Result list = runner.run(Command.of("pg_restore", "--list", head.toString()).captured()
                        .errorsTo(dir.resolve("list.errors"))); // "end of file" while the prefix is too short
                if (list.ok()) return Optional.of(list.stdout());
                if (got < want) return Optional.empty(); // that was the whole dump
                if (want >= TOC_PREFIX_MAX) return Optional.empty(); // no table of contents is this big: a damaged dump
                if (want == TOC_PREFIX && !readableHere(runner, head)) return Optional.empty(); // more of it will not help
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory
            }
            Interruption.removed(dir);
        }
    }

    /** Whether this pg_restore can read the archive format of the dump starting in {@code head}. */
    private static boolean readableHere(ProcessRunner runner, Path head) throws StepFailed, InterruptedException {
        try (InputStream in = Files.newInputStream(head)) {
            DumpCheck.checkReadable(runner, in.readNBytes(HEAD_BYTES));
            return true;
        } catch (StepFailed newer) {
            return false;
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot read " + head + ": " + describe(e));
        }
    }

    /** The first {@code want} bytes of {@code url} (fewer if it is shorter) into {@code file}; returns how many. */
    private static long prefix(SSLSocketFactory tls, String url, String shown, Path file, long want) throws StepFailed {
        HttpURLConnection c = open(tls, url, shown);
        c.setRequestProperty("Range", "bytes=0-" + (want - 1));
        try {
            int status = c.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK && status != HttpURLConnection.HTTP_PARTIAL) {
                throw refused("backup URL " + shown, c, status);
            }
            long have = 0;
            byte[] buf = new byte[BUFFER];
            try (InputStream in = c.getInputStream();
                 OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.TRUNCATE_EXISTING)) {
                int n;
                while (have < want && (n = in.read(buf, 0, (int) Math.min(buf.length, want - have))) > 0) {
                    out.write(buf, 0, n);
                    have += n;
                }
            }
            return have;
        } catch (IOException e) {
            if (diskFull(e)) throw new StepFailed(ExitCodes.FAILED, noSpace(file, want));
            throw new StepFailed(ExitCodes.FAILED, "backup URL " + shown + " failed: " + describe(e) + "; no database was touched");
        } finally {
            c.disconnect();
        }
    }

    /** Appends bytes {@code from}… to {@code part}; returns the new size. */
    private static long transfer(SSLSocketFactory tls, String url, String shown, Path part, long from, long total,
                                 LongConsumer tick) throws IOException, StepFailed {
        HttpURLConnection c = open(tls, url, shown);
        if (from > 0) c.setRequestProperty("Range", "bytes=" + from + "-");
        try {
            int status = c.getResponseCode();
            if (status >= 500) throw new IOException("HTTP " + status);
            boolean ranged = status == HttpURLConnection.HTTP_PARTIAL;
            if (status != HttpURLConnection.HTTP_OK && !ranged) {
                throw refused("download of " + shown, c, status);
            }
            long offset = from;
            if (!ranged && from > 0) offset = 0; // the server ignored Range: start over
            long expected = c.getContentLengthLong();
            if (expected >= 0 && offset + expected != total) {
                throw new IOException("server announced " + expected + " bytes from " + offset + " of " + total);
            }
            long have = offset;
            byte[] buf = new byte[BUFFER];
            try (InputStream in = c.getInputStream();
                 OutputStream out = sink.open(part, offset != 0)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    have += n;
                    tick.accept(have);
                    if (Thread.currentThread().isInterrupted()) throw new IOException("interrupted");
                }
            }
            if (have > total) throw new StepFailed(ExitCodes.FAILED, "download of " + shown + " sent more bytes than announced");
            return have;
        } finally {
            c.disconnect();
        }
    }

    private static boolean sameBackup(Path file, Head remote) throws IOException {
        return Files.isRegularFile(file) && Files.size(file) == remote.total && startsLike(file, remote);
    }

    /** Whether {@code file} starts with the remote's first bytes (as far as both go). */
    private static boolean startsLike(Path file, Head remote) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0 || Files.size(file) > remote.total) return false;
        byte[] mine;
        try (InputStream in = Files.newInputStream(file)) {
            mine = in.readNBytes(remote.first.length);
        }
        int n = Math.min(mine.length, remote.first.length);
        return n >= Math.min(DumpHeader.MAGIC.length(), remote.first.length)
                && Arrays.equals(mine, 0, n, remote.first, 0, n);
    }

    /** A new file only its owner can read: a production dump is as secret as production. */
    static void createPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }

    /** The server said no: its status and, for 403, the likely reason. */
    static StepFailed refused(String what, HttpURLConnection c, int status) throws IOException {
        return new StepFailed(ExitCodes.FAILED, what + " answered HTTP " + status
                + (c.getResponseMessage() == null ? "" : " " + c.getResponseMessage())
                + (status == 403 ? " (backup URLs expire; ask again)" : "") + "; no database was touched");
    }

    static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + Redact.downloadUrl(e.getMessage()));
    }

    static HttpURLConnection open(SSLSocketFactory tls, String url, String shown) throws StepFailed {
        try {
            URL u = URI.create(url).toURL();
            if (!u.getProtocol().equals("https") && !u.getProtocol().equals("http")) {
                throw new StepFailed(ExitCodes.FAILED, "not an http(s) URL: " + shown);
            }
            HttpURLConnection c = (HttpURLConnection) u.openConnection();
            if (tls != null && c instanceof HttpsURLConnection https) https.setSSLSocketFactory(tls);
            c.setConnectTimeout(CONNECT_TIMEOUT_MS);
            c.setReadTimeout(READ_TIMEOUT_MS);
            c.setInstanceFollowRedirects(true);
            c.setRequestProperty("User-Agent", "parity");
            c.setRequestProperty("Accept-Encoding", "identity");
            return c;
        } catch (IllegalArgumentException | IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "not a usable backup URL: " + shown);
        }
    }
}
