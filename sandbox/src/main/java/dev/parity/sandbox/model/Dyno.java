package dev.parity.sandbox.model;

import java.time.Instant;
import java.util.UUID;

/** A dyno: a formation process (web.1) or a one-off (run.1234). Guarded by its app's lock. */
public final class Dyno {
    public final String id = UUID.randomUUID().toString();
    public final String name;
    public final String type;
    /** The formation's command when the dyno last booted (a deploy's Procfile can change it). */
    public volatile String command;
    public final String size;
    public final Instant createdAt;
    public volatile String state;
    public volatile Instant updatedAt;
    public volatile int releaseVersion;
    /** Bumped by each restart, so a boot scheduled before a newer restart does nothing. */
    public volatile long generation;
    public volatile String attachUrl;

    public Dyno(String name, String type, String command, String size, int releaseVersion, Instant now) {
        this.name = name;
        this.type = type;
        this.command = command;
        this.size = size;
        this.releaseVersion = releaseVersion;
        this.createdAt = now;
        this.updatedAt = now;
        this.state = "starting";
    }

    /** The numeric suffix of the name: web.2 → 2. */
    public int number() {
        int dot = name.lastIndexOf('.');
        try {
            return Integer.parseInt(name.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
