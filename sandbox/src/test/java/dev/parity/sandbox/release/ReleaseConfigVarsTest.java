package dev.parity.sandbox.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.Api;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each release keeps the config vars it was made with: {@code GET /apps/APP/releases/V/config-vars}, read by {@code heroku releases:info}. */
class ReleaseConfigVarsTest {
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
        assertEquals(0, f.heroku("config:set", "FOO=one", "--app", APP).exitCode());           // v2
        assertEquals(0, f.heroku("config:set", "FOO=two", "BAR=x", "--app", APP).exitCode());  // v3
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void releasesInfoShowsTheConfigVarsAsOfThatRelease() throws Exception {
        Outcome v2 = f.heroku("releases:info", "v2", "--app", APP);
        assertEquals(0, v2.exitCode(), v2.toString());
        assertTrue(v2.out().contains("=== Release v2"), v2.out());
        assertTrue(v2.out().matches("(?s).*Change:\\s+Set FOO config vars.*"), v2.out());
        // no deploy yet: the release has no code to roll back to
        assertTrue(v2.out().matches("(?s).*Eligible for Rollback\\?:\\s+No.*"), v2.out());
        assertTrue(v2.out().contains("=== v2 Config vars"), v2.out());
        assertTrue(v2.out().matches("(?s).*FOO:\\s+one\n.*"), v2.out());
        assertTrue(!v2.out().contains("BAR"), v2.out());

        Outcome latest = f.heroku("releases:info", "--app", APP, "--shell");
        assertEquals(0, latest.exitCode(), latest.toString());
        assertTrue(latest.out().contains("=== Release v3"), latest.out());
        assertTrue(latest.out().contains("FOO=two\nBAR=x\n"), latest.out());
    }

    @Test
    void theApiAnswersByVersionOrIdAnd404ForAnUnknownRelease() throws Exception {
        Api.Answer byVersion = api.get("/apps/" + APP + "/releases/2/config-vars");
        assertEquals(200, byVersion.status(), byVersion.toString());
        assertEquals("{\"FOO\":\"one\"}", byVersion.body());
        Api.Answer byId = api.get("/apps/" + APP + "/releases/" + app.releases.get(2).id + "/config-vars");
        assertEquals("{\"FOO\":\"two\",\"BAR\":\"x\"}", byId.body());
        assertEquals("{}", api.get("/apps/" + APP + "/releases/v1/config-vars").body());

        Api.Answer unknown = api.get("/apps/" + APP + "/releases/9/config-vars");
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals("not_found", unknown.json().path("id").asText());
    }
}
