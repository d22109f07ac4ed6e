package dev.parity.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.parity.logs.LogStream;
import dev.parity.stale.DynoView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Platform API as the verbs speak of it: an app's dynos, releases, slugs, settings and config
 * vars, typed. Paths and JSON field names live here and nowhere else; {@link HerokuApi} below it
 * does the HTTP (retries, errors, the token).
 */
public final class Platform {
    /** How many of the newest releases settle which one is current (a newer failed or pending one can sit above it). */
    public static final int RECENT_RELEASES = 10;

    private final HerokuApi api;

    public Platform(HerokuApi api) {
        this.api = api;
    }

    public HerokuApi api() {
        return api;
    }

    /** The app as {@code GET /apps/APP} gives it (every field, for {@code info}). */
    public JsonNode app(String app) throws InterruptedException {
        return api.get(path(app));
    }

    /** Whether the app is in maintenance mode (its router answers web requests with H80). */
    public boolean maintenance(String app) throws InterruptedException {
        return app(app).path("maintenance").asBoolean(false);
    }

    /** Turns maintenance mode on or off; Heroku makes no release for it. */
    public void maintenance(String app, boolean on) throws InterruptedException {
        api.patch(path(app), Map.of("maintenance", on));
    }

    // ---- dynos ----

    public List<DynoView> dynos(String app) throws InterruptedException {
        List<DynoView> dynos = new ArrayList<>();
        for (JsonNode d : api.list(path(app) + "/dynos", null)) dynos.add(DynoView.of(d));
        return dynos;
    }

    /** The dynos as the API gives them, field for field (for layouts that print what the CLI prints). */
    public List<JsonNode> dynosJson(String app) throws InterruptedException {
        List<JsonNode> dynos = new ArrayList<>();
        api.list(path(app) + "/dynos", null).forEach(dynos::add);
        return dynos;
    }

    /**
     * Starts a one-off dyno ({@code POST /apps/APP/dynos}) and returns it as the API gives it (its
     * {@code attach_url} included). Never repeated blindly: {@link dev.parity.run.OneOffStart} handles a lost answer.
     */
    public JsonNode startDyno(String app, Map<String, Object> body) throws InterruptedException {
        return api.post(dynosPath(app), body);
    }

    /** Restarts every dyno of the app. */
    public void restartAll(String app) throws InterruptedException {
        api.delete(path(app) + "/dynos");
    }

    /** Restarts one dyno by name ({@code web.1}). */
    public void restartDyno(String app, String dyno) throws InterruptedException {
        api.delete(path(app) + "/dynos/" + enc(dyno));
    }

    /** Restarts every dyno of one process type ({@code web}). */
    public void restartType(String app, String type) throws InterruptedException {
        api.delete(path(app) + "/formations/" + enc(type));
    }

    // ---- releases ----

    /** The {@code max} newest releases, newest first (one page, as {@code heroku releases} reads them). */
    public List<Release> releases(String app, int max) throws InterruptedException {
        List<Release> out = new ArrayList<>();
        for (JsonNode r : api.page(path(app) + "/releases", releasesRange(max))) out.add(Release.of(r));
        out.sort((a, b) -> Integer.compare(b.version(), a.version()));
        return out;
    }

    /** The Range header {@link #releases} sends. */
    public static String releasesRange(int max) {
        return "version ..; max=" + max + ", order=desc";
    }

    /** The live release, from the newest few; empty when the app has none that succeeded. */
    public Optional<Release> currentRelease(String app) throws InterruptedException {
        return Release.current(releases(app, RECENT_RELEASES));
    }

    /** One release by version ({@code 42} or {@code v42}) or id. */
    public Release release(String app, String versionOrId) throws InterruptedException {
        String v = versionOrId.matches("v\\d+") ? versionOrId.substring(1) : versionOrId;
        return Release.of(api.get(path(app) + "/releases/" + enc(v)));
    }

    /**
     * Makes a new release running {@code target}'s code and config ({@code POST /apps/APP/releases
     * {release}}), as {@code heroku releases:rollback} does. Never repeated blindly: a lost answer
     * throws with {@link HerokuApiException#outcomeUnknown()}, and the caller reads the releases.
     */
    public Release rollback(String app, Release target) throws InterruptedException {
        return Release.of(api.post(path(app) + "/releases", Map.of("release", target.id())));
    }

    /** The slug a release runs: its commit and Procfile. */
    public Slug slug(String app, String slugId) throws InterruptedException {
        return Slug.of(api.get(path(app) + "/slugs/" + enc(slugId)));
    }

    // ---- logs ----

    /**
     * A log session ({@code POST /apps/APP/log-sessions}, harmless to repeat) with {@code body}
     * ({@code lines}, {@code tail}, filters); returns its {@code logplex_url}.
     */
    public String logSession(String app, Map<String, Object> body) throws InterruptedException {
        String url = api.postRepeatable(path(app) + "/log-sessions", body).path("logplex_url").asText("");
        if (url.isEmpty()) throw new HerokuApiException(0, null, "the log session of " + app + " has no logplex_url");
        return url;
    }

