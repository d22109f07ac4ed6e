package dev.parity.db;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where downloaded dumps live: {@code ~/.cache/parity/dumps} (mode 0700), one file per backup,
 * named after the app and the backup's file name in its URL. A download in progress is
 * {@code NAME.part}; it becomes {@code NAME} only when complete.
 */
public record DumpCache(Path dir) {

    public static DumpCache under(Path cacheDirectory) {
        return new DumpCache(cacheDirectory.resolve("dumps"));
    }

    /**
     * Creates the directory, private to its owner, or checks the one that is there; one that is a
     * symbolic link, someone else's, or writable by others is refused ({@link PrivateDirectory.Unsafe}).
     */
    public Path prepare() throws IOException {
        return PrivateDirectory.prepare(dir);
    }

    public Path complete(String key) {
        return dir.resolve(key + ".dump");
    }

    public Path part(String key) {
        return dir.resolve(key + ".dump.part");
    }

    /**
     * A fresh private file for one pg_restore's error output. Error files of earlier runs that were
     * killed are removed first; a fresh name keeps a pg_restore orphaned by such a run from writing
     * into this run's file.
     */
    public Path newErrorFile() throws IOException {
        try (java.nio.file.DirectoryStream<Path> old = Files.newDirectoryStream(dir, "pg_restore-*.errors")) {
            for (Path p : old) Files.deleteIfExists(p);
        }
        return Files.createTempFile(dir, "pg_restore-", ".errors"); // 0600
    }

    /**
     * A file name for the backup at {@code url} of {@code app}: the app and the URL's last path
     * segment (the signed query, a secret, never takes part). Whether a file really holds the same
     * backup is checked against its size and first bytes before it is reused.
     */
    public static String key(String app, String url) {
        String path;
        try {
            path = URI.create(url).getPath();
        } catch (IllegalArgumentException e) {
            path = "";
        }
        String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        if (last.endsWith(".dump")) last = last.substring(0, last.length() - ".dump".length());
        String key = (app == null ? "backup" : app) + "-" + (last.isEmpty() ? "latest" : last);
        key = key.replaceAll("[^A-Za-z0-9._-]", "_");
        return key.length() > 120 ? key.substring(0, 120) : key;
    }
}
