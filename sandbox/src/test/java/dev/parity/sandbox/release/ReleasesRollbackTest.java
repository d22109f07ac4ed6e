package dev.parity.sandbox.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Release;
import dev.parity.sandbox.support.Api;
import dev.parity.sandbox.support.GitSource;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /apps/APP/releases {"release": …}}: a rollback is a new release with the target's
 * code and config vars, through the release phase when the target's Procfile has one; the
 * official {@code heroku releases:rollback} drives it.
 */
class ReleasesRollbackTest {
    static final String APP = "demo-production";

    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;
    GitSource src;
    Api api;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        app = f.sandbox().createApp(APP, false, Map.of("web", 1));
        src = new GitSource(f, tmp.resolve("src"));
        api = new Api(f.sandbox());
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void rollbackBringsBackTheTargetsCodeConfigAndCommandsAndRestartsTheDynos() throws Exception {
        String first = src.deploy(APP, Map.of("Procfile", "web: ruby old.rb\n", "VERSION", "1\n"));   // v2
        assertEquals(0, f.heroku("config:set", "FOO=one", "--app", APP).exitCode());               // v3
        src.deploy(APP, Map.of("Procfile", "web: ruby new.rb\n", "VERSION", "2\n"));                // v4
        assertEquals(0, f.heroku("config:set", "FOO=two", "BAR=x", "--app", APP).exitCode());      // v5
        awaitDynosOn(5);

        // the default target: the second eligible release of the newest page, i.e. v4
        Outcome back = f.heroku("releases:rollback", "--app", APP);
        assertEquals(0, back.exitCode(), back.toString());
        assertTrue(back.err().contains("Rolling back " + APP + " to v4... done, v6"), back.err());
        assertTrue(back.err().contains("To undo, run: heroku rollback v5"), back.err());
        Release v6 = app.currentRelease().orElseThrow();
        assertEquals(6, v6.version);
        assertEquals("Rollback to v4", v6.description);
        assertEquals(Map.of("FOO", "one"), app.configVars);
        awaitDynosOn(6);

        Outcome toV2 = f.heroku("releases:rollback", "v2", "--app", APP);
        assertEquals(0, toV2.exitCode(), toV2.toString());
        assertTrue(toV2.err().contains("Rolling back " + APP + " to v2... done, v7"), toV2.err());
        assertEquals(7, app.currentVersion());
        assertEquals(first, app.currentRelease().orElseThrow().commit);
        assertEquals("1\n", Files.readString(app.codeDir.resolve("VERSION")));
        assertEquals("ruby old.rb", app.formation.get("web").command);
        assertEquals(Map.of(), app.configVars);
        awaitDynosOn(7);
        assertEquals("ruby old.rb", app.dyno("web.1").orElseThrow().command);

        Outcome releases = f.heroku("releases", "--app", APP);
        assertTrue(releases.out().contains("v7  Rollback to v2") || releases.out().matches("(?s).*v7\\s+Rollback to v2.*"), releases.out());
        Outcome config = f.heroku("config", "--app", APP);
        assertFalse(config.out().contains("FOO"), config.out());
    }

    @Test
    void rollbackRunsTheTargetsReleasePhaseAndGoesLiveOnlyWhenItSucceeds() throws Exception {
        Path gate = tmp.resolve("gate");
        Files.writeString(gate, ""); // open for the deploy; closed again for the rollback
        String first = src.deploy(APP, Map.of("Procfile",
                "release: echo releasing $DYNO; while [ ! -e " + gate + " ]; do sleep 0.05; done\nweb: ruby old.rb\n"));
        src.deploy(APP, Map.of("Procfile", "web: ruby new.rb\n"));
        awaitDynosOn(3);
        Files.delete(gate);
        long generation = app.dyno("web.1").orElseThrow().generation;

        Api.Answer created = api.post("/apps/" + APP + "/releases", "{\"release\": \"" + app.releases.get(1).id + "\"}");
        assertEquals(201, created.status(), created.toString());
        JsonNode body = created.json();
        assertEquals(4, body.path("version").asInt());
        assertEquals("pending", body.path("status").asText());
        assertEquals("Rollback to v2", body.path("description").asText());
        assertEquals(app.releases.get(1).slug.id, body.path("slug").path("id").asText());
        assertFalse(body.path("current").asBoolean());
        // while the release command runs, the old release stays live and the dynos stay on it
        assertEquals(3, app.currentVersion());
        assertTrue(app.dynosSnapshot().stream().anyMatch(d -> d.type.equals("release")));
        assertEquals(generation, app.dyno("web.1").orElseThrow().generation);

        Files.writeString(gate, "");
        SandboxFixture.await(Duration.ofSeconds(20), () -> "succeeded".equals(app.releases.get(3).status));
        assertEquals(4, app.currentVersion());
        assertEquals(first, app.currentRelease().orElseThrow().commit);
        awaitDynosOn(4);
        assertEquals("ruby old.rb", app.dyno("web.1").orElseThrow().command);
    }

