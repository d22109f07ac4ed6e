package dev.parity.sandbox.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.heroku.HerokuApi;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.heroku.Release;
import dev.parity.logs.LogStream;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.stale.DynoView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The typed Platform surface the verbs use, against the sandbox: releases, dynos, restarts, config, pipelines, logs. */
class PlatformTest {
    static final String APP = "typed-app";

    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;
    Platform platform;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        app = f.sandbox().createApp(APP, false, Map.of("web", 2, "worker", 1));
        platform = new Platform(HerokuApi.from(f.env()));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void releasesComeNewestFirstAndAsManyAsAsked() throws Exception {
        app.addRelease("Deploy 1111111", "succeeded", "1111111", f.sandbox().clock().instant());
        app.addRelease("Set FOO config vars", "succeeded", "1111111", f.sandbox().clock().instant());
        app.addRelease("Deploy 2222222", "succeeded", "2222222", f.sandbox().clock().instant());

        List<Release> all = platform.releases(APP, 10);
        assertEquals(List.of(4, 3, 2, 1), all.stream().map(Release::version).toList());
        assertEquals(Optional.of("2222222"), all.get(0).describedCommit());
        assertEquals(List.of(4, 3), platform.releases(APP, 2).stream().map(Release::version).toList());
        assertEquals("v3", platform.release(APP, "v3").label());
    }

    @Test
    void theCurrentReleaseIsNotANewerFailedOne() throws Exception {
        app.addRelease("Deploy 1111111", "succeeded", "1111111", f.sandbox().clock().instant());
        app.addRelease("Deploy 2222222", "failed", "2222222", f.sandbox().clock().instant());

        assertTrue(platform.releases(APP, 10).get(0).failed(), "the failed release is the newest");
        Release current = platform.currentRelease(APP).orElseThrow();
        assertEquals(2, current.version());
        assertTrue(current.succeeded());
    }

    @Test
    void dynosAreTypedWithTheirRelease() throws Exception {
        List<DynoView> dynos = platform.dynos(APP);
        assertEquals(List.of("web.1", "web.2", "worker.1"), dynos.stream().map(DynoView::name).sorted().toList());
        assertTrue(dynos.stream().allMatch(d -> d.releaseVersion() == 1 && !d.oneOff()), dynos.toString());
        assertEquals(3, platform.dynosJson(APP).size());
    }

    /** How often each dyno has booted, by name: a restart boots it once more. */
    Map<String, Long> boots() {
        Map<String, Long> g = new TreeMap<>();
        for (Dyno d : app.dynosSnapshot()) g.put(d.name, d.generation);
        return g;
    }

    @Test
    void restartByTypeRestartsOnlyThatType() throws Exception {
        Map<String, Long> before = boots();
        platform.restartType(APP, "web");
        Map<String, Long> after = boots();
        assertEquals(before.get("web.1") + 1, after.get("web.1"));
        assertEquals(before.get("web.2") + 1, after.get("web.2"));
        assertEquals(before.get("worker.1"), after.get("worker.1"));
    }

    @Test
    void restartByDynoRestartsOnlyThatDyno() throws Exception {
        Map<String, Long> before = boots();
        platform.restartDyno(APP, "web.2");
        Map<String, Long> after = boots();
        assertEquals(before.get("web.1"), after.get("web.1"));
        assertEquals(before.get("web.2") + 1, after.get("web.2"));
        assertEquals(before.get("worker.1"), after.get("worker.1"));
    }

    @Test
    void restartAllRestartsEveryDyno() throws Exception {
        Map<String, Long> before = boots();
        platform.restartAll(APP);
        Map<String, Long> after = boots();
        before.forEach((name, boots) -> assertEquals(boots + 1, after.get(name), name));
    }

    @Test
    void configVarsAreReadAsAMap() throws Exception {
        synchronized (app) {
            app.configVars.put("FOO", "bar");
            app.configVars.put("RAILS_ENV", "production");
        }
        Map<String, String> vars = platform.configVars(APP);
        assertEquals("bar", vars.get("FOO"));
        assertEquals("production", vars.get("RAILS_ENV"));
    }

    @Test
    void anAppThatDoesNotExistIsNotFound() {
        for (Executable call : List.<Executable>of(() -> platform.app("no-such-app"), () -> platform.dynos("no-such-app"),
                () -> platform.currentRelease("no-such-app"), () -> platform.configVars("no-such-app"),
                () -> platform.restartAll("no-such-app"))) {
            HerokuApiException e = assertThrows(HerokuApiException.class, call);
            assertTrue(e.notFound(), e.getMessage());
        }
    }

    @Test
    void aPipelineCouplingAndItsReviewApps() throws Exception {
        App review = f.sandbox().createApp("typed-review-7", false, Map.of("web", 1));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.sandbox().baseUrl() + "/sandbox/pipelines"))
                .header("Authorization", "Bearer " + f.sandbox().token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"typed\",\"staging\":\"" + APP
                        + "\",\"review_apps\":[{\"app\":\"typed-review-7\",\"pr_number\":7,\"branch\":\"feature\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());

        Platform.PipelineCoupling coupling = platform.pipelineCoupling(APP).orElseThrow();
        assertEquals("typed", coupling.pipelineName());
        List<Platform.ReviewApp> reviewApps = platform.reviewApps(coupling.pipelineId());
        assertEquals(1, reviewApps.size(), reviewApps.toString());
        assertEquals(7, reviewApps.get(0).prNumber());
        assertTrue(reviewApps.get(0).created());
        assertEquals("typed-review-7", platform.appName(reviewApps.get(0).appId().orElseThrow()));
        assertEquals(review.id, reviewApps.get(0).appId().orElseThrow());

        f.sandbox().createApp("typed-loner", false, Map.of("web", 1));
        HerokuApiException none = assertThrows(HerokuApiException.class, () -> platform.pipelineCoupling("typed-loner"));
        assertTrue(none.notFound(), none.getMessage());
    }

    @Test
    void aLogSessionGivesTheUrlToStreamFrom() throws Exception {
        String url = platform.logSession(APP, new LogStream.Request(5, false, "web", null)).orElseThrow();
        assertTrue(url.startsWith(f.sandbox().baseUrl() + "/"), url);
        assertEquals(1, f.sandbox().requests().count("POST", Platform.logSessionsPath(APP)));
    }
}
