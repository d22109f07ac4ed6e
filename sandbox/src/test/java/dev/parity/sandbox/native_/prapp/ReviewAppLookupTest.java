package dev.parity.sandbox.native_.prapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.cli.Parity;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import dev.parity.ui.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pr_app N}: the review app found through the staging app's pipeline, else the original's naming. */
class ReviewAppLookupTest {
    static final String STAGING = "demo-staging";

    @TempDir
    Path tmp;
    SandboxFixture f;
    Path repo;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        f.sandbox().createApp(STAGING, false, Map.of("web", 1));
        repo = Files.createDirectories(tmp.resolve("repo"));
        for (List<String> argv : List.of(List.of("git", "init", "-q"),
                List.of("git", "remote", "add", "staging", f.sandbox().baseUrl() + "/" + STAGING + ".git"))) {
            Outcome o = f.run(argv, null, repo);
            assertEquals(0, o.exitCode(), o.toString());
        }
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    Outcome parity(String... args) throws Exception {
        Map<String, String> env = f.env();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), env, repo, false);
        int code = new Parity(io, new SystemProcessRunner(env, repo)).run(args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    void pipeline(String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.sandbox().baseUrl() + "/sandbox/pipelines"))
                .header("Authorization", "Bearer " + f.env().get("HEROKU_API_KEY"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
    }

    void awaitUp(App app) throws InterruptedException {
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream().allMatch(d -> d.state.equals("up")));
    }

    @Test
    void psAddressesTheReviewAppInThePipeline() throws Exception {
        App review = f.sandbox().createApp("my-review-app-x", false, Map.of("web", 1, "worker", 1));
        awaitUp(review);
        pipeline("{\"name\":\"demo\",\"staging\":\"" + STAGING + "\",\"review_apps\":[{\"app\":\"my-review-app-x\",\"pr_number\":12,\"branch\":\"feature\"}]}");
        Outcome o = parity("pr_app", "12", "ps");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("worker.1: up"), o.toString());
        assertTrue(o.out().contains("web.1: up"), o.toString());
    }

    @Test
    void dryRunUsesTheNamingWithoutTheApi() throws Exception {
        f.sandbox().createApp("my-review-app-x", false, Map.of("web", 1));
        pipeline("{\"name\":\"demo\",\"staging\":\"" + STAGING + "\",\"review_apps\":[{\"app\":\"my-review-app-x\",\"pr_number\":12,\"branch\":\"feature\"}]}");
        Files.writeString(repo.resolve(".parity.yml"), "migrate: bundle exec rails db:migrate\n");
        Outcome o = parity("pr_app", "12", "--dry-run", "migrate");
        assertEquals(0, o.exitCode(), o.toString());
        String all = o.out() + o.err();
        assertTrue(all.contains(STAGING + "-pr-12"), o.toString());
        assertFalse(all.contains("my-review-app-x"), o.toString());
    }

    @Test
    void deletedReviewAppFallsBackToTheNaming() throws Exception {
        f.sandbox().createApp("my-review-app-x", false, Map.of("web", 1));
        pipeline("{\"name\":\"demo\",\"staging\":\"" + STAGING + "\",\"review_apps\":[{\"app\":\"my-review-app-x\",\"pr_number\":12,\"branch\":\"feature\",\"status\":\"deleted\"}]}");
        Outcome o = parity("pr_app", "12", "ps");
        assertTrue((o.out() + o.err()).contains(STAGING + "-pr-12"), o.toString());
        assertFalse(o.out().contains("web.1"), o.toString());
    }

    @Test
    void noPipelineFallsBackToTheNaming() throws Exception {
        App named = f.sandbox().createApp(STAGING + "-pr-12", false, Map.of("web", 1, "worker", 1));
        awaitUp(named);
        Outcome o = parity("pr_app", "12", "ps");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("worker.1: up"), o.toString());
    }
}
