package dev.parity.deploys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.heroku.Release;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RollbackTargetTest {
    static Release release(int v, String status, boolean eligible) {
        return new Release("id-" + v, v, status, false, "Deploy abcdef" + v, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(v),
                Optional.of("slug-" + v), Optional.empty(), eligible);
    }

    @Test
    void theDefaultIsTheNewestSucceededEligibleReleaseBeforeTheCurrentOne() {
        Release current = release(9, "succeeded", true);
        List<Release> page = List.of(release(10, "failed", false), current, release(8, "failed", false),
                release(7, "succeeded", false), release(6, "succeeded", true), release(5, "succeeded", true));
        assertEquals(6, RollbackTarget.before(page, current).orElseThrow().version());
    }

    @Test
    void theFirstReleaseHasNoCodeToGoBackTo() {
        Release current = release(2, "succeeded", true);
        Release initial = new Release("id-1", 1, "succeeded", false, "Initial release", Instant.EPOCH, Optional.empty(), Optional.empty(), true);
        assertTrue(RollbackTarget.before(List.of(current, initial), current).isEmpty());
    }

    @Test
    void aSingleReleaseHasNothingBeforeIt() {
        Release only = release(1, "succeeded", true);
        assertTrue(RollbackTarget.before(List.of(only), only).isEmpty());
    }

    @Test
    void aNamedTargetIsRefusedWhenItIsCurrentFailedIneligibleOrHasNoCode() {
        Release current = release(9, "succeeded", true);
        assertEquals("v9 is the current release: nothing to roll back to", RollbackTarget.refusal(current, current).orElseThrow());
        assertEquals("v8 did not succeed (status failed): its code never ran",
                RollbackTarget.refusal(release(8, "failed", true), current).orElseThrow());
        assertEquals("Heroku marks v7 as not eligible for rollback",
                RollbackTarget.refusal(release(7, "succeeded", false), current).orElseThrow());
        Release noCode = new Release("id-1", 1, "succeeded", false, "Initial release", Instant.EPOCH, Optional.empty(), Optional.empty(), true);
        assertEquals("v1 has no code (no slug) to roll back to", RollbackTarget.refusal(noCode, current).orElseThrow());
        assertTrue(RollbackTarget.refusal(release(6, "succeeded", true), current).isEmpty());
    }
}
