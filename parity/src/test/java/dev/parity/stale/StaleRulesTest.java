package dev.parity.stale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stale by the schema's time, at the precision the Platform API gives a dyno's updated_at (whole seconds). */
class StaleRulesTest {
    private static final SchemaChange MIGRATED = new SchemaChange(Instant.parse("2026-12-01T05:02:51.311261203Z"), "parity migrate record");

    private static DynoView web1(String updatedAt) {
        return new DynoView("web.1", "web", "up", Instant.parse(updatedAt), 4, "bin/web", "Basic");
    }

    @Test
    void aDynoBootedInTheSecondOfTheMigrationIsNotStale() {
        // restarted right after the migration: the API says 05:02:51, the record says 05:02:51.311
        assertEquals(Optional.empty(), StaleRules.reason(web1("2026-12-01T05:02:51Z"), 4, Optional.of(MIGRATED)));
    }

    @Test
    void aDynoBootedAnEarlierSecondIsStale() {
        assertEquals(Optional.of("booted before the schema changed at 2026-12-01T05:02:51.311261203Z (parity migrate record)"),
                StaleRules.reason(web1("2026-12-01T05:02:50Z"), 4, Optional.of(MIGRATED)));
    }
}
