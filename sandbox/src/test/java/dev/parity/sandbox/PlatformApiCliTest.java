package dev.parity.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official heroku CLI, unchanged, against the sandbox's Platform API. */
class PlatformApiCliTest {
    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        app = f.sandbox().createApp("demo-production", false, Map.of("web", 2, "worker", 1));
        awaitAllUp();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    void awaitAllUp() throws InterruptedException {
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream().allMatch(d -> d.state.equals("up")));
    }

    @Test
    void appsInfo() throws Exception {
        Outcome o = f.heroku("apps:info", "--app", "demo-production");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("=== demo-production"), o.out());
        assertTrue(o.out().contains("Git URL:") && o.out().contains(f.sandbox().baseUrl() + "/demo-production.git"), o.out());
    }

    @Test
    void psShowsTheOfficialLayout() throws Exception {
        Outcome o = f.heroku("ps", "--app", "demo-production");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("=== web (Basic):"), o.out());
        assertTrue(o.out().matches("(?s).*web\\.1: up \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000 \\(~ \\d+s ago\\).*"), o.out());
        assertTrue(o.out().contains("worker.1: up"), o.out());
    }

    @Test
    void unknownAppIs404AndBadTokenIs401() throws Exception {
        Outcome missing = f.heroku("ps", "--app", "no-such-app");
        assertTrue(missing.exitCode() != 0, missing.toString());
        assertTrue(missing.err().contains("Couldn't find that app."), missing.err());
    }

    @Test
    void restartAllOneTypeAndOneDyno() throws Exception {
        // Which dynos restarted, told by their restart counts (the sandbox bumps one as it handles
        // the request) rather than by boot times a second apart.
        Map<String, Long> start = restartCounts();
        Outcome all = f.heroku("restart", "--app", "demo-production");
        assertEquals(0, all.exitCode(), all.toString());
        awaitAllUp();
        Map<String, Long> afterAll = restartCounts();
        for (String dyno : start.keySet()) assertTrue(afterAll.get(dyno) > start.get(dyno), dyno);

        Outcome type = f.heroku("ps:restart", "--process-type", "worker", "--app", "demo-production");
        assertEquals(0, type.exitCode(), type.toString());
        awaitAllUp();
        Map<String, Long> afterType = restartCounts();
        assertTrue(afterType.get("worker.1") > afterAll.get("worker.1"), afterType.toString());
        assertEquals(afterAll.get("web.1"), afterType.get("web.1"));

        Outcome one = f.heroku("ps:restart", "--dyno-name", "web.2", "--app", "demo-production");
        assertEquals(0, one.exitCode(), one.toString());
        awaitAllUp();
        Map<String, Long> afterOne = restartCounts();
        assertTrue(afterOne.get("web.2") > afterType.get("web.2"), afterOne.toString());
        assertEquals(afterType.get("web.1"), afterOne.get("web.1"));
        assertEquals(afterType.get("worker.1"), afterOne.get("worker.1"));
    }

    Map<String, Long> restartCounts() {
        Map<String, Long> m = new java.util.HashMap<>();
        for (Dyno d : app.dynosSnapshot()) m.put(d.name, d.generation);
        return m;
    }

    @Test
    void releasesNewestFirst() throws Exception {
        for (int i = 0; i < 3; i++) assertEquals(0, f.heroku("config:set", "N=" + i, "--app", "demo-production").exitCode());
        Outcome o = f.heroku("releases", "--app", "demo-production", "-n", "2");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("=== demo-production Releases - Current: v4"), o.out());
        assertTrue(o.out().contains("v4") && o.out().contains("v3") && !o.out().contains("v2 "), o.out());
    }

    @Test
    void configSetMakesAReleaseAndRestarts() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        Outcome set = f.heroku("config:set", "GREETING=hello world", "--app", "demo-production");
        assertEquals(0, set.exitCode(), set.toString());
        assertEquals(2, app.currentVersion());
        awaitAllUp();
        for (Dyno d : app.dynosSnapshot()) {
            assertTrue(d.updatedAt.isAfter(before), d.name);
            assertEquals(2, d.releaseVersion);
        }
        Outcome get = f.heroku("config", "--app", "demo-production");
        assertEquals(0, get.exitCode(), get.toString());
        assertTrue(get.out().contains("GREETING: hello world"), get.out());
    }
}
