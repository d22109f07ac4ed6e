package dev.parity.sandbox.model;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One release of an app. {@code status}: pending, succeeded, failed. */
public final class Release {
    public final String id = UUID.randomUUID().toString();
    public final int version;
    public final String description;
    public final Instant createdAt;
    public volatile Instant updatedAt;
    public volatile String status;
    /** The code it runs; null before the first deploy (and for releases of no slug). */
    public final Slug slug;
    /** The deployed commit: the slug's, null without one. */
    public final String commit;
    /** The config vars as of this release (a rollback brings them back). */
    public final Map<String, String> config;
    /** Whether a release command runs for this release (its output is then served). */
    public final boolean releasePhase;

    public Release(int version, String description, String status, Slug slug, Map<String, String> config,
                   boolean releasePhase, Instant now) {
        this.version = version;
        this.description = description;
        this.status = status;
        this.slug = slug;
        this.commit = slug == null ? null : slug.commit;
        this.config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config)); // in the order they were set
        this.releasePhase = releasePhase;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /**
     * Whether it can be rolled back to: it went live (a failed or pending release never ran) and
     * has code (the releases before the first deploy have none to bring back).
     */
    public boolean eligibleForRollback() {
        return "succeeded".equals(status) && slug != null;
    }
}
