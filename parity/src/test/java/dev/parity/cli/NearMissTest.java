package dev.parity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which words count as a slip of a verb. */
class NearMissTest {
    @Test
    void aSwapIsOneEdit() {
        assertEquals(1, NearMiss.distance("migarte", "migrate"));
        assertEquals(1, NearMiss.distance("restor", "restore"));
        assertEquals(1, NearMiss.distance("deplyo", "deploy"));
        assertEquals(2, NearMiss.distance("mgrte", "migrate"));
    }

    @Test
    void shortVerbsAllowOneEditLongerOnesTwo() {
        List<String> verbs = Verbs.names();
        assertEquals(Optional.of("ps"), NearMiss.closest("px", verbs));
        assertEquals(Optional.empty(), NearMiss.closest("pxx", verbs));
        assertEquals(Optional.of("migrate"), NearMiss.closest("mgrte", verbs));
        assertEquals(Optional.empty(), NearMiss.closest("mgrt", verbs));
        assertEquals(Optional.empty(), NearMiss.closest("migrate", verbs), "a verb is not a near miss of itself");
        assertEquals(Optional.of("restore-from"), NearMiss.closest("restore-frm", verbs));
    }
}
