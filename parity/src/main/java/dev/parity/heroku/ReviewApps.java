package dev.parity.heroku;

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
    public static Optional<String> find(Platform platform, String stagingApp, int pr) throws InterruptedException {
        return lookup(platform, stagingApp, pr).map(Match::app);
    }

    /**
     * As {@link #find}, with the pipeline's name. 404s (no coupling, pipeline or app) are empty;
     * other API failures are thrown as {@link HerokuApiException}.
     */
    public static Optional<Match> lookup(Platform platform, String stagingApp, int pr) throws InterruptedException {
        try {
            Optional<Platform.PipelineCoupling> coupling = platform.pipelineCoupling(stagingApp);
            if (coupling.isEmpty()) return Optional.empty();
            for (Platform.ReviewApp r : platform.reviewApps(coupling.get().pipelineId())) {
                if (r.prNumber() != pr || !r.created() || r.appId().isEmpty()) continue;
                String name = platform.appName(r.appId().get());
                if (!name.isEmpty()) return Optional.of(new Match(name, coupling.get().pipelineName()));
            }
            return Optional.empty();
        } catch (HerokuApiException e) {
            if (e.notFound()) return Optional.empty();
            throw e;
        }
    }
}
