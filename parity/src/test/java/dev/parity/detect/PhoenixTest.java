package dev.parity.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhoenixTest {

    @TempDir
    Path root;

    private static final String MIX = """
            defmodule Hello.MixProject do
              use Mix.Project
              defp deps do
                [
                  {:phoenix, "~> 1.7.10"},
                  {:phoenix_ecto, "~> 4.4"},
                  {:ecto_sql, "~> 3.10"},
                  {:postgrex, ">= 0.0.0"}
                ]
              end
            end
            """;

    private static final String DEV_EXS = """
            import Config

            # Configure your database
            config :hello, Hello.Repo,
              username: "postgres",
              password: "postgres",
              hostname: "localhost",
              port: 5433,
              database: "hello_dev",
              stacktrace: true,
              show_sensitive_data_on_connection_error: true,
              pool_size: 10

            config :hello, HelloWeb.Endpoint,
              http: [ip: {127, 0, 0, 1}, port: 4000],
              secret_key_base: "abc"
            """;

    @Test
    void generatedPhoenixApp() {
        Fixture.write(root, "mix.exs", MIX);
        Fixture.write(root, "config/dev.exs", DEV_EXS);
        Project p = ProjectDetector.detect(root, Map.of());
        assertEquals("Phoenix", p.framework());
        assertEquals("mix.exs", p.evidence());
        assertEquals(Optional.of("mix ecto.migrate"), p.migrate());
        assertEquals(Optional.of("iex -S mix"), p.console());
        assertEquals(new LocalDatabase("hello_dev", Optional.of("localhost"), Optional.of("5433"), Optional.of("postgres"),
                Optional.of("postgres"), "config/dev.exs database"), p.developmentDatabase().orElseThrow());
    }

    @Test
    void ectoWithoutPhoenixAndEnvironmentLookups() {
        Fixture.write(root, "mix.exs", "defp deps, do: [{:ecto_sql, \"~> 3.0\"}, {:postgrex, \">= 0.0.0\"}]\n");
        Fixture.write(root, "config/dev.exs", """
                import Config
                config :worker, Worker.Repo,
                  database: System.get_env("DB_NAME", "worker_dev"),
                  hostname: System.get_env("DB_HOST") || "localhost"
                """);
        LocalDatabase db = ProjectDetector.detect(root, Map.of("DB_HOST", "db.local")).developmentDatabase().orElseThrow();
        assertEquals("worker_dev", db.name());
        assertEquals(Optional.of("db.local"), db.host());
    }

    @Test
    void repoUrl() {
        Fixture.write(root, "mix.exs", MIX);
        Fixture.write(root, "config/dev.exs", "import Config\nconfig :hello, Hello.Repo,\n  url: \"ecto://u:p@localhost/from_url\"\n");
        LocalDatabase db = ProjectDetector.detect(root, Map.of()).developmentDatabase().orElseThrow();
        assertEquals("from_url", db.name());
        assertEquals("config/dev.exs url", db.source());
    }

    @Test
    void umbrellaAppsAreSearched() {
        Fixture.write(root, "mix.exs", "defmodule Umbrella.MixProject do\n  def project, do: [apps_path: \"apps\"]\nend\n");
        Fixture.write(root, "apps/web/mix.exs", MIX);
        Fixture.write(root, "config/dev.exs", DEV_EXS);
        Project p = ProjectDetector.detect(root, Map.of());
        assertEquals("Phoenix", p.framework());
        assertEquals("apps/web/mix.exs", p.evidence());
        assertEquals("hello_dev", p.developmentDatabase().orElseThrow().name());
    }

    @Test
    void elixirProjectWithoutEctoIsNotPhoenix() {
        Fixture.write(root, "mix.exs", "defp deps, do: [{:jason, \"~> 1.4\"}, {:phoenix_pubsub, \"~> 2.0\"}]\n");
        assertEquals("unknown", ProjectDetector.detect(root, Map.of()).framework());
    }

    @Test
    void interpolatedNameIsNotGuessed() {
        Fixture.write(root, "mix.exs", MIX);
        Fixture.write(root, "config/dev.exs", "config :hello, Hello.Repo,\n  database: \"hello_dev#{System.get_env(\"P\")}\"\n");
        assertTrue(ProjectDetector.detect(root, Map.of()).developmentDatabase().isEmpty());
    }
}
