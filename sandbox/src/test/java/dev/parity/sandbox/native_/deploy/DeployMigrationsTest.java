package dev.parity.sandbox.native_.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.native_.migrate.MigrateBed;
import dev.parity.sandbox.native_.migrate.MigrateBed.Result;
import dev.parity.stale.MigrationRecords;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code production deploy} without a release phase, real git pushing to the sandbox: migrations
 * the push brings run once in a one-off dyno, exactly as {@code production migrate} runs them,
 * and every dyno boots after that; without pending migrations no one-off dyno starts.
 */
class DeployMigrationsTest {
    static final String APP = MigrateBed.APP;
    static final String PROCFILE = "web: ruby web.rb\nworker: ruby worker.rb\n";

    @TempDir
    Path tmp;
    MigrateBed bed;
    String before;

    @BeforeEach
    void setUp() throws Exception {
        bed = new MigrateBed(tmp);
        before = bed.commit(Map.of("Procfile", PROCFILE, "db/migrate/001_create_users.rb", "create\n"));
        bed.migrateCommand("echo migrated");
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void withoutPendingMigrationsNoOneOffDynoStarts() throws Exception {
        bed.pushed(); // v2 runs `before`
        bed.commit(Map.of("app/models/user.rb", "class User; end\n"));
        Result r = bed.parity("production", "deploy");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("  migrations: none pending"), r.err());
        assertTrue(r.err().contains("  release phase: none in the pushed Procfile"), r.err());
        assertTrue(r.err().contains("all 3 dynos up on v3"), r.err());
        assertEquals(0, bed.dynosCreated(), "POST /apps/APP/dynos was never sent");
        assertEquals(0, bed.migrationsRun());
        for (Dyno d : bed.formation()) assertEquals(3, d.releaseVersion, d.name);
    }

