package dev.parity.sandbox.native_.rollback;

import static dev.parity.sandbox.native_.rollback.RollbackBed.APP;
import static dev.parity.sandbox.native_.rollback.RollbackBed.RELEASES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.native_.rollback.RollbackBed.Result;
import dev.parity.stale.MigrationRecords;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollbacks parity refuses, on the sandbox with real git pushes: each exits with its code and
 * message, and no rollback is posted, no release made, no dyno restarted.
 */
class RollbackRefusalsTest {
    static final String MIGRATION = "db/migrate/20260301120000_add_price_to_products.rb";

    @TempDir
    Path tmp;
    RollbackBed bed;

    @AfterEach
    void tearDown() {
        if (bed != null) bed.close();
    }

    /** v2 and v3 on the app, v3 current; {@code v3files} are what the second push brings. */
    void twoDeploys(Map<String, String> v3files) throws Exception {
        bed = new RollbackBed(tmp);
        bed.deploy("the shop", Map.of("app.rb", "puts 'shop'\n"));
        bed.deploy("prices", v3files);
        assertEquals(3, bed.app.currentVersion());
    }

    void assertNothingChanged(Result r, Map<String, Instant> booted) {
        assertEquals(0, bed.rollbacksPosted(), r.toString());
        assertEquals(3, bed.releases(), "no release made");
        assertEquals(3, bed.app.currentVersion());
        assertEquals(booted, bed.bootTimes(), "no dyno restarted");
    }

