package dev.parity.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.http.Part;
import dev.parity.sandbox.http.Response;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.model.Formation;
import dev.parity.sandbox.model.Platform;
import dev.parity.sandbox.release.Releaser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Account, apps, dynos (list, restart), formation, releases and config vars. */
public final class PlatformApi implements Part {
    private static final String APP = "/apps/([^/]+)";
    private final Platform platform;
    private final Releaser releaser;
    private final DataApi data;
    private final RunApi run;

    public PlatformApi(Platform platform, Releaser releaser, DataApi data, RunApi run) {
        this.platform = platform;
        this.releaser = releaser;
        this.data = data;
        this.run = run;
    }

    @Override
    public void register(Router r) {
        r.add("GET", "/account", q -> Response.ok(Map.of("id", "00000000-0000-0000-0000-0000000000ab",
                "email", platform.email(), "name", "Sandbox Developer", "verified", true)));
        r.add("GET", "/account/rate-limits", q -> Response.ok(Map.of("remaining", 4500)));

        r.add("GET", "/apps", q -> Response.ok(platform.apps().stream().map(a -> Views.app(platform, a)).toList()));
        r.add("POST", "/apps", q -> {
            JsonNode body = q.json();
            String name = body.path("name").asText("sandbox-" + Long.toHexString(System.nanoTime()).substring(0, 6));
            return Response.created(Views.app(platform, platform.createApp(name, false, Map.of())));
        });
        r.add("GET", APP, q -> Response.ok(Views.app(platform, platform.app(q.param(0)))));
        r.add("PATCH", APP, q -> Response.ok(Views.app(platform, update(platform.app(q.param(0)), q.json()))));

        r.add("GET", APP + "/dynos", q -> {
            App app = platform.app(q.param(0));
            synchronized (app) {
                return Response.ok(app.dynos.stream().map(d -> Views.dyno(app, d)).toList());
            }
        });
        r.add("GET", APP + "/dynos/([^/]+)", q -> {
            App app = platform.app(q.param(0));
            synchronized (app) {
                Dyno d = app.dyno(q.param(1)).orElseThrow(() -> ApiError.notFound("Couldn't find that dyno.", "dyno"));
                return Response.ok(Views.dyno(app, d));
            }
        });
        r.add("DELETE", APP + "/dynos", q -> {
            platform.restart(platform.app(q.param(0)), d -> true);
            return Response.accepted();
        });
        // one dyno by name or id; older CLIs send a process type in the same slot
        r.add("DELETE", APP + "/dynos/([^/]+)", q -> {
            App app = platform.app(q.param(0));
            String which = q.param(1);
            boolean isType = app.formation.containsKey(which);
            if (!isType && app.dyno(which).isEmpty()) throw ApiError.notFound("Couldn't find that dyno.", "dyno");
            platform.restart(app, d -> isType ? d.type.equals(which) : d.name.equals(which) || d.id.equals(which));
            return Response.accepted();
        });
        r.add("DELETE", APP + "/formations/([^/]+)", q -> {
            App app = platform.app(q.param(0));
            String type = q.param(1);
            if (!app.formation.containsKey(type)) throw ApiError.notFound("Couldn't find that formation.", "formation");
            platform.restart(app, d -> d.type.equals(type));
            return Response.accepted();
        });

        // ps:stop and ps:kill: one dyno by name or id (a process type in the same slot, as `ps:stop web`
        // sends), or every dyno of a process type; one-off dynos end, formation dynos go down and boot again
        r.add("POST", APP + "/dynos/([^/]+)/actions/stop", q -> {
            App app = platform.app(q.param(0));
            String which = q.param(1);
            boolean isType = app.formation.containsKey(which) || which.equals("run");
            if (!isType && app.dyno(which).isEmpty()) throw ApiError.notFound("Couldn't find that dyno.", "dyno");
            stop(app, d -> isType ? d.type.equals(which) : d.name.equals(which) || d.id.equals(which));
            return Response.accepted();
        });
        r.add("POST", APP + "/formations/([^/]+)/actions/stop", q -> {
            App app = platform.app(q.param(0));
            String type = q.param(1);
            if (!app.formation.containsKey(type) && !type.equals("run")) {
                throw ApiError.notFound("Couldn't find that formation.", "formation");
            }
            stop(app, d -> d.type.equals(type));
            return Response.accepted();
        });

        r.add("GET", APP + "/formation", q -> {
            App app = platform.app(q.param(0));
            synchronized (app) {
                return Response.ok(app.formation.values().stream().map(f -> Views.formation(app, f)).toList());
            }
        });
        r.add("GET", APP + "/formation/([^/]+)", q -> {
            App app = platform.app(q.param(0));
            synchronized (app) {
                return Response.ok(Views.formation(app, formation(app, q.param(1))));
            }
        });
        r.add("PATCH", APP + "/formation/([^/]+)", q -> {
            App app = platform.app(q.param(0));
            JsonNode body = q.json();
            Formation f;
            synchronized (app) {
                f = formation(app, q.param(1));
                update(f, body);
            }
            platform.scale(app);
            return Response.ok(Views.formation(app, f));
        });
        r.add("PATCH", APP + "/formation", q -> {
            App app = platform.app(q.param(0));
            List<Object> out = new ArrayList<>();
            synchronized (app) {
                for (JsonNode u : q.json().path("updates")) {
                    Formation f = formation(app, u.path("type").asText());
                    update(f, u);
                    out.add(Views.formation(app, f));
                }
            }
            platform.scale(app);
            return Response.ok(out);
        });

        r.add("GET", APP + "/config-vars", q -> {
            App app = platform.app(q.param(0));
            synchronized (app) {
                return Response.ok(new LinkedHashMap<>(app.configVars));
            }
        });
        r.add("PATCH", APP + "/config-vars", q -> Response.ok(setConfigVars(platform.app(q.param(0)), q.json())));
        r.add("GET", APP + "/collaborators", q -> Response.ok(List.of()));
        r.add("GET", APP + "/addons", q -> Response.ok(data.addons(platform.app(q.param(0)))));
        new Pipelines(platform).register(r);
    }

