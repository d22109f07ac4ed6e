package dev.parity.sandbox.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.Api;
import dev.parity.sandbox.support.GitSource;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release whose release phase runs has an {@code output_stream_url} on the sandbox serving the
 * command's output as text/plain, streamed while it runs; {@code heroku releases:output} reads it.
 */
class ReleaseOutputTest {
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
    void releasesOutputShowsTheLatestOrANamedReleasesCommandOutput() throws Exception {
        src.deploy(APP, Map.of("Procfile", "release: echo first $DYNO; echo done first\nweb: ruby web.rb\n"));      // v2
        src.deploy(APP, Map.of("Procfile", "release: echo second; echo done second >&2\nweb: ruby web.rb\n"));    // v3

        Outcome latest = f.heroku("releases:output", "--app", APP);
        assertEquals(0, latest.exitCode(), latest.toString());
        assertEquals("second\ndone second\n", latest.out());

        Outcome v2 = f.heroku("releases:output", "v2", "--app", APP);
        assertEquals(0, v2.exitCode(), v2.toString());
        assertTrue(v2.out().matches("first release\\.\\d+\ndone first\n"), v2.out());

        Outcome v1 = f.heroku("releases:output", "v1", "--app", APP);
        assertEquals(0, v1.exitCode(), v1.toString());
        assertTrue(v1.err().contains("Release v1 has no release output available."), v1.err());
    }

    @Test
    void theOutputStreamsWhileTheCommandRunsAndEndsWithIt() throws Exception {
        Path gate = tmp.resolve("gate");
        Files.writeString(gate, "");
        src.deploy(APP, Map.of("Procfile", "release: echo before; while [ ! -e " + gate + " ]; do sleep 0.05; done; echo after\n"
                + "web: ruby web.rb\n"));
        src.deploy(APP, Map.of("Procfile", "web: ruby web.rb\n"));
        Files.delete(gate);

        JsonNode rollback = api.post("/apps/" + APP + "/releases", "{\"release\": \"2\"}").json();
        String url = rollback.path("output_stream_url").asText();
        assertEquals(f.sandbox().baseUrl() + "/release-output/" + rollback.path("id").asText(), url);

        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertEquals("before", in.readLine(), "the first line arrives while the command still runs");
            assertEquals("pending", app.releases.get(3).status);
            Files.writeString(gate, "");
            assertEquals("after", in.readLine());
            assertEquals(null, in.readLine(), "the answer ends with the command");
        }
        SandboxFixture.await(Duration.ofSeconds(10), () -> "succeeded".equals(app.releases.get(3).status));
    }

    @Test
    void theRollbackCommandFollowsTheReleasePhasesOutput() throws Exception {
        src.deploy(APP, Map.of("Procfile", "release: echo released on $DYNO\nweb: ruby web.rb\n"));
        src.deploy(APP, Map.of("Procfile", "web: ruby web2.rb\n"));

        Outcome back = f.heroku("releases:rollback", "v2", "--app", APP);
        assertEquals(0, back.exitCode(), back.toString());
        assertTrue(back.out().matches("(?s)Running release command...\nreleased on release\\.\\d+\n"), back.out());
    }

    @Test
    void releasesWithoutReleasePhaseHaveNoUrlAndUnknownOutputsAreNotFound() throws Exception {
        src.deploy(APP, Map.of("Procfile", "web: ruby web.rb\n"));
        assertTrue(api.get("/apps/" + APP + "/releases/2").json().path("output_stream_url").isNull());
        Api.Answer unknown = api.getOpen(f.sandbox().baseUrl() + "/release-output/" + app.releases.get(1).id);
        assertEquals(404, unknown.status(), unknown.toString());
    }
}
