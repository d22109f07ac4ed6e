package dev.parity.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.parity.config.ConfigError;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RailsTest {

    @TempDir
    Path root;

    /** What `rails new --database=postgresql` writes, trimmed. */
    private static final String GENERATED = """
            # PostgreSQL. Versions 9.3 and up are supported.
            default: &default
              adapter: postgresql
              encoding: unicode
              # For details on connection pooling, see Rails configuration guide
              pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>

            development:
              <<: *default
              database: shop_development
              #username: shop
              #host: localhost

            test:
              <<: *default
              database: shop_test

            production:
              <<: *default
              database: shop_production
              username: shop
              password: <%= ENV["SHOP_DATABASE_PASSWORD"] %>
            """;

    private Project detect(String databaseYml, Map<String, String> env) {
        Fixture.write(root, "config/database.yml", databaseYml);
        return ProjectDetector.detect(root, env);
    }

    private LocalDatabase database(String databaseYml, Map<String, String> env) {
        return detect(databaseYml, env).developmentDatabase().orElseThrow();
    }

    @Test
    void generatedRailsAppIsDetectedWithItsDevelopmentDatabase() {
        Fixture.write(root, "Gemfile", "source \"https://rubygems.org\"\n\ngem \"rails\", \"~> 7.1.3\"\ngem \"pg\"\n");
        Fixture.write(root, "bin/rails", "#!/usr/bin/env ruby\n");
        Project p = detect(GENERATED, Map.of());
        assertEquals("Rails", p.framework());
        assertEquals("config/database.yml, Gemfile, bin/rails", p.evidence());
        assertEquals(Optional.of("bundle exec rails db:migrate"), p.migrate());
        assertEquals(Optional.of("bundle exec rails console"), p.console());
        assertEquals(LocalDatabase.named("shop_development", "config/database.yml development.database"),
                p.developmentDatabase().orElseThrow());
    }

    @Test
    void gemfileAloneIsRailsWithoutADatabase() {
        Fixture.write(root, "Gemfile", "source 'https://rubygems.org'\n  gem 'rails', '~> 7.0'\n");
        Project p = ProjectDetector.detect(root, Map.of());
        assertEquals("Rails", p.framework());
        assertEquals("Gemfile", p.evidence());
        assertTrue(p.developmentDatabase().isEmpty());
    }

    @Test
    void binRailsAloneIsRails() {
        Fixture.write(root, "bin/rails", "#!/usr/bin/env ruby\n");
        assertEquals("bin/rails", ProjectDetector.detect(root, Map.of()).evidence());
    }

    @Test
    void gemfileWithoutRailsIsNotRails() {
        Fixture.write(root, "Gemfile", "source 'https://rubygems.org'\ngem 'sinatra'\ngem 'rails-html-sanitizer'\n");
        assertEquals("unknown", ProjectDetector.detect(root, Map.of()).framework());
    }

    /** The database: line | environment | expected name. */
    static Stream<Arguments> erbForms() {
        Map<String, String> none = Map.of();
        Map<String, String> set = Map.of("DB", "from_env");
        return Stream.of(
                arguments("<%= ENV.fetch(\"DB\") { \"app_dev\" } %>", none, "app_dev"),
                arguments("<%= ENV.fetch(\"DB\") { \"app_dev\" } %>", set, "from_env"),
                arguments("<%= ENV.fetch('DB', 'app_dev') %>", none, "app_dev"),
                arguments("<%= ENV.fetch('DB', 'app_dev') %>", set, "from_env"),
                arguments("<%= ENV['DB'] || 'app_dev' %>", none, "app_dev"),
                arguments("<%= ENV['DB'] || 'app_dev' %>", set, "from_env"),
                arguments("<%= ENV[\"DB\"] %>", set, "from_env"),
                arguments("app_<%= ENV.fetch('DB') { 'x' } %>_dev", set, "app_from_env_dev"),
                arguments("\"<%= ENV.fetch('DB') { 'quoted' } %>\"", none, "quoted"),
                arguments("<%= ENV.fetch(\"DB\") { 5 } %>", none, "5"));
    }

    @ParameterizedTest(name = "database: {0} with {1}")
    @MethodSource("erbForms")
    void erbInTheDatabaseName(String value, Map<String, String> env, String expected) {
        String yml = "development:\n  adapter: postgresql\n  database: " + value + "\n";
        assertEquals(expected, database(yml, env).name());
    }

    @Test
    void erbNumbersAndCodeTagsAroundTheSettings() {
        String yml = """
                <% threads = ENV.fetch("RAILS_MAX_THREADS") { 5 } %>
                development:
                  database: app_dev
                  host: <%= ENV.fetch("DB_HOST") { "localhost" } %>
                  port: <%= ENV.fetch("DB_PORT") { 5432 } %>
                  username: <%= ENV["DB_USER"] %>
                  password: <%= ENV.fetch("DB_PASSWORD", "dev-secret") %>
                """;
        LocalDatabase db = database(yml, Map.of("DB_USER", "me"));
        assertEquals(new LocalDatabase("app_dev", Optional.of("localhost"), Optional.of("5432"), Optional.of("me"),
                Optional.of("dev-secret"), "config/database.yml development.database"), db);
    }

    @Test
    void unevaluableErbOutsideTheNameLeavesThatSettingUnknown() {
        String yml = """
                development:
                  database: app_dev
                  host: <%= Rails.application.credentials.db_host %>
                  password: <%= ENV.fetch("DB_PASSWORD") %>
                """;
        LocalDatabase db = database(yml, Map.of());
        assertEquals("app_dev", db.name());
        assertTrue(db.host().isEmpty());
        assertTrue(db.password().isEmpty());
    }

    @Test
    void multiDatabaseUsesPrimary() {
        String yml = """
                default: &default
                  adapter: postgresql
                  host: localhost
                development:
                  cache:
                    <<: *default
                    database: app_development_cache
                  primary:
                    <<: *default
                    database: app_development
                  queue:
                    <<: *default
                    database: app_development_queue
                """;
        LocalDatabase db = database(yml, Map.of());
        assertEquals("app_development", db.name());
        assertEquals(Optional.of("localhost"), db.host());
        assertEquals("config/database.yml development.primary.database", db.source());
    }

    @Test
    void multiDatabaseWithoutPrimaryUsesTheFirst() {
        String yml = """
                development:
                  main:
                    adapter: postgresql
                    database: app_main_dev
                  animals:
                    adapter: postgresql
                    database: app_animals_dev
                    migrations_paths: db/animals_migrate
                """;
        LocalDatabase db = database(yml, Map.of());
        assertEquals("app_main_dev", db.name());
        assertEquals("config/database.yml development.main.database", db.source());
    }

    @Test
    void mergeKeysAndNestedAnchors() {
        String yml = """
                default: &default
                  adapter: postgresql
                  host: db.local
                  port: 5433
                  username: rails
                local: &local
                  <<: *default
                  database: from_anchor
                development:
                  <<: *local
                  port: 5434
                """;
        LocalDatabase db = database(yml, Map.of());
        assertEquals(new LocalDatabase("from_anchor", Optional.of("db.local"), Optional.of("5434"), Optional.of("rails"),
                Optional.empty(), "config/database.yml development.database"), db);
    }

    @Test
    void urlGivesEveryPart() {
        String yml = """
                development:
                  adapter: postgresql
                  url: postgres://dev:pa%3Ass@db.local:6543/app_dev
                """;
        assertEquals(new LocalDatabase("app_dev", Optional.of("db.local"), Optional.of("6543"), Optional.of("dev"),
                Optional.of("pa:ss"), "config/database.yml development.url"), database(yml, Map.of()));
    }

    @Test
    void urlFromErbEnvWinsOverSeparateKeys() {
        String yml = """
                development:
                  database: ignored_name
                  host: ignored-host
                  username: kept_user
                  url: <%= ENV.fetch("DATABASE_URL") { "postgres://localhost/default_dev" } %>
                """;
        LocalDatabase fromEnv = database(yml, Map.of("DATABASE_URL", "postgresql://db:5432/env_dev"));
        assertEquals("env_dev", fromEnv.name());
        assertEquals(Optional.of("db"), fromEnv.host());
        assertEquals(Optional.of("kept_user"), fromEnv.username());
        assertEquals("default_dev", database(yml, Map.of()).name());
    }

    @Test
    void urlThatCannotBeEvaluatedFallsBackToTheDatabaseKey() {
        String yml = """
                development:
                  database: app_dev
                  url: <%= ENV.fetch("DATABASE_URL") %>
                """;
        assertEquals("app_dev", database(yml, Map.of()).name());
    }

    @Test
    void developmentAsAUrlString() {
        LocalDatabase db = database("development: postgres://localhost/str_dev\n", Map.of());
        assertEquals("str_dev", db.name());
        assertEquals("config/database.yml development", db.source());
    }

    @Test
    void noDevelopmentSectionMeansNoDatabase() {
        Project p = detect("production:\n  database: app_production\n", Map.of());
        assertEquals("Rails", p.framework());
        assertTrue(p.developmentDatabase().isEmpty());
    }

    @Test
    void emptyDatabaseYmlMeansNoDatabase() {
        assertTrue(detect("# nothing yet\n", Map.of()).developmentDatabase().isEmpty());
    }

    @Test
    void unevaluableErbInTheNameIsAnErrorThatSaysWhatToDo() {
        String yml = """
                development:
                  adapter: postgresql
                  database: <%= Rails.application.credentials.dig(:db, :name) %>
                  password: hunter2
                """;
        ConfigError e = assertThrows(ConfigError.class, () -> detect(yml, Map.of()));
        assertTrue(e.getMessage().contains("config/database.yml"), e.getMessage());
        assertTrue(e.getMessage().contains("development.database"), e.getMessage());
        assertTrue(e.getMessage().contains("<%= Rails.application.credentials.dig(:db, :name) %>"), e.getMessage());
        assertTrue(e.getMessage().contains(".parity.yml"), e.getMessage());
        assertTrue(e.getMessage().contains("development: {database: NAME}"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void fetchWithoutDefaultOfAnUnsetVariableInTheNameIsAnError() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> detect("development:\n  database: <%= ENV.fetch('DB_NAME') %>\n", Map.of()));
        assertTrue(e.getMessage().contains("<%= ENV.fetch('DB_NAME') %>"), e.getMessage());
        assertEquals("set", database("development:\n  database: <%= ENV.fetch('DB_NAME') %>\n", Map.of("DB_NAME", "set")).name());
    }

    @Test
    void unevaluableUrlThatIsTheOnlyNameIsAnError() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> detect("development:\n  url: <%= ENV.fetch('DATABASE_URL') %>\n", Map.of()));
        assertTrue(e.getMessage().contains("development.url"), e.getMessage());
    }

    @Test
    void malformedYamlNamesTheFileAndLine() {
        String yml = """
                default: &default
                  adapter: postgresql

                development:
                  database: app_dev
                   password: hunter2
                """;
        ConfigError e = assertThrows(ConfigError.class, () -> detect(yml, Map.of()));
        assertTrue(e.getMessage().startsWith("config/database.yml: not valid YAML at line 6"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void lineNumbersCountMultiLineCodeTags() {
        String yml = """
                <%
                  # a helper spread over lines
                %>
                development:
                  database: [unclosed
                """;
        ConfigError e = assertThrows(ConfigError.class, () -> detect(yml, Map.of()));
        assertTrue(e.getMessage().contains("line 6"), e.getMessage());
    }

    @Test
    void rubyObjectTagsAreRefusedAsInvalid() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> detect("development:\n  database: !ruby/object:Foo {}\n", Map.of()));
        assertTrue(e.getMessage().startsWith("config/database.yml: not valid YAML at line 2"), e.getMessage());
    }

    @Test
    void undefinedAliasIsReportedWithItsLine() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> detect("development:\n  <<: *missing\n  database: x\n", Map.of()));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
