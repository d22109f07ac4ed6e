package dev.parity.sandbox.model;

import java.time.Instant;
import java.util.UUID;

/** One release of an app. {@code status}: pending, succeeded, failed. */
public final class Release {
    public final String id = UUID.randomUUID().toString();
    public final int version;
    public final String description;
    public final Instant createdAt;
    public volatile Instant updatedAt;
    public volatile String status;
    /** The deployed commit, when the release came from a push. */
    public final String commit;

    public Release(int version, String description, String status, String commit, Instant now) {
        this.version = version;
        this.description = description;
        this.status = status;
        this.commit = commit;
        this.createdAt = now;
        this.updatedAt = now;
    }
}
