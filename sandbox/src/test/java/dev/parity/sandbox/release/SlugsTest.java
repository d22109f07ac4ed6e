package dev.parity.sandbox.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.Api;
import dev.parity.sandbox.support.GitSource;
import dev.parity.sandbox.support.SandboxFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each deploy builds a slug (the pushed commit, the Procfile's process types); releases point at it. */
class SlugsTest {
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

    JsonNode release(int version) throws Exception {
        Api.Answer a = api.get("/apps/" + APP + "/releases/" + version);
        assertEquals(200, a.status(), a.toString());
        return a.json();
    }

    @Test
    void aDeploysReleasePointsAtASlugWithItsCommitAndProcessTypes() throws Exception {
        assertTrue(release(1).path("slug").isNull(), "the initial release has no slug");
        String sha = src.deploy(APP, Map.of("Procfile", "release: echo migrating\nweb: ruby web.rb\nworker: ruby worker.rb\n"));

        String slugId = release(2).path("slug").path("id").asText();
        assertTrue(slugId.matches("[0-9a-f-]{36}"), slugId);
        Api.Answer slug = api.get("/apps/" + APP + "/slugs/" + slugId);
        assertEquals(200, slug.status(), slug.toString());
        assertEquals(slugId, slug.json().path("id").asText());
        assertEquals(sha, slug.json().path("commit").asText());
        assertEquals(Map.of("release", "echo migrating", "web", "ruby web.rb", "worker", "ruby worker.rb"),
                Map.of("release", slug.json().path("process_types").path("release").asText(),
                        "web", slug.json().path("process_types").path("web").asText(),
                        "worker", slug.json().path("process_types").path("worker").asText()));
        assertEquals(3, slug.json().path("process_types").size());
    }

    @Test
    void configChangesKeepTheSlugRollbacksTakeTheTargetsNewDeploysBuildANewOne() throws Exception {
        src.deploy(APP, Map.of("Procfile", "web: ruby web.rb\n"));                          // v2
        String first = release(2).path("slug").path("id").asText();
        assertEquals(0, f.heroku("config:set", "FOO=1", "--app", APP).exitCode());         // v3
        assertEquals(first, release(3).path("slug").path("id").asText());

        src.deploy(APP, Map.of("Procfile", "web: ruby web2.rb\n"));                         // v4
        String second = release(4).path("slug").path("id").asText();
        assertNotEquals(first, second);

        assertEquals(0, f.heroku("releases:rollback", "v3", "--app", APP).exitCode());      // v5
        assertEquals(first, release(5).path("slug").path("id").asText());
        assertEquals("Rollback to v3", release(5).path("description").asText());
    }

    @Test
    void anUnknownSlugIsNotFound() throws Exception {
        Api.Answer a = api.get("/apps/" + APP + "/slugs/00000000-0000-0000-0000-000000000000");
        assertEquals(404, a.status(), a.toString());
        assertEquals("not_found", a.json().path("id").asText());
        assertEquals("slug", a.json().path("resource").asText());
    }
}