    // ---- config ----

    public Map<String, String> configVars(String app) throws InterruptedException {
        Map<String, String> vars = new LinkedHashMap<>();
        api.get(path(app) + "/config-vars").fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue().asText()));
        return vars;
    }

    private static String path(String app) {
        return "/apps/" + enc(app);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- the JSON the official CLI's layouts print field for field (info, releases) ----

    /** The app's add-ons, every field, as {@code heroku info} reads them. */
    public ArrayNode addonsJson(String app) throws InterruptedException {
        return api.list(addonsPath(app), null);
    }

    /** The app's collaborators, every field, as {@code heroku info} reads them. */
    public ArrayNode collaboratorsJson(String app) throws InterruptedException {
        return api.list(collaboratorsPath(app), null);
    }

    /** The app's pipeline coupling as the API gives it; an app in no pipeline is a 404. */
    public JsonNode pipelineCouplingJson(String app) throws InterruptedException {
        return api.get(pipelineCouplingsPath(app));
    }

    /** The {@code max} newest releases, every field, in the order the API sends them (newest first). */
    public ArrayNode releasesJson(String app, int max) throws InterruptedException {
        return api.page(releasesPath(app), releasesRange(max));
    }

    // ---- pipelines ----

    /** The pipeline an app is coupled to; {@code pipelineName} is its id when the API names none. */
    public record PipelineCoupling(String pipelineId, String pipelineName) {}

    /** One review app of a pipeline: the app it made (empty while none), its pull request, its status. */
    public record ReviewApp(Optional<String> appId, long prNumber, String status) {
        public boolean created() {
            return "created".equals(status);
        }
    }

    /**
     * The pipeline {@code app} is coupled to; empty when the answer names none. An app in no
     * pipeline is a 404 ({@link HerokuApiException#notFound()}).
     */
    public Optional<PipelineCoupling> pipelineCoupling(String app) throws InterruptedException {
        JsonNode coupling = pipelineCouplingJson(app);
        // some answers come as a one-element list
        if (coupling != null && coupling.isArray()) coupling = coupling.size() > 0 ? coupling.get(0) : null;
        if (coupling == null) return Optional.empty();
        String id = coupling.path("pipeline").path("id").asText("");
        if (id.isEmpty()) return Optional.empty();
        return Optional.of(new PipelineCoupling(id, coupling.path("pipeline").path("name").asText(id)));
    }

    /** The pipeline's review apps, in the API's order. */
    public List<ReviewApp> reviewApps(String pipelineId) throws InterruptedException {
        List<ReviewApp> out = new ArrayList<>();
        for (JsonNode r : api.list(reviewAppsPath(pipelineId), null)) {
            String appId = r.path("app").path("id").asText("");
            out.add(new ReviewApp(appId.isEmpty() ? Optional.empty() : Optional.of(appId), r.path("pr_number").asLong(-1),
                    r.path("status").asText("")));
        }
        return out;
    }

    /** The name of the app with this id (or name); empty when the answer has none. */
    public String appName(String appIdOrName) throws InterruptedException {
        return app(appIdOrName).path("name").asText("");
    }

    // ---- logs ----

    /**
     * Opens a log session ({@code POST /apps/APP/log-sessions}) and returns the URL its lines stream
     * from, empty when the answer has none. Sent again on a lost answer: a session changes nothing.
     */
    public Optional<String> logSession(String app, LogStream.Request request) throws InterruptedException {
        String url = api.postRepeatable(logSessionsPath(app), request.body()).path("logplex_url").asText("");
        return url.isEmpty() ? Optional.empty() : Optional.of(url);
    }

    // ---- the requests' paths, for the --dry-run plans that name them ----

    public static String appPath(String app) {
        return path(app);
    }

    public static String dynosPath(String app) {
        return path(app) + "/dynos";
    }

    /** The path {@link #restartDyno} sends its DELETE to. */
    public static String dynoPath(String app, String dyno) {
        return dynosPath(app) + "/" + enc(dyno);
    }

    /** The path {@link #restartType} sends its DELETE to. */
    public static String formationPath(String app, String type) {
        return path(app) + "/formations/" + enc(type);
    }

    public static String releasesPath(String app) {
        return path(app) + "/releases";
    }

    public static String configVarsPath(String app) {
        return path(app) + "/config-vars";
    }

    public static String addonsPath(String app) {
        return path(app) + "/addons";
    }

    public static String collaboratorsPath(String app) {
        return path(app) + "/collaborators";
    }

    public static String pipelineCouplingsPath(String app) {
        return path(app) + "/pipeline-couplings";
    }

    public static String logSessionsPath(String app) {
        return path(app) + "/log-sessions";
    }

    static String reviewAppsPath(String pipelineId) {
        return "/pipelines/" + enc(pipelineId) + "/review-apps";
    }
}
