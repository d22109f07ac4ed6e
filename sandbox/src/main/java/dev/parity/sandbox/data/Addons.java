package dev.parity.sandbox.data;

import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.http.Json;
import dev.parity.sandbox.model.App;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The heroku-postgresql add-ons: each app has at most one, attached as {@code DATABASE}. Holds the
 * Platform API's add-on and attachment shapes and the attachment resolver the CLI's pg commands
 * start with.
 */
public final class Addons {
    public static final String SERVICE = "heroku-postgresql";
    public static final String PLAN = SERVICE + ":essential-0";
    private static final String SERVICE_ID = "00000000-0000-0000-0000-0000000000d8";
    private static final String PLAN_ID = "00000000-0000-0000-0000-0000000000e0";

    private record Attached(String attachmentId, Instant createdAt) {}

    private final Map<String, Attached> byApp = new ConcurrentHashMap<>();
    private final Supplier<List<App>> apps;

    public Addons(Supplier<List<App>> apps) {
        this.apps = apps;
    }

    /** Records that {@code app} now has its add-on (its id and name are on the app). */
    public void attached(App app, Instant now) {
        byApp.put(app.id, new Attached(UUID.randomUUID().toString(), now));
    }

    public boolean has(App app) {
        return app.addonId != null && byApp.containsKey(app.id);
    }

    /** The app owning the add-on with this id or name. */
    public Optional<App> find(String addonIdOrName) {
        return apps.get().stream().filter(a -> has(a) && (addonIdOrName.equals(a.addonId) || addonIdOrName.equals(a.addonName)))
                .findFirst();
    }

    /** As {@link #find}, 404 when there is none. */
    public App owner(String addonIdOrName) {
        return find(addonIdOrName).orElseThrow(() -> ApiError.notFound("Couldn't find that add-on.", "add-on"));
    }

    public Map<String, Object> addon(App app) {
        Attached at = byApp.get(app.id);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", app.addonId);
        m.put("name", app.addonName);
        m.put("addon_service", Map.of("id", SERVICE_ID, "name", SERVICE, "human_name", "Heroku Postgres"));
        m.put("plan", plan());
        m.put("billed_price", price());
        m.put("app", ref(app));
        m.put("billing_entity", Map.of("id", app.id, "name", app.name, "type", "app"));
        m.put("config_vars", List.of("DATABASE_URL"));
        m.put("provider_id", app.databaseName);
        m.put("state", "provisioned");
        m.put("created_at", Json.time(at.createdAt));
        m.put("updated_at", Json.time(at.createdAt));
        m.put("web_url", "https://data.heroku.com/datastores/" + app.addonId);
        m.put("actions", List.of());
        return m;
    }

    public Map<String, Object> attachment(App app) {
        Attached at = byApp.get(app.id);
        Map<String, Object> addon = new LinkedHashMap<>();
        addon.put("id", app.addonId);
        addon.put("name", app.addonName);
        addon.put("app", ref(app));
        addon.put("plan", plan());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", at.attachmentId);
        m.put("name", "DATABASE");
        m.put("addon", addon);
        m.put("app", ref(app));
        m.put("config_vars", List.of("DATABASE_URL"));
        m.put("namespace", null);
        m.put("created_at", Json.time(at.createdAt));
        m.put("updated_at", Json.time(at.createdAt));
        m.put("web_url", "https://data.heroku.com/datastores/" + app.addonId);
        m.put("log_input_url", null);
        return m;
    }

    /**
     * {@code POST /actions/addon-attachments/resolve}: {@code DATABASE}, {@code DATABASE_URL}, the
     * add-on's name or id, or the attachment's id, optionally as {@code APP::DATABASE}; within
     * {@code appIdOrName} when given (may be null), else across all apps. None: 404, which sends the
     * CLI to its fallback (listing the app's attachments).
     */
    public List<Object> resolve(String wanted, String appIdOrName) {
        int sep = wanted.indexOf("::");
        String app = sep < 0 ? appIdOrName : wanted.substring(0, sep);
        String ref = sep < 0 ? wanted : wanted.substring(sep + 2);
        List<App> candidates = apps.get().stream().filter(a -> app == null || a.name.equals(app) || a.id.equals(app)).toList();
        if (candidates.isEmpty()) throw ApiError.notFound("Couldn't find that app.", "app");
        String attachmentName = ref.endsWith("_URL") ? ref.substring(0, ref.length() - 4) : ref;
        List<Object> found = new ArrayList<>();
        for (App a : candidates) {
            if (has(a) && ((app != null && attachmentName.equals("DATABASE")) || ref.equals(a.addonName) || ref.equals(a.addonId)
                    || ref.equals(byApp.get(a.id).attachmentId))) {
                found.add(attachment(a));
            }
        }
        if (found.isEmpty()) throw ApiError.notFound("Couldn't find that add on attachment.", "add_on attachment");
        return found;
    }

    private static Map<String, Object> plan() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", PLAN_ID);
        p.put("name", PLAN);
        p.put("price", price());
        return p;
    }

    private static Map<String, Object> price() {
        return Map.of("cents", 500, "contract", false, "unit", "month");
    }

    private static Map<String, Object> ref(App app) {
        return Map.of("id", app.id, "name", app.name);
    }
}
