package dev.parity.sandbox.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Release;
import dev.parity.sandbox.support.Api;
import dev.parity.sandbox.support.GitSource;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config change makes a release that runs the current slug's release command with the new
 * config vars (as Heroku's release phase runs on config changes); the dynos restart only when it
 * succeeds.
 */
class ConfigChangeReleasePhaseTest {
    static final String APP = "demo-production";

    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;
    Api api;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        app = f.sandbox().createApp(APP, false, Map.of("web", 1));
        api = new Api(f.sandbox());
        new GitSource(f, tmp.resolve("src")).deploy(APP, Map.of("Procfile",
                "release: echo release sees $FOO; test \"$FOO\" != bad\nweb: ruby web.rb\n"));   // v2
        awaitDynosOn(2);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void theReleaseCommandRunsWithTheNewVarsAndTheDynosRestartWhenItSucceeds() throws Exception {
        Outcome set = f.heroku("config:set", "FOO=good", "--app", APP);
        assertEquals(0, set.exitCode(), set.toString());
        Release v3 = app.releases.get(2);
        assertEquals("Set FOO config vars", v3.description);
        assertTrue(v3.releasePhase);
        SandboxFixture.await(Duration.ofSeconds(20), () -> "succeeded".equals(v3.status));
        assertEquals(3, app.currentVersion());
        awaitDynosOn(3);

        Outcome output = f.heroku("releases:output", "v3", "--app", APP);
        assertEquals("release sees good\n", output.out(), output.toString());
    }

    @Test
    void aFailingReleaseCommandLeavesTheDynosOnThePreviousRelease() throws Exception {
        long generation = app.dyno("web.1").orElseThrow().generation;
        Outcome set = f.heroku("config:set", "FOO=bad", "--app", APP);
        assertEquals(0, set.exitCode(), "the API stores the vars; the release is what fails\n" + set);
        Release v3 = app.releases.get(2);
        SandboxFixture.await(Duration.ofSeconds(20), () -> "failed".equals(v3.status));

        assertEquals(2, app.currentVersion());
        assertEquals(Map.of("FOO", "bad"), v3.config);
        assertEquals("{\"FOO\":\"bad\"}", api.get("/apps/" + APP + "/config-vars").body());
        f.awaitReleaseQueue(app); // a restart the failed release asked for would have happened by now
        assertEquals(generation, app.dyno("web.1").orElseThrow().generation, "no restart after a failed release phase");
        assertEquals(2, app.dyno("web.1").orElseThrow().releaseVersion);
        Outcome releases = f.heroku("releases", "--app", APP);
        assertTrue(releases.out().contains("Current: v2"), releases.out());
        assertTrue(releases.out().contains("Set FOO config vars release command failed"), releases.out());
    }

    @Test
    void anAppWithoutReleasePhaseReleasesAtOnce() throws Exception {
        new GitSource(f, tmp.resolve("plain")).deploy(APP, Map.of("Procfile", "web: ruby web.rb\n")); // v3, no release phase
        Outcome set = f.heroku("config:set", "FOO=x", "--app", APP);
        assertEquals(0, set.exitCode(), set.toString());
        assertEquals("succeeded", app.releases.get(3).status);
        assertEquals(4, app.currentVersion());
        assertTrue(api.get("/apps/" + APP + "/releases/4").json().path("output_stream_url").isNull());
    }

    void awaitDynosOn(int version) throws InterruptedException {
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream()
                .filter(d -> !d.type.equals("release")).allMatch(d -> d.state.equals("up") && d.releaseVersion == version));
    }
}
