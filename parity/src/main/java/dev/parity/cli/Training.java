package dev.parity.cli;

import dev.parity.process.SystemProcessRunner;
import dev.parity.ui.Io;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The launcher's one-time training run for the class-data-sharing archive: exercises the usual
 * paths (help, config, plans of the common verbs) so their classes load from the archive later.
 * Runs nothing but dry runs in a throwaway directory.
 */
public final class Training {
    private Training() {}

    /**
     * The native verbs' classes (HTTP client, JSON, layouts) load only when the API answers: a
     * loopback server answers a few canned requests so {@code ps} and {@code releases} run for real.
     */
    private static void trainApiCalls(Path dir, PrintStream nowhere) throws IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String dynos = "[{\"id\":\"1\",\"name\":\"web.1\",\"type\":\"web\",\"state\":\"up\",\"command\":\"bin/web\","
                + "\"size\":\"Basic\",\"created_at\":\"" + now + "\",\"updated_at\":\"" + now + "\","
                + "\"release\":{\"id\":\"r\",\"version\":1},\"app\":{\"id\":\"a\",\"name\":\"training-production\"}}]";
        String releases = "[{\"id\":\"r\",\"version\":1,\"current\":true,\"status\":\"succeeded\",\"description\":\"Initial release\","
                + "\"created_at\":\"" + now + "\",\"updated_at\":\"" + now + "\",\"user\":{\"email\":\"dev@example.com\"}}]";
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = (path.endsWith("/dynos") ? dynos : path.endsWith("/releases") ? releases : "{}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                    "HOME", dir.toString(), "HEROKU_API_KEY", "training-token",
                    "HEROKU_HOST", "http://127.0.0.1:" + server.getAddress().getPort());
            Io io = new Io(nowhere, nowhere, new ByteArrayInputStream(new byte[0]), env, dir, false);
            Parity parity = new Parity(io, new SystemProcessRunner(env, dir));
            parity.run("production", "ps");
            parity.run("production", "ps", "--json");
            parity.run("production", "releases");
        } finally {
            server.stop(0);
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("parity-training-");
        try {
            Files.writeString(dir.resolve(".parity.yml"), """
                    environments:
                      production: {app: training-production}
                      staging: {app: training-staging}
                    """);
            // a Rails app, so framework detection and its YAML/ERB reading are trained too
            Files.createDirectories(dir.resolve("config"));
            Files.writeString(dir.resolve("Gemfile"), "gem 'rails'\n");
            Files.writeString(dir.resolve("config/database.yml"), """
                    default: &default
                      adapter: postgresql
                      pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>
                    development:
                      <<: *default
                      database: training_development
                    """);
            Files.createDirectory(dir.resolve(".git"));
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
            Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            Io io = new Io(nowhere, nowhere, new ByteArrayInputStream(new byte[0]), env, dir, false);
            Parity parity = new Parity(io, new SystemProcessRunner(env, dir));
            String[][] runs = {
                    {"--help"}, {"production", "--help"}, {"production", "migrate", "--help"},
                    {"production", "--dry-run", "migrate"}, {"production", "console", "--dry-run", "--sandbox"},
                    {"development", "restore", "production", "--dry-run"}, {"staging", "restore", "production", "--dry-run"},
                    {"production", "--dry-run", "ps"}, {"production", "tail", "--dry-run"}, {"nowhere", "ps"},
                    {"production", "--dry-run", "config:set", "A=1"}, {"production", "migarte"},
            };
            for (String[] run : runs) parity.run(run);
            trainApiCalls(dir, nowhere);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
