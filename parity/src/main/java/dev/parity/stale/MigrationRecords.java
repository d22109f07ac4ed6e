package dev.parity.stale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * parity's own record of the last successful migration per app ({@code migrate} writes it when the
 * migration ends), kept in the cache directory: {@code migrations/APP.json}.
 */
public final class MigrationRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    public MigrationRecords(Path cacheDirectory) {
        this.dir = cacheDirectory.resolve("migrations");
    }

    public void record(String app, Instant finishedAt, int release) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, app, ".tmp");
        JSON.writeValue(tmp.toFile(), Map.of("app", app, "finished_at", finishedAt.toString(), "release", release));
        Files.move(tmp, dir.resolve(app + ".json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The last migration recorded for an app: when it ended and the release it ran on (0 if unknown). */
    public record Run(Instant finishedAt, int release) {}

    public Optional<Run> lastRun(String app) {
        try {
            JsonNode n = JSON.readTree(dir.resolve(app + ".json").toFile());
            return Optional.of(new Run(Instant.parse(n.path("finished_at").asText()), n.path("release").asInt(0)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The record's file for an app (it may not exist). */
    public Path file(String app) {
        return dir.resolve(app + ".json");
    }

    public Optional<SchemaChange> latest(String app) {
        Path f = dir.resolve(app + ".json");
        try {
            JsonNode n = JSON.readTree(f.toFile());
            return Optional.of(new SchemaChange(Instant.parse(n.path("finished_at").asText()), "parity migrate record"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
