package dev.parity.sandbox.native_.rollback;

import static dev.parity.sandbox.native_.rollback.RollbackBed.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.native_.rollback.RollbackBed.Result;
import dev.parity.sandbox.support.SandboxFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollbacks that are made, on the sandbox with real git pushes: the new release is "Rollback to
 * vN", and parity returns only once every formation dyno is up on it.
 */
class RollbackMadeTest {
    static final String MIGRATION = "db/migrate/20260301120000_add_price_to_products.rb";

    @TempDir
    Path tmp;
    RollbackBed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = new RollbackBed(tmp);
        bed.deploy("the shop", Map.of("app.rb", "puts 'shop'\n"));
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    void assertRolledBackTo(int target, Result r) {
        assertEquals(1, bed.rollbacksPosted(), r.toString());
        assertEquals(4, bed.app.currentVersion(), r.toString());
        synchronized (bed.app) {
            assertEquals("Rollback to v" + target, bed.app.releases.get(3).description);
        }
        // parity returned only after every formation dyno was up on the rollback's release
        for (Dyno d : bed.formation()) {
            assertEquals("up", d.state, d.name);
            assertEquals(4, d.releaseVersion, d.name);
        }
        assertTrue(r.out().contains("production (" + APP + ") runs v4 (Rollback to v" + target + ")"), r.toString());
        assertTrue(r.err().contains("parity: all 3 dynos up on v4"), r.err());
    }

    @Test
    void withoutMigrationsSinceTheTargetTheRollbackIsMadeAndEveryDynoComesUpOnIt() throws Exception {
        bed.deploy("prices", Map.of("app.rb", "puts 'prices'\n"));
        Result r = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: made v4 (Rollback to v2)"), r.err());
        assertRolledBackTo(2, r);
    }

    @Test
    void forceRollsBackAcrossAMigrationAndSaysWhatItFound() throws Exception {
        bed.deploy("prices", Map.of(MIGRATION, "class AddPriceToProducts < ActiveRecord::Migration[7.1]; end\n"));
        Result r = bed.parity("production", "rollback", "v2", "--force", "--confirm", APP);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: --force: rolling back although migrations ran or were deployed after v2 was made"), r.err());
        assertTrue(r.err().contains(MIGRATION + " (v3, "), r.err());
        assertRolledBackTo(2, r);
    }

    @Test
    void parityAndTheOfficialCliPickTheSameDefaultTargetInTurn() throws Exception {
        bed.deploy("prices", Map.of("app.rb", "puts 'prices'\n"));
        Result first = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(0, first.exitCode(), first.toString());
        assertRolledBackTo(2, first);
        SandboxFixture.Outcome cli = bed.f.heroku("releases:rollback", "--app", APP);
        assertEquals(0, cli.exitCode(), cli.toString());
        assertTrue(cli.err().contains("Rolling back") || cli.out().contains("Rolling back"), cli.toString());
        SandboxFixture.await(java.time.Duration.ofSeconds(10), () -> bed.allUpOn(5));
        Result again = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(0, again.exitCode(), again.toString());
        SandboxFixture.Outcome releases = bed.f.heroku("releases", "--app", APP);
        assertEquals(0, releases.exitCode(), releases.toString());
        assertTrue(releases.out().matches("(?s).*v6\\s+Rollback to v4.*v5\\s+Rollback to v3.*v4\\s+Rollback to v2.*"), releases.out());
        assertTrue(again.out().contains("production (" + APP + ") runs v6 (Rollback to v4)"), again.toString());
    }

    @Test
    void aLostAnswerAfterTheRollbackWasMadeIsReadBackAndTheRollbackCompletes() throws Exception {
        bed.deploy("prices", Map.of("app.rb", "puts 'prices'\n"));
        bed.f.sandbox().faults().failNextAfterHandling("POST", 1, 503);
        Result r = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: the API's answer was lost (The API is temporarily unavailable. (POST "
                + RollbackBed.RELEASES + ", HTTP 503, service_unavailable)), but the releases show v4 (Rollback to v2): the "
                + "rollback was made"), r.err());
        assertRolledBackTo(2, r);
    }
}
