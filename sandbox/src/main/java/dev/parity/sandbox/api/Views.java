package dev.parity.sandbox.api;

import dev.parity.sandbox.http.Json;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.model.Formation;
import dev.parity.sandbox.model.Platform;
import dev.parity.sandbox.model.Release;
import dev.parity.sandbox.model.Slug;
import dev.parity.sandbox.release.ReleaseOutputs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the Platform API's resources, field for field as Heroku's schema has them. */
public final class Views {
    private Views() {}

    public static Map<String, Object> ref(App app) {
        return Map.of("id", app.id, "name", app.name);
    }

    public static Map<String, Object> app(Platform platform, App app) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", app.id);
        m.put("name", app.name);
        m.put("git_url", platform.baseUrl() + "/" + app.name + ".git");
        m.put("web_url", "http://" + app.name + ".sandbox.localhost/");
        m.put("released_at", app.currentRelease().map(r -> Json.time(r.createdAt)).orElse(null));
        m.put("created_at", Json.time(app.createdAt));
        m.put("updated_at", Json.time(app.updatedAt));
        m.put("archived_at", null);
        m.put("stack", Map.of("id", "00000000-0000-0000-0000-000000000024", "name", "heroku-24"));
        m.put("build_stack", Map.of("id", "00000000-0000-0000-0000-000000000024", "name", "heroku-24"));
        m.put("region", Map.of("id", "00000000-0000-0000-0000-0000000000us", "name", "us"));
        m.put("generation", Map.of("id", "00000000-0000-0000-0000-00000000ced4", "name", "cedar"));
        m.put("owner", Map.of("id", "00000000-0000-0000-0000-0000000000ab", "email", platform.email()));
        m.put("team", null);
        m.put("organization", null);
        m.put("space", null);
        m.put("maintenance", app.maintenance);
        m.put("acm", false);
        m.put("internal_routing", null);
        m.put("repo_size", null);
        m.put("slug_size", null);
        m.put("buildpack_provided_description", null);
        return m;
    }

    public static Map<String, Object> dyno(App app, Dyno d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id);
        m.put("name", d.name);
        m.put("type", d.type);
        m.put("state", d.state);
        m.put("command", d.command);
        m.put("size", d.size);
        m.put("created_at", Json.time(d.createdAt));
        m.put("updated_at", Json.time(d.updatedAt));
        Release r = app.releases.stream().filter(x -> x.version == d.releaseVersion).findFirst().orElse(null);
        m.put("release", r == null ? null : Map.of("id", r.id, "version", r.version));
        m.put("app", ref(app));
        m.put("attach_url", d.attachUrl);
        return m;
    }

    public static Map<String, Object> release(Platform platform, App app, Release r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id);
        m.put("version", r.version);
        m.put("current", app.currentRelease().map(c -> c == r).orElse(false));
        m.put("status", r.status);
        m.put("description", r.description);
        m.put("created_at", Json.time(r.createdAt));
        m.put("updated_at", Json.time(r.updatedAt));
        m.put("user", Map.of("id", "00000000-0000-0000-0000-0000000000ab", "email", platform.email()));
        m.put("slug", r.slug == null ? null : Map.of("id", r.slug.id));
        m.put("app", ref(app));
        m.put("addon_plan_names", app.addonId == null ? List.of() : List.of("heroku-postgresql:essential-0"));
        m.put("artifacts", List.of());
        m.put("output_stream_url", r.releasePhase ? platform.baseUrl() + ReleaseOutputs.path(r.id) : null);
        m.put("eligible_for_rollback", r.eligibleForRollback());
        return m;
    }

    /** A slug: the commit it was built from and its Procfile's process types (with release). */
    public static Map<String, Object> slug(Slug slug) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", slug.id);
        m.put("commit", slug.commit);
        m.put("commit_description", null);
        m.put("process_types", slug.processTypes);
        m.put("buildpack_provided_description", null);
        m.put("checksum", null);
        m.put("size", null);
        m.put("blob", null);
        m.put("stack", Map.of("id", "00000000-0000-0000-0000-000000000024", "name", "heroku-24"));
        m.put("created_at", Json.time(slug.createdAt));
        m.put("updated_at", Json.time(slug.createdAt));
        return m;
    }

    public static Map<String, Object> formation(App app, Formation f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id);
        m.put("type", f.type);
        m.put("quantity", f.quantity);
        m.put("size", f.size);
        m.put("dyno_size", Map.of("id", "00000000-0000-0000-0000-0000000000b1", "name", f.size));
        m.put("command", f.command);
        m.put("app", ref(app));
        m.put("created_at", Json.time(f.createdAt));
        m.put("updated_at", Json.time(f.updatedAt));
        return m;
    }
}
