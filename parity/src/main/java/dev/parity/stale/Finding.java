package dev.parity.stale;

/** A dyno that is stale, and why, in words a person can act on. */
public record Finding(String dyno, String reason) {}
