package dev.parity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParityConfigTest {

    static final String EXAMPLE = """
            environments:
              feature-geoff:
                app: myapp-feature-geoff
              staging:
                app: myapp-staging
            deploy_branch: trunk
            migrate: bin/rails db:migrate
            console: bin/rails console
            development:
              database: myapp_development
            """;

    @TempDir
    Path repo;

    static ConfigError error(String yaml) {
        return assertThrows(ConfigError.class, () -> ParityConfig.parse(yaml), yaml);
    }

    static void assertMentions(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
    }

    @Test
    void exampleFileParsesEveryKey() {
        ParityConfig c = ParityConfig.parse(EXAMPLE);
        assertEquals("myapp-feature-geoff", c.environmentApps().get("feature-geoff"));
        assertEquals(Map.of("feature-geoff", "myapp-feature-geoff", "staging", "myapp-staging"), c.environmentApps());
        assertEquals(Optional.of("trunk"), c.deployBranch());
        assertEquals(Optional.of("bin/rails db:migrate"), c.migrate());
        assertEquals(Optional.of("bin/rails console"), c.console());
        assertEquals(Optional.of("myapp_development"), c.development().database());
        assertEquals(Optional.empty(), c.development().host());
        assertEquals(Optional.empty(), c.development().port());
        assertEquals(Optional.empty(), c.development().username());
    }

    @Test
    void exampleFileLoadsFromTheRepositoryRoot() throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), EXAMPLE);
        assertEquals(ParityConfig.parse(EXAMPLE), ParityConfig.load(repo));
    }

    @Test
    void missingFileIsEmpty() {
        assertSame(ParityConfig.EMPTY, ParityConfig.load(repo));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "   \n", "# only a comment\n", "---\n", "~\n"})
    void emptyFileIsEmpty(String text) throws IOException {
        assertSame(ParityConfig.EMPTY, ParityConfig.parse(text));
        Files.writeString(repo.resolve(".parity.yml"), text);
        assertSame(ParityConfig.EMPTY, ParityConfig.load(repo));
    }

    @Test
    void emptyConfigHasNoValues() {
        ParityConfig e = ParityConfig.EMPTY;
        assertTrue(e.environmentApps().isEmpty());
        assertTrue(e.deployBranch().isEmpty() && e.migrate().isEmpty() && e.console().isEmpty());
        assertTrue(e.development().database().isEmpty());
    }

    /** yaml | the key path the error must name */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "deploy-branch: main                              | deploy-branch",
        "environment: {staging: {app: x}}                 | environment",
        "migrate: x\\nconsol: y                           | consol",
        "environments: {staging: {app: x, name: y}}       | environments.staging.name",
        "environments: {feature-geoff: {remote: origin}}  | environments.feature-geoff.remote",
        "development: {database: d, password: secret}     | development.password",
        "development: {db: d}                             | development.db",
    })
    void unknownKeyIsAnErrorNamingItsPath(String yaml, String path) {
        ConfigError e = error(yaml.replace("\\n", "\n"));
        assertMentions(e.getMessage(), ".parity.yml", "unknown key '" + path + "'");
    }

    @Test
    void unknownKeyErrorListsTheKnownKeysOfThatLevel() {
        assertMentions(error("development: {db: d}").getMessage(), "database, host, port, snapshots, username");
    }

    @Test
    void snapshotsAreKeptUnlessTurnedOff() {
        assertTrue(ParityConfig.parse("development: {database: d}").development().snapshots());
        assertFalse(ParityConfig.parse("development: {snapshots: false}").development().snapshots());
        assertMentions(error("development: {snapshots: sometimes}").getMessage(), "'development.snapshots' must be true or false, got a string");
    }

    /** yaml | key path | type the error must name */
    @ParameterizedTest(name = "[{index}] {1} as {2}")
    @CsvSource(delimiter = '|', value = {
        "migrate: [a, b]                        | migrate                   | a list",
        "migrate: {run: x}                      | migrate                   | a mapping",
        "console: 42                            | console                   | a number",
        "deploy_branch: true                    | deploy_branch             | a boolean",
        "environments: {staging: {app: 42}}     | environments.staging.app  | a number",
        "environments: {staging: {app: [a]}}    | environments.staging.app  | a list",
        "environments: staging                  | environments              | a string",
        "environments: [staging, production]    | environments              | a list",
        "environments: {staging: myapp-staging} | environments.staging      | a string",
        "environments: {staging: }              | environments.staging      | nothing",
        "development: myapp_development         | development               | a string",
        "development: {database: 7}             | development.database      | a number",
        "development: {host: [a]}               | development.host          | a list",
        "development: {port: 54.32}             | development.port          | a number",
        "development: {port: true}              | development.port          | a boolean",
        "development: {username: {a: b}}        | development.username      | a mapping",
        "- migrate                              | the top level             | a list",
        "just a string                          | the top level             | a string",
    })
    void wrongTypeIsAnErrorNamingKeyAndType(String yaml, String key, String type) {
        ConfigError e = error(yaml);
        assertMentions(e.getMessage(), ".parity.yml", "'" + key + "'", type);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"migrate: ''", "environments: {staging: {app: '  '}}"})
    void blankStringIsAnError(String yaml) {
        assertMentions(error(yaml).getMessage(), "must not be empty");
    }

    @Test
    void nonStringKeyIsAnError() {
        assertMentions(error("environments: {1: {app: x}}").getMessage(), ".parity.yml", "environments", "must be a string");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"migrate: [unclosed", "a: b: c", "environments:\n  staging: {app: x\n", "\tmigrate: x",
            "---\nmigrate: a\n---\nconsole: b\n", "migrate: !!java.io.File /etc/passwd"})
    void invalidYamlIsAnErrorMentioningTheFile(String yaml) {
        assertMentions(error(yaml).getMessage(), ".parity.yml");
    }

    @Test
    void invalidYamlInTheFileIsAnErrorMentioningTheFile() throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), "migrate: [unclosed\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ParityConfig.load(repo));
        assertMentions(e.getMessage(), ".parity.yml", "not valid YAML");
    }

    @Test
    void portMayBeAnInteger() {
        assertEquals(Optional.of("5433"), ParityConfig.parse("development: {port: 5433}").development().port());
    }

    @Test
    void portMayBeAString() {
        assertEquals(Optional.of("5433"), ParityConfig.parse("development: {port: '5433'}").development().port());
    }

    @Test
    void developmentSettingsAllParse() {
        ParityConfig.Development d = ParityConfig.parse(
                "development: {database: app_dev, host: /var/run/postgresql, port: 5432, username: me}").development();
        assertEquals(Optional.of("app_dev"), d.database());
        assertEquals(Optional.of("/var/run/postgresql"), d.host());
        assertEquals(Optional.of("5432"), d.port());
        assertEquals(Optional.of("me"), d.username());
    }

    @Test
    void nullValuesMeanAbsent() {
        ParityConfig c = ParityConfig.parse("migrate:\nconsole: ~\nenvironments:\ndevelopment:\n");
        assertEquals(ParityConfig.EMPTY, c);
    }

    @Test
    void environmentWithoutAppIsAllowedButMapsToNothing() {
        assertTrue(ParityConfig.parse("environments: {staging: {}}").environmentApps().isEmpty());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"migrate: a\nmigrate: b\n", "environments:\n  staging: {app: a-one}\n  staging: {app: a-two}\n",
            "environments: {staging: {app: myapp-staging, app: myapp-production}}"})
    void aDuplicateKeyIsAnErrorNotAWarning(String yaml) {
        ConfigError e = error(yaml);
        assertMentions(e.getMessage(), ".parity.yml", "duplicate key");
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"my app", "MyApp", "1app", "a", "app/../../account", "app?x=1", "app\nproduction",
            "abcdefghijklmnopqrstuvwxyz01234"})
    void anAppNameHerokuWouldNotAcceptIsAnError(String app) {
        ConfigError e = error("environments: {staging: {app: \"" + app.replace("\n", "\\n") + "\"}}");
        assertMentions(e.getMessage(), ".parity.yml", "'environments.staging.app' is not a Heroku app name");
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"ab", "myapp-production", "myapp-staging-pr-1234", "a1-2-3", "abcdefghijklmnopqrstuvwxyz0123"})
    void herokuAppNamesAreAccepted(String app) {
        assertEquals(Map.of("staging", app), ParityConfig.parse("environments: {staging: {app: " + app + "}}").environmentApps());
    }

    @Test
    void aFileFarTooBigForAConfigurationIsRefusedUnread() throws IOException {
        Path file = repo.resolve(".parity.yml");
        try (var out = Files.newBufferedWriter(file)) {
            out.write("migrate: x\n");
            for (int i = 0; i < 200_000; i++) out.write("# padding padding padding padding padding padding\n");
        }
        ConfigError e = assertThrows(ConfigError.class, () -> ParityConfig.load(repo));
        assertEquals(".parity.yml: " + Files.size(file) + " bytes is too big for a configuration file (at most 1048576); "
                + "is it the right file?", e.getMessage());
    }

    @Test
    void anAliasBombIsRefused() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p)
                    .append(", *").append(p).append(", *").append(p).append(", *").append(p).append("]\n");
        }
        assertMentions(error(yaml.toString()).getMessage(), ".parity.yml", "not valid YAML");
    }
}
