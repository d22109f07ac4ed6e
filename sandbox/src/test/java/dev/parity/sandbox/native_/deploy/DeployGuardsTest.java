package dev.parity.sandbox.native_.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.native_.migrate.MigrateBed;
import dev.parity.sandbox.native_.migrate.MigrateBed.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production's guards on a real deploy, real git against the sandbox: uncommitted changes are
 * refused before anything is read or pushed, a second name for production's app deploys as
 * production, and code a teammate deployed is never overwritten (production is never force-pushed).
 */
class DeployGuardsTest {
    static final String APP = MigrateBed.APP;

    @TempDir
    Path tmp;
    MigrateBed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = new MigrateBed(tmp);
        bed.commit(Map.of("Procfile", "web: ruby web.rb\nworker: ruby worker.rb\n"));
        bed.pushed(); // v2
        bed.git("remote", "add", "heroku", bed.f.sandbox().baseUrl() + "/" + APP + ".git");
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void aSecondNameForProductionDeploysAsProduction() throws Exception {
        String sha = bed.commit(Map.of("app.rb", "puts 1\n"));
        Result r = bed.parity("heroku", "deploy");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: heroku is production's app " + APP + " (from git remote 'production'), so parity treats it as production"),
                r.err());
        assertTrue(r.err().contains("[1/3] push to heroku (" + APP + ", production's app)"), r.err());
        assertEquals(sha, bed.app.currentRelease().orElseThrow().commit);
    }

    @Test
    void codeATeammateDeployedIsNeverOverwritten() throws Exception {
        Path teammate = tmp.resolve("teammate");
        assertEquals(0, bed.f.run(List.of("git", "clone", "-q", bed.f.sandbox().baseUrl() + "/" + APP + ".git", teammate.toString()), "", tmp).exitCode());
        assertEquals(0, bed.f.run(List.of("git", "-c", "user.email=t@example.com", "-c", "user.name=T", "commit", "-q", "--allow-empty", "-m", "hotfix"),
                "", teammate).exitCode());
        assertEquals(0, bed.f.run(List.of("git", "push", "-q", "origin", "main"), "", teammate).exitCode());
        String deployed = bed.app.currentRelease().orElseThrow().commit;
        int version = bed.currentVersion();
        bed.commit(Map.of("feature.txt", "local work\n"));

        Result r = bed.parity("heroku", "deploy");
        assertNotEquals(0, r.exitCode(), "a push that is not a fast-forward is refused, not forced\n" + r);
        assertTrue(r.err().contains("'push to heroku (" + APP + ", production's app)' failed"), r.err());
        assertTrue(r.err().contains("not run: find the new release"), r.err());
        // this clone lacks the running commit and the app has no migrate command: nothing would have been migrated
        assertTrue(r.err().contains("parity: no migrate command is known for this app (set migrate: in .parity.yml): not migrating"), r.err());
        assertEquals(deployed, bed.app.currentRelease().orElseThrow().commit, "production's code is as the teammate left it");
        assertEquals(version, bed.currentVersion());
    }

    @Test
    void uncommittedChangesAreRefusedBeforeAnythingIsReadOrPushed() throws Exception {
        bed.commit(Map.of("app.rb", "puts 1\n"));
        java.nio.file.Files.writeString(bed.repo.resolve("app.rb"), "puts 2\n");
        int requests = bed.f.sandbox().requests().count("GET", "/apps/" + APP + "/releases");
        Result r = bed.parity("production", "deploy");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("uncommitted changes would not be deployed:\n   M app.rb"), r.err());
        assertTrue(r.err().contains("Commit or stash them, or pass --allow-dirty. Nothing was pushed."), r.err());
        assertEquals(2, bed.currentVersion(), "nothing was pushed");
        assertEquals(requests, bed.f.sandbox().requests().count("GET", "/apps/" + APP + "/releases"), "nothing was read either");
    }

    /** A --wait or --watch no deadline can hold is refused before the push, not an overflow after it. */
    @Test
    void durationsBeyondADayAreRefusedBeforeAnythingIsPushed() throws Exception {
        bed.commit(Map.of("app.rb", "puts 2\n"));
        for (String[] args : new String[][] {{"--wait", "9999999h"}, {"--watch", "9223372036854775807h"}, {"--wait", "99999999999999999999s"}}) {
            Result r = bed.parity("production", "deploy", args[0], args[1]);
            assertEquals(2, r.exitCode(), String.join(" ", args) + "\n" + r);
            assertTrue(r.err().contains(args[0] + " must be at most 24h, not '" + args[1] + "'"), r.err());
            assertEquals(2, bed.currentVersion(), "nothing was pushed");
        }
    }
}