    /** The deploy ends only when every dyno is up on the new release: one that crashes on it is named, and the deploy fails. */
    @Test
    void aDynoThatCrashesOnTheNewReleaseIsNamedAndTheDeployFails() throws Exception {
        bed.pushed();
        bed.commit(Map.of("app/models/user.rb", "class User; end\n"));
        bed.f.sandbox().crashOnBoot("worker", true);
        Result r = bed.parity("production", "deploy");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'wait for every dyno of " + APP + " to be up on the new release' failed: not every dyno is up on v3: "
                + "worker.1 crashed on v3"), r.err());
        assertFalse(r.err().contains("web.1 crashed"), r.err());
        assertEquals(0, bed.dynosCreated());
    }

    @Test
    void aPendingMigrationRunsOnceAndEveryDynoBootsAfterItOnTheNewRelease() throws Exception {
        bed.pushed(); // v2 runs `before`
        bed.addPendingMigration();
        Result r = bed.parity("production", "deploy", "--no-backup");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("  migrations: 1 pending: db/migrate/002_add_email.rb"), r.err());
        assertEquals("migrated\n", r.out(), "the migration's output, as migrate streams it");
        assertEquals(1, bed.migrationsRun(), "ran exactly once");
        assertEquals(1, bed.dynosCreated());
        Instant finished = new MigrationRecords(bed.cache.resolve("parity")).latest(APP).orElseThrow().at();
        for (Dyno d : bed.formation()) {
            assertEquals("up", d.state, d.name);
            assertEquals(3, d.releaseVersion, d.name);
            assertFalse(d.updatedAt.isBefore(finished.truncatedTo(ChronoUnit.SECONDS)), d.name + " booted before the migration ended");
        }
        assertTrue(r.err().contains("all 3 dynos up on v3"), r.err());
        assertFalse(r.err().contains("back up the database"), "--no-backup: " + r.err());
    }

    @Test
    void noMigrateSaysWhatIsLeftPendingAndStartsNoDyno() throws Exception {
        bed.pushed(); // v2 runs `before`
        bed.addPendingMigration();
        Result r = bed.parity("production", "deploy", "--no-migrate");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: not migrated (--no-migrate): db/migrate/002_add_email.rb left pending; run `production migrate`"), r.err());
        assertEquals(0, bed.migrationsRun());
        assertEquals(0, bed.dynosCreated());
        for (Dyno d : bed.formation()) assertEquals(3, d.releaseVersion, d.name);
    }

    /** A new app's only release has no code: whether migrations are pending cannot be told, so they run. */
    @Test
    void theFirstDeployCannotTellAndRunsTheMigration() throws Exception {
        Result r = bed.parity("production", "deploy", "--no-backup");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("  runs now:   v1 (its commit is unknown)"), r.err());
        assertTrue(r.err().contains("  migrations: cannot tell (the running commit is unknown): treated as pending"), r.err());
        assertEquals(1, bed.migrationsRun());
        for (Dyno d : bed.formation()) assertEquals(2, d.releaseVersion, d.name);
    }

    /** Before the first deploy the app ran no code: a failed migration has nothing to roll back to, and says so. */
    @Test
    void theFirstDeployWhoseMigrationFailsHasNothingToRollBackTo() throws Exception {
        bed.migrateCommand("exit 6");
        Result r = bed.parity("production", "deploy", "--no-backup");
        assertEquals(6, r.exitCode(), r.toString());
        assertTrue(r.err().contains("the migration exited with status 6; no dyno was restarted; no code ran before this push "
                + "(v1 has none), so there is nothing to roll back to"), r.err());
        assertEquals(2, bed.currentVersion(), "no rollback release");
        assertEquals(0, bed.restarts());
    }

    @Test
    void productionStopsBeforeThePushWhenTheBackupCannotBeTaken() throws Exception {
        bed.pushed(); // v2 runs `before`
        // this app has no database: the pinned CLI's pg:backups:capture fails, and nothing may follow
        bed.env.put("PATH", dev.parity.sandbox.support.SandboxFixture.HEROKU.getParent() + ":" + bed.env.get("PATH"));
        bed.addPendingMigration();
        Result r = bed.parity("production", "deploy");
        assertTrue(r.exitCode() != 0, r.toString());
        assertTrue(r.err().contains("could not back up production (" + APP + ") before migrating"), r.err());
        assertTrue(r.err().contains("nothing was pushed (to deploy without a backup: --no-backup)"), r.err());
        assertEquals(2, bed.currentVersion(), "nothing was pushed");
        assertEquals(0, bed.migrationsRun());
        assertEquals(0, bed.dynosCreated());
    }

    /** In production a backup of the database is captured (the pinned CLI) before anything is pushed, then the migration runs. */
    @Test
    void productionCapturesABackupBeforeThePushAndTheMigration() throws Exception {
        MigrateBed withDatabase = new MigrateBed(tmp.resolve("with-database"), true);
        try {
            withDatabase.env.put("PATH", dev.parity.sandbox.support.SandboxFixture.HEROKU.getParent() + ":" + withDatabase.env.get("PATH"));
            withDatabase.commit(Map.of("Procfile", PROCFILE, "db/migrate/001_create_users.rb", "create\n"));
            withDatabase.pushed();
            withDatabase.commit(Map.of("db/migrate/002_add_email.rb", "add\n"));
            withDatabase.migrateCommand("echo migrated");
            Result r = withDatabase.parity("production", "deploy");
            assertEquals(0, r.exitCode(), r.toString());
            int backup = r.err().indexOf("parity: production (" + APP + ")'s database before this deploy is backup b");
            int push = r.err().indexOf("] push to production (" + APP + ")");
            assertTrue(backup > 0 && push > backup, "the backup comes first\n" + r.err());
            assertEquals(1, withDatabase.migrationsRun());
            dev.parity.sandbox.support.SandboxFixture.Outcome info = withDatabase.f.heroku("pg:backups:info", "b001", "--app", APP);
            assertEquals(0, info.exitCode(), "the backup exists, as the pinned CLI reads it\n" + info);
        } finally {
            withDatabase.close();
        }
    }
}
