package dev.parity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parity.heroku.ApiFailures;
import dev.parity.dynos.InfoLayout;
import dev.parity.dynos.JsJson;
import dev.parity.env.Environment;
import dev.parity.heroku.HerokuApi;
import dev.parity.heroku.HerokuApiException;
import dev.parity.steps.Action;
import dev.parity.steps.Sequence;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * `info`: the app, its add-ons and dyno counts in {@code heroku info}'s layout. Like the CLI, the
 * app and its add-ons must load; dynos, collaborators and the pipeline coupling are best effort.
 */
@picocli.CommandLine.Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "The app's details, as `heroku info` shows them.")
final class Info extends Verb {

    @Option(names = {"-j", "--json"}, description = "Everything as JSON (addons, app, collaborators, dynos, pipeline_coupling).")
    boolean json;

    @Override
    protected Sequence sequence() throws InterruptedException {
        Environment env = remoteEnvironment("info");
        String app = env.app();
        String base = workspace.hosts().apiBase() + "/apps/" + app;
        String plan = "GET " + base + "; GET " + base + "/addons; GET " + base + "/dynos; GET " + base
                + "/collaborators; GET " + base + "/pipeline-couplings";
        return new Sequence(title("info"), List.of(new Action("info " + app, plan, ctx -> {
            JsonNode appJson;
            JsonNode addons;
            HerokuApi api;
            try {
                api = workspace.api();
                appJson = api.get("/apps/" + app);
                addons = api.list("/apps/" + app + "/addons", null);
            } catch (HerokuApiException e) {
                throw ApiFailures.of(e, env);
            }
            JsonNode dynos = optional(() -> api.list("/apps/" + app + "/dynos", null), HerokuApi.JSON.createArrayNode());
            JsonNode collaborators = optional(() -> api.list("/apps/" + app + "/collaborators", null), HerokuApi.JSON.createArrayNode());
            JsonNode coupling = optional(() -> api.get("/apps/" + app + "/pipeline-couplings"), HerokuApi.JSON.nullNode());
            var io = workspace.io();
            if (json) {
                ObjectNode all = HerokuApi.JSON.createObjectNode();
                all.set("addons", addons);
                all.set("app", appJson);
                all.set("collaborators", collaborators);
                all.set("dynos", dynos);
                all.set("pipeline_coupling", coupling);
                io.out().print(JsJson.stringify(all));
            } else {
                io.out().print(InfoLayout.render(appJson.path("name").asText(app),
                        InfoLayout.rows(appJson, addons, dynos, collaborators, coupling)));
            }
            io.out().flush();
        })), List.of("app: " + app + " (from " + env.source() + ")"));
    }

    private interface Call {
        JsonNode get() throws InterruptedException;
    }

    private static JsonNode optional(Call call, JsonNode fallback) throws InterruptedException {
        try {
            return call.get();
        } catch (HerokuApiException e) {
            return fallback;
        }
    }
}
