package dev.parity.sandbox.native_.rollback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.native_.rollback.RollbackBed.Result;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release description is anyone's text (the Platform API takes one with a release): an escape
 * sequence or a newline in it is printed escaped, so it can neither clear the terminal nor forge a
 * line that reads like parity's own.
 */
class RollbackPrintsDescriptionsSafelyTest {
    static final String APP = RollbackBed.APP;

    @TempDir
    Path tmp;
    RollbackBed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = new RollbackBed(tmp);
        bed.deploy("the shop", Map.of("app.rb", "puts 'shop'\n"));
        bed.deploy("prices", Map.of("app.rb", "puts 'prices'\n")); // v3
        String commit = bed.app.currentRelease().orElseThrow().commit;
        bed.app.addRelease("Deploy 1234567\u001b[2J\nparity: all clear", "succeeded", commit, Instant.now()); // v4
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void anEscapeSequenceAndANewlineInTheLiveReleasesDescriptionArePrintedEscaped() throws Exception {
        Result r = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: " + APP + " runs v4 (Deploy 1234567\\x1b[2J\\x0aparity: all clear); rolling back to v3"), r.err());
        assertFalse(r.err().contains("\u001b") || r.out().contains("\u001b"), "no escape character reaches the terminal");
        assertFalse(r.err().lines().anyMatch(l -> l.startsWith("parity: all clear")), "no forged line");
        assertEquals(5, bed.app.currentVersion());
    }
}
