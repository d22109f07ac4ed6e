package dev.parity.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.sandbox.data.AddonNames;
import dev.parity.sandbox.data.Addons;
import dev.parity.sandbox.data.DatabaseInfo;
import dev.parity.sandbox.data.PgTools;
import dev.parity.sandbox.data.PublicUrls;
import dev.parity.sandbox.data.Transfer;
import dev.parity.sandbox.data.TransferJobs;
import dev.parity.sandbox.data.Transfers;
import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.http.Faults;
import dev.parity.sandbox.http.Part;
import dev.parity.sandbox.http.Response;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Platform;
import dev.parity.sandbox.model.Release;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

/**
 * The Postgres add-on: provisioning, the Platform API's add-on and attachment routes, and the data
 * API ({@code /client/v11/…}, reached on the same port with {@code HEROKU_DATA_HOST=127.0.0.1})
 * whose backups, restores and resets run the real pg_dump and pg_restore on the sandbox's cluster.
 */
public final class DataApi implements Part {
    private static final String APP = "/apps/([^/]+)";
    private static final String DB = "/client/v11/databases/([^/]+)";
    private static final String TRANSFERS = "/client/v11/apps/([^/]+)/transfers";
    /**
     * The CLI polls a transfer at once and then every 3 s; holding the create call this long lets a
     * small backup or restore finish before that first poll, so commands return in about a second.
     */
    private static final Duration FIRST_POLL_GRACE = Duration.ofSeconds(2);

    private final Platform platform;
    private final Addons addons;
    private final Transfers transfers;
    private final PublicUrls publicUrls;
    private final PgTools pg;
    private final TransferJobs jobs;

    /**
     * {@code pg} runs the PostgreSQL tools on the sandbox's cluster; {@code faults} may make restores
     * fail; {@code tls} is how a restore reaches an {@code https://} backup URL (the sandbox's own).
     */
    public DataApi(Platform platform, PgTools pg, Faults faults, java.util.function.Supplier<javax.net.ssl.SSLContext> tls) {
        this.platform = platform;
        this.addons = new Addons(platform::apps);
        this.transfers = new Transfers(platform.clock());
        this.publicUrls = new PublicUrls(platform.clock());
        this.pg = pg;
        this.jobs = new TransferJobs(pg, transfers, platform.dir().resolve("restores"), faults::restoreFails, tls);
    }

    @Override
    public void register(Router r) {
        // Platform API: add-ons and attachments
        r.add("POST", "/actions/addon-attachments/resolve", q -> {
            JsonNode b = q.json();
            String wanted = b.path("addon_attachment").asText("");
            if (wanted.isEmpty()) throw ApiError.invalidParams("addon_attachment is required");
            return Response.ok(addons.resolve(wanted, b.hasNonNull("app") ? b.get("app").asText() : null));
        });
        r.add("GET", APP + "/addon-attachments", q -> {
            App app = platform.app(q.param(0));
            return Response.ok(addons.has(app) ? List.of(addons.attachment(app)) : List.of());
        });
        r.add("GET", "/addon-attachments", q -> Response.ok(platform.apps().stream().filter(addons::has).map(addons::attachment).toList()));
        r.add("GET", "/addons", q -> Response.ok(platform.apps().stream().filter(addons::has).map(addons::addon).toList()));
        r.add("GET", "/addons/([^/]+)", q -> Response.ok(addons.addon(addons.owner(q.param(0)))));
        r.add("GET", "/addons/([^/]+)/addon-attachments", q -> Response.ok(List.of(addons.attachment(addons.owner(q.param(0))))));
        r.add("GET", APP + "/addons/([^/]+)", q -> {
            App app = platform.app(q.param(0));
            App owner = addons.owner(q.param(1));
            if (owner != app) throw ApiError.notFound("Couldn't find that add-on.", "add-on");
            return Response.ok(addons.addon(app));
        });
        r.add("POST", APP + "/addons", q -> {
            App app = platform.app(q.param(0));
            JsonNode plan = q.json().path("plan");
            String name = plan.isTextual() ? plan.asText() : plan.path("name").asText("");
            if (!name.equals(Addons.SERVICE) && !name.startsWith(Addons.SERVICE + ":")) {
                throw ApiError.notFound("Couldn't find either the add-on service or the add-on plan.", "add-on plan");
            }
            provision(app);
            return Response.created(addons.addon(app));
        });

        // data API
        r.add("GET", DB, q -> {
            App app = database(q.param(0));
            return Response.ok(DatabaseInfo.of(app, pg));
        });
        r.add("POST", DB + "/backups", q -> {
            App app = database(q.param(0));
            Transfer t = transfers.newBackup(app, pg.cluster().databaseUrl(app.databaseName),
                    platform.dir().resolve("backups").resolve(app.name),
                    num -> platform.baseUrl() + "/backups/stored/" + app.id + String.format("/b%03d.dump", num));
            return started(t, jobs.capture(t, app.databaseName));
        });
        r.add("POST", DB + "/restores", q -> {
            App app = database(q.param(0));
            JsonNode b = q.json();
            String url = b.path("backup_url").asText("");
            if (url.isEmpty()) throw ApiError.invalidParams("backup_url is required");
            Transfer t = transfers.newRestore(app, url, pg.cluster().databaseUrl(app.databaseName));
            return started(t, jobs.restore(t, url, app.databaseName, extensions(b)));
        });
        r.add("PUT", DB + "/reset", q -> {
            App app = database(q.param(0));
            List<String> extensions = extensions(q.json());
            try {
                pg.recreate(app.databaseName);
                pg.createExtensions(app.databaseName, extensions);
            } catch (RuntimeException e) {
                throw ApiError.invalidParams("Reset failed: " + e.getMessage());
            }
            return Response.ok(Map.of());
        });
        r.add("GET", TRANSFERS, q -> Response.ok(transfers.of(platform.app(q.param(0))).stream().map(t -> t.view(false)).toList()));
        r.add("GET", TRANSFERS + "/([^/]+)", q -> {
            Transfer t = transfers.find(platform.app(q.param(0)), q.param(1));
            return Response.ok(t.view("true".equals(q.query().get("verbose"))));
        });
        r.add("POST", TRANSFERS + "/([^/]+)/actions/public-url", q -> {
            Transfer t = transfers.find(platform.app(q.param(0)), q.param(1));
            if (t.kind != Transfer.Kind.BACKUP) throw ApiError.notFound("Couldn't find that backup.", "backup");
            if (!t.succeeded()) throw ApiError.invalidParams("Backup " + t.name() + " did not complete successfully.");
            return Response.ok(Map.of("url", publicUrls.issue(platform.secureBaseUrl(), t.file, t.name() + ".dump")));
        });
        r.addOpen("GET", PublicUrls.ROUTE, publicUrls::serve);
    }

