package dev.parity.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.http.Part;
import dev.parity.sandbox.http.Request;
import dev.parity.sandbox.http.Response;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Platform;
import dev.parity.sandbox.model.Release;
import dev.parity.sandbox.model.Slug;
import dev.parity.sandbox.release.ReleaseOutput;
import dev.parity.sandbox.release.ReleaseOutputs;
import dev.parity.sandbox.release.Releaser;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Releases (section 4): list, one by id or version, the config vars as of one, their slugs,
 * their release command's output, and new ones: a rollback
 * ({@code {"release": ID_OR_VERSION}}) or a release of a slug ({@code {"slug": ID}}).
 */
public final class ReleaseApi implements Part {
    private static final String APP = "/apps/([^/]+)";
    private final Platform platform;
    private final Releaser releaser;

    public ReleaseApi(Platform platform, Releaser releaser) {
        this.platform = platform;
        this.releaser = releaser;
    }

    @Override
    public void register(Router r) {
        r.add("GET", APP + "/releases", q -> {
            App app = platform.app(q.param(0));
            List<Release> releases;
            synchronized (app) {
                releases = List.copyOf(app.releases);
            }
            return Ranges.page(releases, q.header("Range"), "version", rel -> rel.version, rel -> Views.release(platform, app, rel));
        });
        r.add("GET", APP + "/releases/([^/]+)", q -> {
            App app = platform.app(q.param(0));
            return Response.ok(Views.release(platform, app, release(app, q.param(1))));
        });
        r.add("GET", APP + "/releases/([^/]+)/config-vars", q -> {
            App app = platform.app(q.param(0));
            return Response.ok(new java.util.LinkedHashMap<>(release(app, q.param(1)).config));
        });
        r.add("GET", APP + "/slugs/([^/]+)", q -> {
            App app = platform.app(q.param(0));
            Slug slug;
            synchronized (app) {
                slug = app.slugs.get(q.param(1));
            }
            if (slug == null) throw ApiError.notFound("Couldn't find that slug.", "slug");
            return Response.ok(Views.slug(slug));
        });
        r.addOpen("GET", ReleaseOutputs.ROUTE, this::output);
        r.add("POST", APP + "/releases", q -> {
            App app = platform.app(q.param(0));
            JsonNode body = q.json();
            Release created = releaser.start(app, change(app, body));
            return Response.created(Views.release(platform, app, created));
        });
    }

    /**
     * A rollback brings back the target's code (its slug) and config vars as {@code Rollback to vN};
     * a slug is released with the current config vars.
     */
    private java.util.function.Supplier<Releaser.Change> change(App app, JsonNode body) {
        if (body.hasNonNull("release")) {
            Release target = release(app, body.get("release").asText());
            if (!target.eligibleForRollback()) {
                throw ApiError.invalidParams(target.slug == null ? "Release v" + target.version + " has no code to roll back to."
                        : "Release v" + target.version + " is " + target.status + " and cannot be rolled back to.");
            }
            return () -> new Releaser.Change("Rollback to v" + target.version, target.slug, target.config);
        }
        if (body.hasNonNull("slug")) {
            Slug slug;
            synchronized (app) {
                slug = app.slugs.get(body.get("slug").asText());
            }
            if (slug == null) throw ApiError.notFound("Couldn't find that slug.", "slug");
            String description = body.hasNonNull("description") ? body.get("description").asText()
                    : "Deploy " + slug.commit.substring(0, Math.min(7, slug.commit.length()));
            return () -> {
                synchronized (app) {
                    return new Releaser.Change(description, slug, Map.copyOf(app.configVars));
                }
            };
        }
        throw ApiError.invalidParams("Missing required params: slug (or release, to roll back)");
    }

    /**
     * A release command's output as plain text, streamed while it runs (the answer ends when the
     * command does); 404 until the command has started. The URL is the capability, as Heroku's
     * signed one is.
     */
    private Response output(Request q) throws InterruptedException {
        ReleaseOutput output = releaser.outputs().of(q.param(0))
                .orElseThrow(() -> ApiError.notFound("Release command not started yet.", "release"));
        HttpExchange ex = q.exchange();
        try {
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream body = ex.getResponseBody()) {
                output.copyTo(body);
            }
        } catch (IOException gone) {
            // the reader hung up; the command goes on
        }
        return Response.STREAMED;
    }

    static Release release(App app, String idOrVersion) {
        return app.release(idOrVersion).orElseThrow(() -> ApiError.notFound("Couldn't find that release.", "release"));
    }
}
