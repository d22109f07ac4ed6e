package dev.parity.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.Api;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maintenance mode: {@code PATCH /apps/APP {"maintenance": …}} flips the app's flag, with no release and no restart. */
class MaintenanceTest {
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
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream().allMatch(d -> d.state.equals("up")));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void theCliTurnsMaintenanceOnAndOffWithoutAReleaseOrARestart() throws Exception {
        long generation = app.dyno("web.1").orElseThrow().generation;
        Outcome status = f.heroku("maintenance", "--app", APP);
        assertEquals(0, status.exitCode(), status.toString());
        assertEquals("off\n", status.out());

        Outcome on = f.heroku("maintenance:on", "--app", APP);
        assertEquals(0, on.exitCode(), on.toString());
        assertTrue(on.err().contains("Enabling maintenance mode for " + APP + "... done"), on.err());
        assertTrue(app.maintenance);
        assertEquals("on\n", f.heroku("maintenance", "--app", APP).out());
        assertTrue(api.get("/apps/" + APP).json().path("maintenance").asBoolean());

        Outcome off = f.heroku("maintenance:off", "--app", APP);
        assertEquals(0, off.exitCode(), off.toString());
        assertTrue(off.err().contains("Disabling maintenance mode for " + APP + "... done"), off.err());
        assertFalse(app.maintenance);
        assertEquals("off\n", f.heroku("maintenance", "--app", APP).out());

        assertEquals(1, app.releases.size(), "maintenance makes no release");
        assertEquals(generation, app.dyno("web.1").orElseThrow().generation, "maintenance restarts nothing");
    }

    @Test
    void theApiAnswersTheAppAndRefusesWhatItCannotDo() throws Exception {
        Api.Answer on = api.patch("/apps/" + APP, "{\"maintenance\": true}");
        assertEquals(200, on.status(), on.toString());
        assertTrue(on.json().path("maintenance").asBoolean());
        assertEquals(APP, on.json().path("name").asText());

        Api.Answer sameName = api.patch("/apps/" + APP, "{\"name\": \"" + APP + "\", \"maintenance\": false}");
        assertEquals(200, sameName.status(), sameName.toString());
        assertFalse(app.maintenance);

        Api.Answer notBoolean = api.patch("/apps/" + APP, "{\"maintenance\": \"yes\"}");
        assertEquals(422, notBoolean.status(), notBoolean.toString());
        assertEquals("invalid_params", notBoolean.json().path("id").asText());
        Api.Answer rename = api.patch("/apps/" + APP, "{\"name\": \"other-name\", \"maintenance\": true}");
        assertEquals(422, rename.status(), rename.toString());
        assertFalse(app.maintenance, "a refused update changes nothing");

        Api.Answer unknown = api.patch("/apps/no-such-app", "{\"maintenance\": true}");
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals(1, app.releases.size());
    }
}
