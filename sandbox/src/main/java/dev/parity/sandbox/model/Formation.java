package dev.parity.sandbox.model;

import java.time.Instant;
import java.util.UUID;

/** How many dynos of one process type run, with which command. */
public final class Formation {
    public final String id = UUID.randomUUID().toString();
    public final String type;
    public volatile int quantity;
    public volatile String command;
    public volatile String size;
    public final Instant createdAt;
    public volatile Instant updatedAt;

    public Formation(String type, int quantity, String command, String size, Instant now) {
        this.type = type;
        this.quantity = quantity;
        this.command = command;
        this.size = size;
        this.createdAt = now;
        this.updatedAt = now;
    }
}