    @Test
    void aMigrationFileDeployedAfterTheTargetRefusesAndIsNamed() throws Exception {
        twoDeploys(Map.of(MIGRATION, "class AddPriceToProducts < ActiveRecord::Migration[7.1]; end\n", "app.rb", "puts 'prices'\n"));
        Map<String, Instant> booted = bed.bootTimes();
        Result r = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("rollback-prod runs v3 (Deploy "), r.err());
        assertTrue(r.err().contains("rolling back to v2 (Deploy "), r.err());
        assertTrue(r.err().matches("(?s).*the code deployed since v2: found \\(1 migration file added or changed after v2's commit "
                + "[0-9a-f]{7}\\).*"), r.err());
        assertTrue(r.err().contains("parity's migrate record: cannot tell (no migrate of " + APP + " recorded in "), r.err());
        assertTrue(r.err().contains("the database's migration history: cannot tell (" + APP + " has no DATABASE_URL)"), r.err());
        assertTrue(r.err().matches("(?s).*'check for migrations after the target release' failed: migrations ran or were deployed "
                + "after v2 was made \\([^)]+\\), and v2's code does not know them: " + MIGRATION.replace(".", "\\.")
                + " \\(v3, [0-9a-f]{7}\\)\\. Rolling back would run old code on the newer schema\\. Nothing was changed\\. "
                + "Pass --force to roll back anyway\\..*"), r.err());
        assertTrue(r.err().contains("not run: confirm rolling back production (" + APP + "), roll back " + APP), r.err());
        assertNothingChanged(r, booted);
    }

    @Test
    void parityOwnMigrateRecordAfterTheTargetRefuses() throws Exception {
        twoDeploys(Map.of("app.rb", "puts 'prices'\n"));
        Instant migrated = Instant.now();
        new MigrationRecords(bed.cache.resolve("parity")).record(APP, migrated, 3);
        Map<String, Instant> booted = bed.bootTimes();
        Result r = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("the code deployed since v2: none (no migration file changed after v2's commit"), r.err());
        assertTrue(r.err().contains("parity's migrate record: found (parity migrate finished " + migrated + " on v3, after v2 was made at "),
                r.err());
        assertTrue(r.err().contains("and v2's code does not know them: parity migrate finished " + migrated + " on v3. Rolling back "
                + "would run old code on the newer schema. Nothing was changed. Pass --force to roll back anyway."), r.err());
        assertNothingChanged(r, booted);
    }

    @Test
    void withNoSourceAbleToTellTheRollbackIsRefused() throws Exception {
        twoDeploys(Map.of("app.rb", "puts 'prices'\n"));
        bed.git("remote", "remove", "production");
        bed.git("remote", "add", "production", bed.f.sandbox().baseUrl() + "/" + APP + ".git");
        // the commits the releases run are not in this repository: a fresh clone of nothing
        bed.git("checkout", "--quiet", "--orphan", "other");
        bed.git("rm", "-r", "--quiet", "--cached", ".");
        bed.git("commit", "--quiet", "--allow-empty", "-m", "unrelated");
        bed.git("branch", "-D", "main");
        bed.git("reflog", "expire", "--expire=now", "--all");
        bed.git("gc", "--quiet", "--prune=now");
        Map<String, Instant> booted = bed.bootTimes();
        Result r = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'check for migrations after the target release' failed: cannot tell whether a migration ran "
                + "after v2 was made: no source could answer (parity's migrate record: cannot tell (no migrate of " + APP), r.err());
        assertTrue(r.err().matches("(?s).*the code deployed since v2: cannot tell \\(commits [0-9a-f]{7}\\.\\.[0-9a-f]{7} are not both "
                + "in this repository\\)\\)\\. Nothing was changed\\. Pass --force to roll back anyway\\..*"), r.err());
        assertNothingChanged(r, booted);
    }

    @Test
    void anAppWithASingleReleaseIsRefusedClearly() throws Exception {
        bed = new RollbackBed(tmp);
        Result r = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'find the release to roll back to' failed: " + APP + " has a single release (v1): there is no "
                + "earlier release to roll back to"), r.err());
        assertEquals(0, bed.rollbacksPosted());
        assertEquals(1, bed.releases());
    }

    @Test
    void productionIsNotRolledBackWithoutATerminalToConfirmOn() throws Exception {
        twoDeploys(Map.of("app.rb", "puts 'prices'\n"));
        Map<String, Instant> booted = bed.bootTimes();
        Result r = bed.parity("production", "rollback"); // stdin is closed, no --confirm
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: no migration after v2 was found"), r.err());
        assertTrue(r.err().contains("'confirm rolling back production (" + APP + ")' failed: no terminal to confirm on; pass --confirm " + APP
                + "; nothing was changed"), r.err());
        assertNothingChanged(r, booted);
    }

    @Test
    void aConfirmationThatDoesNotMatchIsRefused() throws Exception {
        twoDeploys(Map.of("app.rb", "puts 'prices'\n"));
        Map<String, Instant> booted = bed.bootTimes();
        Result r = bed.parityWithInput("rollback-staging\n", true, "production", "rollback");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("This rolls production (" + APP + ") back from v3 to v2. Type " + APP + " to continue: "), r.err());
        assertTrue(r.err().contains("confirmation 'rollback-staging' did not match " + APP + "; nothing was changed"), r.err());
        assertNothingChanged(r, booted);
    }

    @Test
    void aReleaseThatDoesNotExistIsAnErrorAndChangesNothing() throws Exception {
        twoDeploys(Map.of("app.rb", "puts 'prices'\n"));
        Map<String, Instant> booted = bed.bootTimes();
        Result r = bed.parity("production", "rollback", "v42", "--confirm", APP);
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'find the release to roll back to' failed: " + APP + " has no release v42 (see `production "
                + "releases`); nothing was changed"), r.err());
        assertNothingChanged(r, booted);
    }

    @Test
    void aRollbackPostAnsweredWith5xxBeforeItWasMadeIsReadBackAndSaysNothingChanged() throws Exception {
        twoDeploys(Map.of("app.rb", "puts 'prices'\n"));
        Map<String, Instant> booted = bed.bootTimes();
        bed.f.sandbox().faults().failNext("POST", 1, 503);
        Result r = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'roll back " + APP + "' failed: cannot roll back " + APP + ": The API is temporarily unavailable. "
                + "(POST " + RELEASES + ", HTTP 503, service_unavailable)"), r.err());
        assertTrue(r.err().contains("; the releases show no 'Rollback to v2' after v3: the rollback was not made, nothing was changed, "
                + "v3 still runs; run the command again"), r.err());
        assertTrue(r.err().contains("not run: wait for every dyno of " + APP), r.err());
        assertNothingChanged(r, booted);
        assertFalse(r.out().contains("runs v"), r.out());
    }

    @Test
    void releasesThatCannotBeReadStopBeforeAnythingChanges() throws Exception {
        twoDeploys(Map.of("app.rb", "puts 'prices'\n"));
        Map<String, Instant> booted = bed.bootTimes();
        bed.f.sandbox().faults().failNext("GET", 4, 503); // past the client's retries
        Result r = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'find the release to roll back to' failed: cannot read the releases of " + APP + ": The API is "
                + "temporarily unavailable. (GET " + RELEASES + ", HTTP 503, service_unavailable) (gave up after 4 attempts); nothing "
                + "was changed"), r.err());
        assertTrue(r.err().contains("not run: check for migrations after the target release"), r.err());
        assertNothingChanged(r, booted);
    }

    @Test
    void theDryRunShowsEveryStepAndCallsNothing() throws Exception {
        bed = new RollbackBed(tmp);
        int before = bed.f.sandbox().requests().count("GET", RELEASES);
        Result r = bed.parity("production", "--dry-run", "rollback", "v1");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Plan for `production rollback v1` (dry run: nothing was run):"), r.out());
        for (String step : new String[] {"1. find the release to roll back to", "2. check for migrations after the target release",
                "3. confirm rolling back production (" + APP + ")", "4. roll back " + APP, "5. wait for every dyno of " + APP}) {
            assertTrue(r.out().contains(step), r.out());
        }
        assertTrue(r.out().contains("POST " + RELEASES + " {release: TARGET_ID}"), r.out());
        assertEquals(before, bed.f.sandbox().requests().count("GET", RELEASES));
        assertEquals(0, bed.rollbacksPosted());
    }
}