    /**
     * The CLI's pg:psql and pg:push ask libpq for SSL (PGSSLMODE=require) unless the host is
     * "localhost", and the throwaway cluster speaks no SSL; libpq's own default, prefer, works.
     */
    @Override
    public Map<String, String> env() {
        return Map.of("PGSSLMODE", "prefer");
    }

    /** The download URLs handed out by {@code public-url}, e.g. to shorten their lifetime in a test. */
    public PublicUrls publicUrls() {
        return publicUrls;
    }

    /** {@code GET /apps/{app}/addons}: the app's add-ons (its Postgres database, if any). */
    public List<Object> addons(App app) {
        return addons.has(app) ? List.of(addons.addon(app)) : List.of();
    }

    /**
     * Gives the app a database named after it in the sandbox's cluster, as Heroku attaches a new
     * heroku-postgresql add-on: DATABASE_URL set (no password: the cluster trusts local
     * connections), a release {@code Attach DATABASE (@ref:postgresql-…)}, dynos restarted.
     */
    public synchronized void provision(App app) {
        if (addons.has(app)) throw ApiError.invalidParams("The sandbox gives an app one Postgres database; " + app.name + " has " + app.addonName + ".");
        String db = AddonNames.database(app.name);
        pg.create(db);
        String name = AddonNames.addon();
        synchronized (app) {
            app.addonId = UUID.randomUUID().toString();
            app.addonName = name;
            app.databaseName = db;
            addons.attached(app, platform.clock().instant());
            app.configVars.put("DATABASE_URL", pg.cluster().databaseUrl(db));
            String description = "Attach DATABASE (@ref:" + name + ")";
            Release r = app.addRelease(description, "succeeded", app.currentSlug(), app.configVars, false, platform.clock().instant());
            platform.logs().heroku(app.name, "api", description + " by " + platform.email());
            platform.logs().heroku(app.name, "api", "Release v" + r.version + " created by " + platform.email());
        }
        platform.restart(app, d -> true);
    }

    /** The app whose add-on has this id (the data API addresses databases by add-on id). */
    private App database(String addonId) {
        return addons.find(addonId).orElseThrow(() -> ApiError.notFound("Couldn't find that database.", "database"));
    }

    private static Response started(Transfer t, Future<?> job) {
        Map<String, Object> asCreated = t.view(false);
        TransferJobs.awaitBriefly(job, FIRST_POLL_GRACE);
        return Response.created(asCreated);
    }

    private static List<String> extensions(JsonNode body) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : body.path("extensions")) out.add(e.asText());
        return out;
    }

    @Override
    public void close() {
        pg.close();
        jobs.close();
    }
}
