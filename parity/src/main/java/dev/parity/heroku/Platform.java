package dev.parity.heroku;

import com.fasterxml.jackson.databind.JsonNode;
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
}
