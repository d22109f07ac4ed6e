package dev.parity.deploys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.parity.deploys.SchemaSinceRelease.Source;
import dev.parity.heroku.Release;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaSinceReleaseTest {
    final Release v6 = RollbackTargetTest.release(6, "succeeded", true);

    @Test
    void aMigrationFoundByAnySourceRefusesAndNamesEveryMigrationOnce() {
        var verdict = new SchemaSinceRelease.Verdict(v6, List.of(
                Source.unknown("parity's migrate record", "none recorded"),
                Source.found("history", List.of("shop.0002_price (Django applied)"), "1 after"),
                Source.found("code", List.of("shop/migrations/0002_price.py (v8, abc1234)", "shop.0002_price (Django applied)"), "2")));
        assertEquals("migrations ran or were deployed after v6 was made (2026-01-01T00:00:06Z), and v6's code does not know them: "
                + "shop.0002_price (Django applied), shop/migrations/0002_price.py (v8, abc1234). Rolling back would run old code on "
                + "the newer schema", verdict.concern());
    }

    @Test
    void nothingKnownRefusesSayingWhyEachSourceCouldNotTell() {
        var verdict = new SchemaSinceRelease.Verdict(v6, List.of(Source.unknown("record", "none"), Source.unknown("code", "no commits")));
        assertEquals("cannot tell whether a migration ran after v6 was made: no source could answer (record: cannot tell (none); "
                + "code: cannot tell (no commits))", verdict.concern());
    }

    @Test
    void oneSourceThatFoundNothingIsEnough() {
        var verdict = new SchemaSinceRelease.Verdict(v6, List.of(Source.unknown("record", "none"), Source.none("code", "no file")));
        assertNull(verdict.concern());
    }
}
