package dev.parity.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The review app Heroku actually created for a pull request, found through the staging app's
 * pipeline: its coupling, the pipeline's review apps (only {@code created} ones), then the app's name.
 */
public final class ReviewApps {
    /** A review app found in a pipeline. */
    public record Match(String app, String pipeline) {}

    private ReviewApps() {
    }

    /** The name of the created review app for pull request {@code pr}, or empty when there is none (or no pipeline). */
    public static Optional<String> find(HerokuApi api, String stagingApp, int pr) throws InterruptedException {
        return lookup(api, stagingApp, pr).map(Match::app);
    }

    /**
     * As {@link #find}, with the pipeline's name. 404s (no coupling, pipeline or app) are empty;
     * other API failures are thrown as {@link HerokuApiException}.
     */
    public static Optional<Match> lookup(HerokuApi api, String stagingApp, int pr) throws InterruptedException {
        try {
            JsonNode coupling = api.get("/apps/" + stagingApp + "/pipeline-couplings");
            if (coupling != null && coupling.isArray()) coupling = coupling.size() > 0 ? coupling.get(0) : null;
            if (coupling == null) return Optional.empty();
            String pipelineId = coupling.path("pipeline").path("id").asText("");
            if (pipelineId.isEmpty()) return Optional.empty();
            String pipelineName = coupling.path("pipeline").path("name").asText(pipelineId);
            for (JsonNode r : api.list("/pipelines/" + pipelineId + "/review-apps", null)) {
                if (r.path("pr_number").asLong(-1) != pr || !"created".equals(r.path("status").asText())) continue;
                String appId = r.path("app").path("id").asText("");
                if (appId.isEmpty()) continue;
                String name = api.get("/apps/" + appId).path("name").asText("");
                if (!name.isEmpty()) return Optional.of(new Match(name, pipelineName));
            }
            return Optional.empty();
        } catch (HerokuApiException e) {
            if (e.notFound()) return Optional.empty();
            throw e;
        }
    }
}
