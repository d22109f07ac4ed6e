package dev.parity.sandbox.data;

import dev.parity.sandbox.http.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One backup or restore of an app's database, as the data API reports it. Its job updates it on
 * a worker thread while clients poll it, hence the synchronized accessors.
 */
public final class Transfer {
    public enum Kind { BACKUP, RESTORE }

    public final String uuid = UUID.randomUUID().toString();
    public final int num;
    public final Kind kind;
    public final String appId;
    public final String fromUrl;
    public final String toUrl;
    /** Backups: where the dump file lives. */
    public final Path file;
    public final Instant createdAt;
    private final Clock clock;
    private Instant startedAt;
    private Instant finishedAt;
    private boolean succeeded;
    private long processedBytes;
    private long sourceBytes;
    private int warnings;
    private final List<Map<String, Object>> logs = new ArrayList<>();

    Transfer(int num, Kind kind, String appId, String fromUrl, String toUrl, Path file, Clock clock) {
        this.num = num;
        this.kind = kind;
        this.appId = appId;
        this.fromUrl = fromUrl;
        this.toUrl = toUrl;
        this.file = file;
        this.clock = clock;
        this.createdAt = clock.instant();
    }

    /** {@code b007} for the 7th transfer when it is a backup, {@code r008} for a restore (the CLI's naming). */
    public String name() {
        return (kind == Kind.BACKUP ? "b" : "r") + String.format("%03d", num);
    }

    public synchronized void started() {
        startedAt = clock.instant();
    }

    public synchronized void log(String message) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("created_at", Json.time(clock.instant()));
        line.put("level", "info");
        line.put("message", message);
        logs.add(line);
    }

    public synchronized void bytes(long processed, long source) {
        processedBytes = processed;
        sourceBytes = source;
    }

    public synchronized void finished(boolean ok, int warningCount) {
        succeeded = ok;
        warnings = warningCount;
        finishedAt = clock.instant();
    }

    public synchronized boolean isFinished() {
        return finishedAt != null;
    }

    public synchronized boolean succeeded() {
        return succeeded;
    }

    public synchronized List<String> logMessages() {
        return logs.stream().map(l -> (String) l.get("message")).toList();
    }

    /** The transfer's JSON; {@code logs} only when asked for ({@code ?verbose=true}), as the data API does. */
    public synchronized Map<String, Object> view(boolean verbose) {
        boolean backup = kind == Kind.BACKUP;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uuid", uuid);
        m.put("num", num);
        m.put("from_name", backup ? "DATABASE" : "BACKUP");
        // A restore reads a stored dump (gof3r) into the database; the CLI names it r00N from that.
        m.put("from_type", backup ? "pg_dump" : "gof3r");
        m.put("from_url", fromUrl);
        m.put("to_name", backup ? "BACKUP" : "DATABASE");
        m.put("to_type", backup ? "gof3r" : "pg_restore");
        m.put("to_url", toUrl);
        m.put("created_at", Json.time(createdAt));
        m.put("started_at", Json.time(startedAt));
        m.put("finished_at", Json.time(finishedAt));
        m.put("updated_at", Json.time(finishedAt != null ? finishedAt : startedAt != null ? startedAt : createdAt));
        m.put("canceled_at", null);
        m.put("deleted_at", null);
        m.put("succeeded", succeeded);
        m.put("processed_bytes", processedBytes);
        m.put("source_bytes", sourceBytes);
        m.put("warnings", warnings);
        m.put("options", Map.of());
        m.put("schedule", null);
        if (verbose) m.put("logs", List.copyOf(logs));
        return m;
    }
}
