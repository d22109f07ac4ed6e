package dev.parity.cli.restore;

import dev.parity.db.PrivateDirectory;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The backup parity captured of an app's database just before a restore reset it, one record per
 * app under the cache directory ({@code safety-backups/APP}, 0600 in a 0700 directory), so that
 * {@code ENV restore --undo} can put it back later. Only names and times are kept: no URL.
 */
final class SafetyBackups {
    static final String DIR = "safety-backups";

    /** {@code backup}: the backup's name on {@code app} (b042); {@code restored}: what the restore brought in. */
    record Entry(String app, String backup, Instant capturedAt, String restored) {
        /** How the heroku CLI names it from any app: {@code APP::b042}. */
        String qualified() {
            return app + "::" + backup;
        }
    }

    private final Path dir;

    SafetyBackups(Path cacheDirectory) {
        this.dir = cacheDirectory.resolve(DIR);
    }

    Path dir() {
        return dir;
    }

    Path file(String app) {
        return dir.resolve(app);
    }

    void save(Entry e) throws IOException {
        PrivateDirectory.prepare(dir);
        Properties p = new Properties();
        p.setProperty("app", e.app());
        p.setProperty("backup", e.backup());
        p.setProperty("captured_at", e.capturedAt().toString());
        p.setProperty("restored", e.restored());
        StringWriter text = new StringWriter();
        p.store(text, "parity: the backup captured before a restore reset this app's database");
        Path tmp = PrivateDirectory.newFile(dir.resolve("." + e.app() + ".tmp"));
        Files.writeString(tmp, text.toString());
        Files.move(tmp, file(e.app()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    Optional<Entry> find(String app) throws IOException {
        Path f = file(app);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(f)));
        String backup = p.getProperty("backup", "");
        if (!app.equals(p.getProperty("app")) || !backup.matches("[a-z]\\d+")) {
            throw new IOException(f + " is not a record parity wrote (app " + p.getProperty("app") + ", backup '" + backup + "')");
        }
        Instant at;
        try {
            at = Instant.parse(p.getProperty("captured_at", ""));
        } catch (java.time.DateTimeException e) {
            throw new IOException(f + " has no readable time");
        }
        return Optional.of(new Entry(app, backup, at, p.getProperty("restored", "")));
    }
}
