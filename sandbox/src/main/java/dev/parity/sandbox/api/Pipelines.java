package dev.parity.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.http.Response;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Minimal pipelines: {@code POST /sandbox/pipelines} couples a staging app and its review apps;
 * {@code GET /apps/{app}/pipeline-couplings} and {@code GET /pipelines/{id}/review-apps} answer as Heroku.
 */
public final class Pipelines {
    private record ReviewApp(String id, String appId, String branch, int prNumber, String status, String createdAt) {}

    private record Pipeline(String id, String name, List<ReviewApp> reviewApps) {}

    private record Coupling(String id, String appId, Pipeline pipeline, String stage) {}

    private final Platform platform;
    /** app id → its coupling. */
    private final Map<String, Coupling> couplings = new ConcurrentHashMap<>();
    private final Map<String, Pipeline> pipelines = new ConcurrentHashMap<>();

    public Pipelines(Platform platform) {
        this.platform = platform;
    }

    public void register(Router r) {
        r.addAdmin("POST", "/sandbox/pipelines", q -> {
            JsonNode b = q.json();
            String name = b.path("name").asText("");
            if (name.isEmpty()) throw ApiError.invalidParams("name is required");
            App staging = platform.app(b.path("staging").asText(""));
            List<ReviewApp> reviews = new ArrayList<>();
            List<App> reviewApps = new ArrayList<>();
            for (JsonNode ra : b.path("review_apps")) {
                App app = platform.app(ra.path("app").asText(""));
                reviewApps.add(app);
                reviews.add(new ReviewApp(UUID.randomUUID().toString(), app.id, ra.path("branch").asText("main"),
                        ra.path("pr_number").asInt(), ra.path("status").asText("created"), platform.clock().instant().toString()));
            }
            Pipeline p = new Pipeline(UUID.randomUUID().toString(), name, List.copyOf(reviews));
            pipelines.put(p.id, p);
            couplings.put(staging.id, new Coupling(UUID.randomUUID().toString(), staging.id, p, "staging"));
            for (App app : reviewApps) couplings.put(app.id, new Coupling(UUID.randomUUID().toString(), app.id, p, "review"));
            return Response.created(Map.of("id", p.id, "name", p.name));
        });
        r.add("GET", "/apps/([^/]+)/pipeline-couplings", q -> {
            App app = platform.app(q.param(0));
            Coupling c = couplings.get(app.id);
            if (c == null) throw ApiError.notFound("Couldn't find that pipeline coupling.", "pipeline_coupling");
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", c.id);
            v.put("app", Map.of("id", c.appId));
            v.put("pipeline", Map.of("id", c.pipeline.id, "name", c.pipeline.name));
            v.put("stage", c.stage);
            return Response.ok(v);
        });
        r.add("GET", "/pipelines/([^/]+)/review-apps", q -> {
            Pipeline p = pipelines.get(q.param(0));
            if (p == null) throw ApiError.notFound("Couldn't find that pipeline.", "pipeline");
            List<Object> out = new ArrayList<>();
            for (ReviewApp ra : p.reviewApps) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("id", ra.id);
                v.put("app", Map.of("id", ra.appId));
                v.put("branch", ra.branch);
                v.put("pr_number", ra.prNumber);
                v.put("status", ra.status);
                v.put("pipeline", Map.of("id", p.id));
                v.put("created_at", ra.createdAt);
                v.put("updated_at", ra.createdAt);
                out.add(v);
            }
            return Response.ok(out);
        });
    }
}
