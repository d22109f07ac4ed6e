package dev.parity.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingMigrationsTest {
    @TempDir
    Path root;

    @Test
    void versionsComeFromMigrationFileNames() throws Exception {
        Files.createDirectories(root.resolve("db/migrate"));
        Files.writeString(root.resolve("db/migrate/20260101000000_x.rb"), "");
        Files.writeString(root.resolve("db/migrate/20250101000000_create_users.rb"), "");
        Files.writeString(root.resolve("db/migrate/README.md"), "");
        Files.writeString(root.resolve("db/migrate/notes.rb"), "");
        Files.createDirectories(root.resolve("db/animals_migrate"));
        Files.writeString(root.resolve("db/animals_migrate/20240101000000_dogs.rb"), "");
        Map<String, String> v = PendingMigrations.repositoryVersions(root);
        assertEquals(List.of("20250101000000", "20260101000000"), List.copyOf(v.keySet()));
        assertEquals("db/migrate/20260101000000_x.rb", v.get("20260101000000"));
        assertTrue(PendingMigrations.applies(root));
    }

    @Test
    void noMigrationsNoRails() {
        assertFalse(PendingMigrations.applies(root));
    }

    @Test
    void pendingAreThoseNotApplied() {
        Map<String, String> repo = new java.util.TreeMap<>(Map.of("20250101000000", "a", "20260101000000", "b", "1", "c"));
        List<PendingMigrations.Pending> p = PendingMigrations.pending(repo, Set.of("20250101000000", "1"));
        assertEquals(List.of(new PendingMigrations.Pending("20260101000000", "b")), p);
    }

    @Test
    void oldStyleNumbersCompareAsIntegers() throws Exception {
        Files.createDirectories(root.resolve("db/migrate"));
        Files.writeString(root.resolve("db/migrate/001_create.rb"), "");
        Files.writeString(root.resolve("db/migrate/002_more.rb"), "");
        List<PendingMigrations.Pending> p = PendingMigrations.pending(PendingMigrations.repositoryVersions(root), Set.of("1"));
        assertEquals(List.of(new PendingMigrations.Pending("2", "db/migrate/002_more.rb")), p);
    }
}
