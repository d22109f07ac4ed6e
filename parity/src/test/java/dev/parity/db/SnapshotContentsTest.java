package dev.parity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotContentsTest {
    static final SnapshotContents KEPT = new SnapshotContents("shop::b001 0f3c created 2026-01-01T00:00:00Z 1234 bytes",
            SnapshotContents.digest(List.of("only ")), SnapshotContents.digest(List.of("users: email: email")), SnapshotContents.sha256("listing"));

    @Test
    void whatASnapshotHoldsIsReadBackFromItsComment() {
        assertEquals(Optional.of(KEPT), SnapshotContents.parse(KEPT.format()));
        assertEquals(Optional.empty(), SnapshotContents.parse("a database someone else commented"));
    }

    @Test
    void onlyTheSameBackupShapedTheSameWayIsReused() {
        assertEquals(Optional.empty(), KEPT.whyNot(new SnapshotContents(KEPT.backup(), KEPT.subset(), KEPT.scrub(), "?")));
        // the same name but another creation time or size is another backup
        String other = KEPT.backup().replace("1234 bytes", "1235 bytes");
        assertEquals(Optional.of("it holds " + KEPT.backup() + ", not " + other), KEPT.whyNot(new SnapshotContents(other, KEPT.subset(), KEPT.scrub(), "?")));
        assertEquals(Optional.of("it was made with other scrub rules"), KEPT.whyNot(new SnapshotContents(KEPT.backup(), KEPT.subset(),
                SnapshotContents.digest(List.of("users: email: nullify")), "?")));
        assertTrue(KEPT.whyNot(new SnapshotContents(KEPT.backup(), SnapshotContents.digest(List.of("only users")), KEPT.scrub(), "?"))
                .orElseThrow().startsWith("it was made from another subset"));
    }
}
