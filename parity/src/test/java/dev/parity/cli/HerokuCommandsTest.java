package dev.parity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The list of heroku's commands in the jar is the pinned CLI's (tools/heroku-cli): its commands,
 * their aliases and their topics, from the oclif manifests of the CLI and its bundled plugins.
 */
class HerokuCommandsTest {
    static final Path HOME = Path.of(System.getProperty("parity.home", "..")).toAbsolutePath().normalize();
    static final Path MODULES = HOME.resolve("tools/heroku-cli/node_modules");

    @Test
    void theListIsThePinnedClisCommandsAliasesAndTopics() throws IOException {
        Path heroku = MODULES.resolve("heroku");
        if (!Files.isRegularFile(heroku.resolve("oclif.manifest.json"))) {
            throw new AssertionError("the pinned heroku CLI is not installed: run tools/install-heroku-cli");
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode pkg = json.readTree(heroku.resolve("package.json").toFile());
        TreeSet<String> expected = new TreeSet<>();
        add(json, heroku.resolve("oclif.manifest.json"), expected);
        for (JsonNode plugin : pkg.path("oclif").path("plugins")) {
            Path manifest = MODULES.resolve(plugin.asText()).resolve("oclif.manifest.json");
            if (Files.isRegularFile(manifest)) add(json, manifest, expected);
        }
        for (String id : new TreeSet<>(expected)) expected.add(id.split(":")[0]);

        assertEquals(String.join("\n", expected), String.join("\n", new TreeSet<>(HerokuCommands.all())),
                "parity/src/main/resources" + HerokuCommands.RESOURCE + " is not heroku " + pkg.path("version").asText()
                        + "'s list: put the expected lines there (after its comment)");
        assertTrue(HerokuCommands.isCommand("pg:psql") && HerokuCommands.isCommand("config") && HerokuCommands.isCommand("run"));
    }

    private static void add(ObjectMapper json, Path manifest, TreeSet<String> into) throws IOException {
        for (Iterator<Map.Entry<String, JsonNode>> it = json.readTree(manifest.toFile()).path("commands").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> command = it.next();
            into.add(command.getKey());
            for (JsonNode alias : command.getValue().path("aliases")) into.add(alias.asText());
        }
    }
}
