package dev.parity.stale;

import java.time.Instant;

/** The newest schema change parity can know of, and where it learned it ("parity migrate record", "Flyway installed_on"). */
public record SchemaChange(Instant at, String source) {}
