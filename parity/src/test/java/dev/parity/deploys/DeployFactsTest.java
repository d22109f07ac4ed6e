package dev.parity.deploys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.heroku.Release;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The preamble's facts: what is pending, what is the same code, and how it reads. */
class DeployFactsTest {
    static final String OLD = "3c77df8aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    static final String NEW = "1815299bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    static Release v41() {
        return new Release("id-41", 41, "succeeded", true, "Deploy 3c77df8", Instant.EPOCH, Optional.of("slug"), Optional.empty(), true);
    }

    static DeployFacts facts(Optional<String> running, Optional<List<String>> pending, Optional<String> release) {
        return new DeployFacts(Optional.of(v41()), running, "main", NEW, pending, release);
    }

    @Test
    void saysWhatRunsWhatWillRunWhatIsPendingAndTheReleasePhase() {
        DeployFacts f = facts(Optional.of(OLD), Optional.of(List.of("db/migrate/2_add_email.rb")), Optional.empty());
        assertEquals(List.of("runs now:   v41 (commit 3c77df8)", "will run:   commit 1815299 (main)",
                "migrations: 1 pending: db/migrate/2_add_email.rb", "release phase: none in the pushed Procfile"), f.describe());
        assertTrue(f.migrationsMaybePending());
        assertFalse(f.releasePhase());
        assertFalse(f.sameCode());
        assertEquals(41, f.currentVersion());
    }

    @Test
    void anUnknownRunningCommitMeansMigrationsMayBePending() {
        DeployFacts f = facts(Optional.empty(), Optional.empty(), Optional.of("rake db:migrate"));
        assertTrue(f.migrationsMaybePending());
        assertEquals("runs now:   v41 (its commit is unknown)", f.describe().get(0));
        assertEquals("migrations: cannot tell (the running commit is unknown): treated as pending", f.describe().get(2));
        assertEquals("release phase: yes (release: rake db:migrate)", f.describe().get(3));
    }

    @Test
    void aRunningCommitNotInTheCloneIsNamed() {
        DeployFacts f = facts(Optional.of("3c77df8"), Optional.empty(), Optional.empty());
        assertEquals("migrations: cannot tell (commit 3c77df8 is not in this repository): treated as pending", f.describe().get(2));
    }

    @Test
    void noChangedMigrationFileMeansNonePending() {
        DeployFacts f = facts(Optional.of(OLD), Optional.of(List.of()), Optional.empty());
        assertFalse(f.migrationsMaybePending());
        assertEquals("migrations: none pending", f.describe().get(2));
    }

    @Test
    void theDescribedShortCommitOfTheLiveReleaseMatchesThePushedOne() {
        DeployFacts f = new DeployFacts(Optional.of(v41()), Optional.of("1815299"), "main", NEW, Optional.of(List.of()), Optional.empty());
        assertTrue(f.sameCode());
        assertTrue(f.describe().get(1).endsWith(", the same code: nothing new to release"));
    }

    @Test
    void theProcfilesReleaseLineIsFoundWhereverItIs() {
        assertEquals(Optional.of("bundle exec rails db:migrate"),
                Preamble.releaseCommand("web: bin/web\nrelease:  bundle exec rails db:migrate  \nworker: bin/worker\n"));
        assertEquals(Optional.empty(), Preamble.releaseCommand("web: bin/web\n# release: commented\nreleased: no\n"));
    }

    /** File names and a Procfile line come from the repository: their escape sequences and newlines never reach the terminal. */
    @Test
    void escapeSequencesAndNewlinesInNamesAndTheReleaseLineAreShownEscaped() {
        DeployFacts f = facts(Optional.of(OLD), Optional.of(List.of("db/migrate/3_\u001b[2Jx.rb", "db/migrate/4_a\nparity: ok.rb")),
                Optional.of("rake db:migrate \u001b]0;title\u0007 \u202Eevil"));
        assertEquals("migrations: 2 pending: db/migrate/3_\\x1b[2Jx.rb, db/migrate/4_a\\x0aparity: ok.rb", f.describe().get(2));
        assertEquals("release phase: yes (release: rake db:migrate \\x1b]0;title\\x07 \\u202eevil)", f.describe().get(3));
        for (String line : f.describe()) assertTrue(line.chars().noneMatch(c -> c < 0x20 || c == 0x202E), line);
    }
}
