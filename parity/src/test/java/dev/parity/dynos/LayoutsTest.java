package dev.parity.dynos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayoutsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2024-01-26T10:33:10Z");
    static final ZoneId UTC = ZoneId.of("UTC");

    static String ago(long secondsBefore) {
        return Ago.format(NOW.minusSeconds(secondsBefore), NOW, UTC);
    }

    @Test
    void agoBoundaries() {
        assertEquals("2024/01/26 10:33:10 +0000 (~ 0s ago)", ago(0));
        assertEquals("2024/01/26 10:32:11 +0000 (~ 59s ago)", ago(59));
        assertEquals("2024/01/26 10:32:10 +0000 (~ 1m ago)", ago(60));
        assertEquals("2024/01/26 09:33:11 +0000 (~ 59m ago)", ago(3599));
        assertEquals("2024/01/26 09:33:10 +0000 (~ 1h ago)", ago(3600));
        assertEquals("2024/01/25 09:33:11 +0000 (~ 24h ago)", ago(25 * 3600 - 1));
        assertEquals("2024/01/25 09:33:10 +0000", ago(25 * 3600));
        assertEquals("2024/01/26 10:33:11 +0000 (~ -1s ago)", ago(-1), "a clock ahead of ours, as the CLI prints it");
        // whole seconds, rounded down: 59.999 s is still seconds
        assertEquals("2024/01/26 10:32:10 +0000 (~ 59s ago)", Ago.format(NOW.minusMillis(59_999), NOW, UTC).replace("10:32:10", "10:32:10"));
    }

    @Test
    void zoneComesFromTz() {
        assertEquals(ZoneId.of("Europe/Paris"), Ago.zone(Map.of("TZ", "Europe/Paris")));
        assertEquals(ZoneId.of("Asia/Tokyo"), Ago.zone(Map.of("TZ", ":Asia/Tokyo")));
        assertEquals(ZoneId.of("Europe/Paris"), Ago.zone(Map.of("TZ", "/usr/share/zoneinfo/Europe/Paris")));
        assertEquals(ZoneId.of("UTC"), Ago.zone(Map.of("TZ", "Not/AZone")));
        assertEquals(ZoneId.systemDefault(), Ago.zone(Map.of()));
        assertEquals("2024/01/26 11:33:10 +0100 (~ 0s ago)", Ago.format(NOW, NOW, ZoneId.of("Europe/Paris")));
        assertEquals("2024/01/26 05:03:10 -0530 (~ 0s ago)".replace("-0530", "-0530"),
                Ago.format(NOW, NOW, ZoneId.of("-05:30")));
    }

    static JsonNode dyno(String name, String type, String state, String command, String size, String updated, int release) throws Exception {
        var n = JSON.createObjectNode().put("name", name).put("type", type).put("state", state).put("command", command);
        if (size != null) n.put("size", size);
        n.put("updated_at", updated);
        n.putObject("release").put("version", release);
        return n;
    }

    @Test
    void psGroupsAsTheCliDoes() throws Exception {
        List<JsonNode> dynos = new ArrayList<>(List.of(
                dyno("worker.1", "worker", "crashed", "bundle exec sidekiq", "Standard-2X", "2024-01-26T10:28:10Z", 42),
                dyno("web.10", "web", "up", "bundle exec puma", "Standard-1X", "2024-01-25T16:33:07Z", 41),
                dyno("web.2", "web", "up", "bundle exec puma", "Standard-1X", "2024-01-26T07:33:12Z", 42),
                dyno("run.4821", "run", "up", "rake db:migrate", null, "2024-01-26T10:32:11Z", 42),
                dyno("web.1", "web", "starting", "bundle exec puma", "Standard-1X", "2024-01-24T10:00:00Z", 42)));
        String text = PsLayout.render(PsLayout.sortByName(dynos), d -> d.path("name").asText().equals("web.10") ? " v41 stale: old" : "", NOW, UTC);
        assertEquals("""
                === run: one-off processes (1)

                run.4821 (1X): up 2024/01/26 10:32:11 +0000 (~ 59s ago): rake db:migrate

                === web (Standard-1X): bundle exec puma (3)

                web.1: starting 2024/01/24 10:00:00 +0000
                web.2: up 2024/01/26 07:33:12 +0000 (~ 2h ago)
                web.10: up 2024/01/25 16:33:07 +0000 (~ 18h ago) v41 stale: old

                === worker (Standard-2X): bundle exec sidekiq (1)

                worker.1: crashed 2024/01/26 10:28:10 +0000 (~ 5m ago)

                """, text);
    }

    @Test
    void psGroupsByCommandNotType() throws Exception {
        List<JsonNode> dynos = List.of(
                dyno("web.1", "web", "up", "new", "Basic", "2024-01-26T10:33:00Z", 2),
                dyno("web.2", "web", "up", "old", "Basic", "2024-01-26T10:33:00Z", 1),
                dyno("clock.1", "clock", "up", "old", "Basic", "2024-01-26T10:33:00Z", 1));
        assertEquals("""
                === clock (Basic): old (2)

                clock.1: up 2024/01/26 10:33:00 +0000 (~ 10s ago)
                web.2: up 2024/01/26 10:33:00 +0000 (~ 10s ago)

                === web (Basic): new (1)

                web.1: up 2024/01/26 10:33:00 +0000 (~ 10s ago)

                """, PsLayout.render(PsLayout.sortByName(dynos), d -> "", NOW, UTC));
    }

    static JsonNode release(int v, String status, boolean current, String description, String email, String created) {
        var r = JSON.createObjectNode().put("version", v).put("status", status).put("current", current).put("description", description)
                .put("created_at", created);
        r.putObject("user").put("email", email);
        return r;
    }

    @Test
    void releasesTable() {
        String text = ReleasesLayout.render("myapp", List.of(
                release(42, "succeeded", true, "Deploy abcdef1", "dev@example.com", "2024-01-25T14:11:09Z"),
                release(43, "failed", false, "Deploy 1234567", "dev@example.com", "2024-01-24T14:11:09Z"),
                release(44, "pending", false, "Set X", "a@b.io", "2024-01-26T10:33:00Z"),
                release(45, "expired", false, "Old", "a@b.io", "2024-01-26T10:33:00Z")), NOW, UTC);
        String rule = "\u2500".repeat(2 + 3 + 2 + 37 + 2 + 15 + 2 + 37 + 3);
        assertEquals("=== myapp Releases - Current: v42\n\n"
                + "  v     description                             user              created_at\n"
                + " " + rule + "\n"
                + "  v45   Old release expired                     a@b.io            2024/01/26 10:33:00 +0000 (~ 10s ago)\n"
                + "  v44   Set X release command executing         a@b.io            2024/01/26 10:33:00 +0000 (~ 10s ago)\n"
                + "  v43   Deploy 1234567 release command failed   dev@example.com   2024/01/24 14:11:09 +0000\n"
                + "  v42   Deploy abcdef1                          dev@example.com   2024/01/25 14:11:09 +0000 (~ 20h ago)\n"
                + "\n", text);
    }

    @Test
    void releasesHeaderWithoutCurrentAndEmptyList() {
        assertEquals("myapp has no releases.\n", ReleasesLayout.render("myapp", List.of(), NOW, UTC));
        String text = ReleasesLayout.render("myapp", List.of(release(1, "pending", false, "x", "a@b.io", "2024-01-20T00:00:00Z")), NOW, UTC);
        assertEquals("=== myapp Releases\n\n"
                + "  v    description                   user     created_at\n"
                + " " + "\u2500".repeat(4 + 29 + 8 + 27 + 3) + "\n"
                + "  v1   x release command executing   a@b.io   2024/01/20 00:00:00 +0000\n\n", text);
    }

    @Test
    void infoAlignsAndOmitsEmptyRows() throws Exception {
        JsonNode app = JSON.readTree("""
                {"name":"myapp","git_url":"https://git.heroku.com/myapp.git","web_url":"https://myapp.herokuapp.com/",
                 "acm":false,"repo_size":null,"slug_size":52428800,"owner":{"email":"owner@example.com"},"region":{"name":"us"},
                 "stack":{"name":"heroku-24"},"build_stack":{"name":"heroku-22"},"generation":{"name":"cedar"},"space":null}""");
        JsonNode addons = JSON.readTree("[{\"plan\":{\"name\":\"papertrail:choklad\"}},{\"plan\":{\"name\":\"heroku-postgresql:essential-0\"}}]");
        JsonNode dynos = JSON.readTree("[{\"type\":\"web\"},{\"type\":\"worker\"},{\"type\":\"web\"}]");
        JsonNode collaborators = JSON.readTree("[{\"user\":{\"email\":\"owner@example.com\"}},{\"user\":{\"email\":\"b@x.io\"}}]");
        assertEquals("""
                === myapp

                Addons:         heroku-postgresql:essential-0
                                papertrail:choklad
                Collaborators:  b@x.io
                Auto Cert Mgmt: false
                Git URL:        https://git.heroku.com/myapp.git
                Web URL:        https://myapp.herokuapp.com/
                Repo Size:      0 B
                Slug Size:      50 MB
                Owner:          owner@example.com
                Region:         us
                Dynos:          web: 2, worker: 1
                Stack:          heroku-24 (next build will use heroku-22)
                """, InfoLayout.render("myapp", InfoLayout.rows(app, addons, dynos, JSON.createArrayNode().addAll((com.fasterxml.jackson.databind.node.ArrayNode) collaborators), JSON.nullNode())));
    }

    @Test
    void sizesAsFilesizeJedec() {
        assertEquals("0 B", InfoLayout.size(0));
        assertEquals("1023 B", InfoLayout.size(1023));
        assertEquals("1 KB", InfoLayout.size(1024));
        assertEquals("2 KB", InfoLayout.size(1536));
        assertEquals("1 MB", InfoLayout.size(1024 * 1024 - 1));
        assertEquals("50 MB", InfoLayout.size(52_428_800));
    }

    @Test
    void jsonLikeJavascript() throws Exception {
        assertEquals("[\n  {\n    \"a\": 1,\n    \"b\": [],\n    \"c\": {},\n    \"d\": null,\n    \"e\": \"x\\\"\\n\"\n  }\n]\n",
                JsJson.stringify(JSON.readTree("[{\"a\":1,\"b\":[],\"c\":{},\"d\":null,\"e\":\"x\\\"\\n\"}]")));
    }
}