    @Test
    void aFailedReleasePhaseKeepsThePreviousReleaseItsCodeAndItsDynos() throws Exception {
        Path refuse = tmp.resolve("refuse");
        src.deploy(APP, Map.of("Procfile", "release: test ! -e " + refuse + "\nweb: ruby old.rb\n", "VERSION", "1\n"));
        String second = src.deploy(APP, Map.of("Procfile", "web: ruby new.rb\n", "VERSION", "2\n"));
        assertEquals(0, f.heroku("config:set", "FOO=kept", "--app", APP).exitCode());
        awaitDynosOn(4);
        Files.writeString(refuse, "");
        long generation = app.dyno("web.1").orElseThrow().generation;

        Outcome back = f.heroku("releases:rollback", "v2", "--app", APP);
        assertEquals(0, back.exitCode(), "the CLI only starts the rollback\n" + back);
        SandboxFixture.await(Duration.ofSeconds(20), () -> app.releases.size() == 5 && "failed".equals(app.releases.get(4).status));

        assertEquals(4, app.currentVersion());
        assertEquals(second, app.currentRelease().orElseThrow().commit);
        assertEquals("2\n", Files.readString(app.codeDir.resolve("VERSION")), "the live release's code is checked out again");
        assertEquals(Map.of("FOO", "kept"), app.configVars);
        assertEquals("ruby new.rb", app.formation.get("web").command);
        f.awaitReleaseQueue(app); // a restart the failed release asked for would have happened by now
        assertEquals(generation, app.dyno("web.1").orElseThrow().generation, "no restart after a failed release phase");
        JsonNode failed = api.get("/apps/" + APP + "/releases/5").json();
        assertEquals("failed", failed.path("status").asText());
        assertFalse(failed.path("eligible_for_rollback").asBoolean());
        assertFalse(failed.path("current").asBoolean());
    }

    @Test
    void unknownTargetsAndBadBodiesAreRefusedWithoutARelease() throws Exception {
        src.deploy(APP, Map.of("Procfile", "web: ruby old.rb\n"));
        int before = app.releases.size();

        Api.Answer unknown = api.post("/apps/" + APP + "/releases", "{\"release\": \"v99\"}");
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals("not_found", unknown.json().path("id").asText());
        Api.Answer unknownId = api.post("/apps/" + APP + "/releases", "{\"release\": \"00000000-0000-0000-0000-000000000000\"}");
        assertEquals(404, unknownId.status(), unknownId.toString());
        Api.Answer unknownSlug = api.post("/apps/" + APP + "/releases", "{\"slug\": \"00000000-0000-0000-0000-000000000000\"}");
        assertEquals(404, unknownSlug.status(), unknownSlug.toString());
        Api.Answer neither = api.post("/apps/" + APP + "/releases", "{}");
        assertEquals(422, neither.status(), neither.toString());
        Outcome cli = f.heroku("releases:rollback", "v99", "--app", APP);
        assertTrue(cli.exitCode() != 0, cli.toString());
        assertTrue(cli.err().contains("Couldn't find that release."), cli.err());

        assertEquals(before, app.releases.size());
    }

    @Test
    void aReleaseOfASlugRunsThatSlugWithTheCurrentConfig() throws Exception {
        String first = src.deploy(APP, Map.of("Procfile", "web: ruby old.rb\n"));
        String slugId = app.currentRelease().orElseThrow().slug.id;
        src.deploy(APP, Map.of("Procfile", "web: ruby new.rb\n"));
        assertEquals(0, f.heroku("config:set", "FOO=now", "--app", APP).exitCode());

        Api.Answer created = api.post("/apps/" + APP + "/releases", "{\"slug\": \"" + slugId + "\", \"description\": \"Promote\"}");
        assertEquals(201, created.status(), created.toString());
        assertEquals("succeeded", created.json().path("status").asText());
        assertEquals("Promote", created.json().path("description").asText());
        assertTrue(created.json().path("current").asBoolean());
        assertEquals(first, app.currentRelease().orElseThrow().commit);
        assertEquals(Map.of("FOO", "now"), app.configVars);
        assertNull(app.releases.get(0).slug, "the initial release has no slug");
    }

    @Test
    void anAppWithOneReleaseHasNothingToRollBackTo() throws Exception {
        Outcome o = f.heroku("releases:rollback", "--app", APP);
        assertTrue(o.exitCode() != 0, o.toString());
        assertTrue(o.err().contains("No eligible release found for " + APP + " to roll back to."), o.err());
        assertEquals(1, app.releases.size());
    }

    @Test
    void releasesWithoutCodeAreNoRollbackTargets() throws Exception {
        assertEquals(0, f.heroku("config:set", "FOO=1", "--app", APP).exitCode()); // v2: no deploy yet, no slug
        Outcome o = f.heroku("releases:rollback", "--app", APP);
        assertTrue(o.exitCode() != 0, o.toString());
        assertTrue(o.err().contains("No eligible release found for " + APP + " to roll back to."), o.err());

        Api.Answer v1 = api.post("/apps/" + APP + "/releases", "{\"release\": \"1\"}");
        assertEquals(422, v1.status(), v1.toString());
        assertTrue(v1.json().path("message").asText().contains("has no code to roll back to"), v1.toString());
        assertFalse(api.get("/apps/" + APP + "/releases/1").json().path("eligible_for_rollback").asBoolean());
        assertEquals(2, app.releases.size());
        assertEquals(Map.of("FOO", "1"), app.configVars);
    }

    void awaitDynosOn(int version) throws InterruptedException {
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream()
                .filter(d -> !d.type.equals("release")).allMatch(d -> d.state.equals("up") && d.releaseVersion == version));
    }

}
