package dev.parity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.parity.heroku.ApiFailures;
import dev.parity.dynos.InfoLayout;
import dev.parity.env.Environment;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
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
        String base = workspace.hosts().apiBase();
        String plan = "GET " + base + Platform.appPath(app) + "; GET " + base + Platform.addonsPath(app)
                + "; GET " + base + Platform.dynosPath(app) + "; GET " + base + Platform.collaboratorsPath(app)
                + "; GET " + base + Platform.pipelineCouplingsPath(app);
        return new Sequence(title("info"), List.of(new Action("info " + app, plan, ctx -> {
            JsonNode appJson;
            JsonNode addons;
            Platform platform;
            try {
                platform = workspace.platform();
                appJson = platform.app(app);
                addons = platform.addonsJson(app);
            } catch (HerokuApiException e) {
                throw ApiFailures.of(e, env);
            }
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            JsonNode dynos = optional(() -> nodes.arrayNode().addAll(platform.dynosJson(app)), nodes.arrayNode());
            JsonNode collaborators = optional(() -> platform.collaboratorsJson(app), nodes.arrayNode());
            JsonNode coupling = optional(() -> platform.pipelineCouplingJson(app), nodes.nullNode());
            var io = workspace.io();
            io.out().print(json ? InfoLayout.json(appJson, addons, dynos, collaborators, coupling)
                    : InfoLayout.render(app, appJson, addons, dynos, collaborators, coupling));
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