    /**
     * {@code PATCH /apps/{app}}: maintenance mode on or off (no release, no restart). Other
     * updatable fields are accepted when they change nothing (a rename is not supported here).
     */
    private App update(App app, JsonNode body) {
        JsonNode maintenance = body.path("maintenance");
        if (!maintenance.isMissingNode() && !maintenance.isBoolean()) throw ApiError.invalidParams("maintenance must be a boolean");
        JsonNode name = body.path("name");
        if (!name.isMissingNode() && !name.asText().equals(app.name)) {
            throw ApiError.invalidParams("The sandbox does not rename apps: " + app.name + " keeps its name.");
        }
        if (maintenance.isBoolean() && maintenance.asBoolean() != app.maintenance) {
            app.maintenance = maintenance.asBoolean();
            app.updatedAt = platform.clock().instant();
        }
        return app;
    }

    private void stop(App app, java.util.function.Predicate<Dyno> which) {
        run.stop(app, which);
        platform.stop(app, which);
    }

    private static Formation formation(App app, String type) {
        Formation f = app.formation.get(type);
        if (f == null) throw ApiError.notFound("Couldn't find that formation.", "formation");
        return f;
    }

    private void update(Formation f, JsonNode body) {
        if (body.has("quantity")) f.quantity = body.get("quantity").asInt();
        String size = body.path("dyno_size").path("name").asText(body.path("size").asText(null));
        if (size != null && !size.isEmpty()) f.size = size;
        f.updatedAt = platform.clock().instant();
    }

    /**
     * As Heroku: null deletes a var; any change makes a new release of the current slug with the
     * new config vars. When the slug has a release command, the release is pending while it runs
     * and the dynos restart only if it succeeds; the vars stay set either way.
     */
    private Map<String, String> setConfigVars(App app, JsonNode body) throws InterruptedException {
        List<String> set = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Map<String, String> result;
        synchronized (app) {
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    if (app.configVars.remove(e.getKey()) != null) removed.add(e.getKey());
                } else {
                    app.configVars.put(e.getKey(), e.getValue().asText());
                    set.add(e.getKey());
                }
            }
            result = new LinkedHashMap<>(app.configVars);
        }
        if (!set.isEmpty() || !removed.isEmpty()) {
            String description = !set.isEmpty() ? "Set " + String.join(", ", set) + " config vars"
                    : "Remove " + String.join(", ", removed) + " config vars";
            releaser.start(app, () -> new Releaser.Change(description, app.currentSlug(), result));
        }
        return result;
    }
}
