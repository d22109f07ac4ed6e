package dev.parity.db;

import dev.parity.steps.StepFailed;
import dev.parity.ui.Redact;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Fetches a backup over HTTP(S) completely into a private file and checks that what arrived is
 * whole and is a PostgreSQL custom-format dump, not an error page. Nothing else is touched.
 */
public final class BackupDownload {
    public static final int EXIT_DOWNLOAD_FAILED = 1;
    private static final int CONNECT_TIMEOUT_MS = 30_000;
    private static final int READ_TIMEOUT_MS = 120_000;

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

    /** Downloads {@code url} to {@code target}; the URL never appears unredacted in messages. */
    public static long download(String url, Path target) throws StepFailed {
        String shown = Redact.url(url);
        HttpURLConnection c = open(url, shown);
        try {
            int status = c.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new StepFailed(EXIT_DOWNLOAD_FAILED, "download of " + shown + " answered HTTP " + status
                        + (c.getResponseMessage() == null ? "" : " " + c.getResponseMessage()));
            }
            long expected = c.getContentLengthLong();
            long received;
            try (InputStream in = c.getInputStream();
                 OutputStream out = privateOutput(target)) {
                received = in.transferTo(out);
            }
            if (expected >= 0 && received != expected) {
                throw new StepFailed(EXIT_DOWNLOAD_FAILED, "download of " + shown + " was cut short: got "
                        + received + " of " + expected + " bytes");
            }
            if (received == 0) throw new StepFailed(EXIT_DOWNLOAD_FAILED, "download of " + shown + " was empty");
            return received;
        } catch (IOException e) {
            throw new StepFailed(EXIT_DOWNLOAD_FAILED, "download of " + shown + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + Redact.url(e.getMessage())));
        } finally {
            c.disconnect();
        }
    }

    /** A new file only its owner can read: a production dump is as secret as production. */
    private static OutputStream privateOutput(Path target) throws IOException {
        try {
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(target);
        }
        return Files.newOutputStream(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Reads the first bytes of {@code url} and checks they start a custom-format dump. */
    public static void checkAnswers(String url) throws StepFailed {
        String shown = Redact.url(url);
        HttpURLConnection c = open(url, shown);
        c.setRequestProperty("Range", "bytes=0-" + (DumpHeader.MAGIC.length() - 1));
        try {
            int status = c.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK && status != HttpURLConnection.HTTP_PARTIAL) {
                throw new StepFailed(EXIT_DOWNLOAD_FAILED, "backup URL " + shown + " answered HTTP " + status);
            }
            byte[] first;
            try (InputStream in = c.getInputStream()) {
                first = in.readNBytes(DumpHeader.MAGIC.length());
            }
            if (!DumpHeader.startsWithMagic(first)) {
                throw new StepFailed(EXIT_DOWNLOAD_FAILED, "backup URL " + shown + " does not serve a PostgreSQL dump");
            }
        } catch (IOException e) {
            throw new StepFailed(EXIT_DOWNLOAD_FAILED, "backup URL " + shown + " failed: " + e.getClass().getSimpleName());
        } finally {
            c.disconnect();
        }
    }

    private static HttpURLConnection open(String url, String shown) throws StepFailed {
        try {
            URL u = URI.create(url).toURL();
            if (!u.getProtocol().equals("https") && !u.getProtocol().equals("http")) {
                throw new StepFailed(EXIT_DOWNLOAD_FAILED, "not an http(s) URL: " + shown);
            }
            HttpURLConnection c = (HttpURLConnection) u.openConnection();
            c.setConnectTimeout(CONNECT_TIMEOUT_MS);
            c.setReadTimeout(READ_TIMEOUT_MS);
            c.setInstanceFollowRedirects(true);
            c.setRequestProperty("User-Agent", "parity");
            return c;
        } catch (IllegalArgumentException | IOException e) {
            throw new StepFailed(EXIT_DOWNLOAD_FAILED, "not a usable backup URL: " + shown);
        }
    }
}
