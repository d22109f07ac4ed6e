package dev.parity.sandbox.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a build made of one pushed commit: the commit and its Procfile's process types (with
 * {@code release} when the app has a release phase). Releases point at slugs; a rollback makes a
 * release of an older release's slug.
 */
public final class Slug {
    public final String id = UUID.randomUUID().toString();
    public final String commit;
    /** The Procfile as read at build time, {@code release} included. */
    public final Map<String, String> processTypes;
    public final Instant createdAt;

    public Slug(String commit, Map<String, String> processTypes, Instant now) {
        this.commit = commit;
        this.processTypes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(processTypes));
        this.createdAt = now;
    }

    /** The Procfile's {@code release:} command, or null when the slug has no release phase. */
    public String releaseCommand() {
        return processTypes.get("release");
    }

    /** The process types dynos run: the Procfile without {@code release}. */
    public Map<String, String> dynoTypes() {
        Map<String, String> types = new LinkedHashMap<>(processTypes);
        types.remove("release");
        return types;
    }
}
