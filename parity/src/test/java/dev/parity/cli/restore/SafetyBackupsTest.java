package dev.parity.cli.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local record of the backup taken before a remote restore: private, one per app, read back as written. */
class SafetyBackupsTest {
    @TempDir
    Path cache;

    @Test
    void aRecordIsReadBackAsWrittenIn0600Inside0700() throws IOException {
        SafetyBackups records = new SafetyBackups(cache);
        SafetyBackups.Entry e = new SafetyBackups.Entry("myapp-staging", "b042", Instant.parse("2026-12-01T01:02:03Z"),
                "the latest backup of production (myapp-production)");
        records.save(e);
        assertEquals(Optional.of(e), records.find("myapp-staging"));
        assertEquals("myapp-staging::b042", e.qualified());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(records.file("myapp-staging"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(records.dir())));
        assertEquals(Optional.empty(), records.find("myapp-other"));
    }

    @Test
    void aNewerRecordReplacesTheOlder() throws IOException {
        SafetyBackups records = new SafetyBackups(cache);
        records.save(new SafetyBackups.Entry("myapp-staging", "b001", Instant.EPOCH, "x"));
        records.save(new SafetyBackups.Entry("myapp-staging", "b002", Instant.EPOCH, "y"));
        assertEquals("b002", records.find("myapp-staging").orElseThrow().backup());
        try (var files = Files.list(records.dir())) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void aDirectoryOthersCanWriteToIsRefused() throws IOException {
        Path dir = Files.createDirectories(cache.resolve(SafetyBackups.DIR));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class,
                () -> new SafetyBackups(cache).save(new SafetyBackups.Entry("a", "b001", Instant.EPOCH, "x")));
        assertTrue(e.getMessage().contains("chmod 700"), e.getMessage());
    }

    @Test
    void aRecordParityDidNotWriteIsNotUsed() throws IOException {
        SafetyBackups records = new SafetyBackups(cache);
        records.save(new SafetyBackups.Entry("myapp-staging", "b001", Instant.EPOCH, "x"));
        Files.writeString(records.file("myapp-staging"), "app=myapp-staging\nbackup=b001; rm -rf ~\ncaptured_at=1970-01-01T00:00:00Z\n");
        IOException e = assertThrows(IOException.class, () -> records.find("myapp-staging"));
        assertTrue(e.getMessage().contains("is not a record parity wrote"), e.getMessage());
    }
}
