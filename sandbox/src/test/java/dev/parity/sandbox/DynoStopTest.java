package dev.parity.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.logs.LogLine;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
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

/**
 * Stopping dynos ({@code heroku ps:stop}, {@code ps:kill}): a formation dyno goes down and the
 * formation boots it again; a one-off dyno ends.
 */
class DynoStopTest {
    static final String APP = "demo-production";

    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;
    Api api;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        app = f.sandbox().createApp(APP, false, Map.of("web", 2, "worker", 1));
        api = new Api(f.sandbox());
        awaitAllUp();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void psStopOneDynoTakesItDownAndTheFormationBootsItAgain() throws Exception {
        long web1 = generation("web.1");
        long web2 = generation("web.2");
        Outcome stop = f.heroku("ps:stop", "web.1", "--app", APP);
        assertEquals(0, stop.exitCode(), stop.toString());
        assertTrue(stop.err().contains("Stopping dyno web.1 on " + APP + "... done"), stop.err());
        assertTrue(log().contains("heroku[web.1]: State changed from up to down"), log());

        awaitAllUp();
        assertTrue(generation("web.1") > web1, "web.1 booted again");
        assertEquals(web2, generation("web.2"), "web.2 untouched");
        assertTrue(log().matches("(?s).*heroku\\[web\\.1\\]: State changed from up to down\n.*"
                + "heroku\\[web\\.1\\]: State changed from starting to up\n.*"), log());
    }

    @Test
    void psStopAProcessTypeByArgumentOrFlagAndPsKill() throws Exception {
        long worker = generation("worker.1");
        Outcome byArgument = f.heroku("ps:stop", "web", "--app", APP);
        assertEquals(0, byArgument.exitCode(), byArgument.toString());
        assertTrue(log().contains("heroku[web.1]: State changed from up to down"), log());
        assertTrue(log().contains("heroku[web.2]: State changed from up to down"), log());
        assertEquals(worker, generation("worker.1"));
        awaitAllUp();

        Outcome byFlag = f.heroku("ps:stop", "--process-type", "worker", "--app", APP);
        assertEquals(0, byFlag.exitCode(), byFlag.toString());
        assertTrue(byFlag.err().contains("Stopping all worker dynos on " + APP + "... done"), byFlag.err());
        assertTrue(log().contains("heroku[worker.1]: State changed from up to down"), log());
        awaitAllUp();

        long web2 = generation("web.2");
        Outcome kill = f.heroku("ps:kill", "web.2", "--app", APP);
        assertEquals(0, kill.exitCode(), kill.toString());
        awaitAllUp();
        assertTrue(generation("web.2") > web2);
    }

    @Test
    void theApiAnswers202AndTheDynoIsDownUntilItBootsAgain() throws Exception {
        f.sandbox().bootDelay(Duration.ofSeconds(30)); // the dyno stays down for the test's length
        Api.Answer stop = api.post("/apps/" + APP + "/dynos/web.2/actions/stop", null);
        assertEquals(202, stop.status(), stop.toString());
        assertEquals("down", api.get("/apps/" + APP + "/dynos/web.2").json().path("state").asText());
        assertEquals("up", app.dyno("web.1").orElseThrow().state);

        Api.Answer type = api.post("/apps/" + APP + "/formations/worker/actions/stop", null);
        assertEquals(202, type.status(), type.toString());
        assertEquals("down", app.dyno("worker.1").orElseThrow().state);

        Api.Answer noDyno = api.post("/apps/" + APP + "/dynos/web.9/actions/stop", null);
        assertEquals(404, noDyno.status(), noDyno.toString());
        Api.Answer noType = api.post("/apps/" + APP + "/formations/clock/actions/stop", null);
        assertEquals(404, noType.status(), noType.toString());
        assertEquals("up", app.dyno("web.1").orElseThrow().state, "a refused stop stops nothing");
    }

    @Test
    void psStopEndsAOneOffDyno() throws Exception {
        Outcome run = f.heroku("run:detached", "sleep 60", "--app", APP);
        assertEquals(0, run.exitCode(), run.toString());
        Dyno oneOff = app.dynosSnapshot().stream().filter(d -> d.type.equals("run")).findFirst().orElseThrow();
        SandboxFixture.await(Duration.ofSeconds(10), () -> oneOff.state.equals("up"));

        Outcome stop = f.heroku("ps:stop", oneOff.name, "--app", APP);
        assertEquals(0, stop.exitCode(), stop.toString());
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dyno(oneOff.name).isEmpty());
        assertEquals(3, app.dynosSnapshot().size());
    }

    long generation(String dyno) {
        return app.dyno(dyno).orElseThrow().generation;
    }

    String log() {
        StringBuilder sb = new StringBuilder();
        for (LogLine l : f.sandbox().logs().recent(APP)) sb.append(l.source()).append('[').append(l.dyno()).append("]: ").append(l.message()).append('\n');
        return sb.toString();
    }

    void awaitAllUp() throws InterruptedException {
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream().allMatch(d -> d.state.equals("up")));
    }
}
