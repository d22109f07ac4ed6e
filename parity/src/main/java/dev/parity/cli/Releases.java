package dev.parity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.parity.dynos.Ago;
import dev.parity.heroku.ApiFailures;
import dev.parity.dynos.JsJson;
import dev.parity.dynos.ReleasesLayout;
import dev.parity.env.Environment;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.steps.Action;
import dev.parity.steps.Sequence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** `releases`: the newest releases (one page, newest first) in {@code heroku releases}'s layout. */
@picocli.CommandLine.Command(name = "releases", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "The app's newest releases, as `heroku releases` shows them.")
final class Releases extends Verb {

    @Option(names = {"-n", "--num"}, paramLabel = "N", description = "How many releases (default ${DEFAULT-VALUE}).", defaultValue = "15")
    int num;

    @Option(names = "--json", description = "The releases as JSON.")
    boolean json;

    @Override
    protected Sequence sequence() throws InterruptedException {
        Environment env = remoteEnvironment("releases");
        if (num < 1 || num > 1000) throw new UsageError("-n takes a number from 1 to 1000");
        String app = env.app();
        String plan = "GET " + workspace.hosts().apiBase() + Platform.releasesPath(app) + " (Range: " + Platform.releasesRange(num) + ")";
        return new Sequence(title("releases"), List.of(new Action("releases " + app, plan, ctx -> {
            ArrayNode releases;
            try {
                releases = workspace.platform().releasesJson(app, num);
            } catch (HerokuApiException e) {
                throw ApiFailures.of(e, env);
            }
            var io = workspace.io();
            if (json) {
                io.out().print(JsJson.stringify(releases));
            } else {
                List<JsonNode> list = new ArrayList<>();
                releases.forEach(list::add);
                io.out().print(ReleasesLayout.render(app, list, Instant.now(), Ago.zone(io.env())));
            }
            io.out().flush();
        })), List.of("app: " + app + " (from " + env.source() + ")"));
    }
}
