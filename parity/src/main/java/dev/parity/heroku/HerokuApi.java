package dev.parity.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.parity.cli.Version;
import dev.parity.env.HerokuHosts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Heroku Platform API over {@link HttpURLConnection} (java.net.http's client adds ~330 ms at
 * JVM exit on JDK 17). Sends the official CLI's headers, follows {@code Next-Range} pages, retries
 * 429 (after {@code Retry-After}), 5xx and connection failures a bounded number of times, and turns
 * a final failure into one clear line.
 */
public final class HerokuApi {
    public static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_ATTEMPTS = 4;
    static final long MAX_RETRY_AFTER_MS = 10_000;

    private final String base;
    private final HerokuToken token;
    private final Sleeper sleeper;

    /** Waits between retries; tests replace it to keep time out of the picture. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    public HerokuApi(String base, HerokuToken token, Sleeper sleeper) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.sleeper = sleeper;
    }

    /** The client for this environment, or a clear error when there is no token. */
    public static HerokuApi from(Map<String, String> env) {
        HerokuHosts hosts = HerokuHosts.from(env);
        Optional<HerokuToken> token = HerokuToken.find(env, hosts.apiBase());
        return new HerokuApi(hosts.apiBase(), token.orElseThrow(() -> new HerokuApiException(401, "unauthorized",
                "no Heroku credentials: run `heroku login` or set HEROKU_API_KEY")), Thread::sleep);
    }

    public String base() {
        return base;
    }

    public JsonNode get(String path) throws InterruptedException {
        return call("GET", path, null, null).body;
    }

    /** Every item of a list, following {@code Next-Range} from {@code range} (null: the API's default order). */
    public ArrayNode list(String path, String range) throws InterruptedException {
        ArrayNode all = JSON.createArrayNode();
        String next = range;
        for (int page = 0; page < 100; page++) {
            Answer a = call("GET", path, null, next);
            if (a.body.isArray()) all.addAll((ArrayNode) a.body);
            if (a.status != 206 || a.nextRange == null) break;
            next = a.nextRange;
        }
        return all;
    }

    /** One page only, as {@code heroku releases} asks for it. */
    public ArrayNode page(String path, String range) throws InterruptedException {
        JsonNode body = call("GET", path, null, range).body;
        return body.isArray() ? (ArrayNode) body : JSON.createArrayNode();
    }

    public JsonNode post(String path, Object body) throws InterruptedException {
        return call("POST", path, body, null).body;
    }

    public JsonNode delete(String path) throws InterruptedException {
        return call("DELETE", path, null, null).body;
    }

    private record Answer(int status, JsonNode body, String nextRange) {}

    private Answer call(String method, String path, Object body, String range) throws InterruptedException {
        HerokuApiException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            long wait;
            try {
                HttpURLConnection c = open(method, path, range);
                if (body != null) {
                    c.setDoOutput(true);
                    try (OutputStream out = c.getOutputStream()) {
                        JSON.writeValue(out, body);
                    }
                }
                int status = c.getResponseCode();
                JsonNode json = read(status < 400 ? c.getInputStream() : c.getErrorStream());
                if (status < 400) return new Answer(status, json, c.getHeaderField("Next-Range"));
                last = error(status, json, method, path);
                if (status == 429) {
                    wait = retryAfter(c.getHeaderField("Retry-After"), attempt);
                } else if (status >= 500) {
                    wait = backoff(attempt);
                } else {
                    throw last;
                }
            } catch (IOException e) {
                last = new HerokuApiException(0, null, "cannot reach the Heroku API at " + base + ": "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
                wait = backoff(attempt);
            }
            if (attempt < MAX_ATTEMPTS) sleeper.sleep(wait);
        }
        throw new HerokuApiException(last.status(), last.id(), last.getMessage() + " (gave up after " + MAX_ATTEMPTS + " attempts)");
    }

    private HttpURLConnection open(String method, String path, String range) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(30_000);
        c.setRequestProperty("Accept", "application/vnd.heroku+json; version=3");
        c.setRequestProperty("Authorization", "Bearer " + token.value());
        c.setRequestProperty("Content-Type", "application/json");
        c.setRequestProperty("User-Agent", "parity/" + Version.get());
        c.setRequestProperty("Request-Id", UUID.randomUUID().toString());
        if (range != null) c.setRequestProperty("Range", range);
        return c;
    }

    private static JsonNode read(InputStream in) throws IOException {
        if (in == null) return JSON.createObjectNode();
        try (in) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) return JSON.createObjectNode();
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                return JSON.createObjectNode().put("message", new String(bytes, StandardCharsets.UTF_8).strip());
            }
        }
    }

    private HerokuApiException error(int status, JsonNode body, String method, String path) {
        String id = body.path("id").asText(null);
        String message = body.path("message").asText("HTTP " + status);
        if (status == 401) {
            return new HerokuApiException(status, id, "the Heroku API refused the credentials from " + token.source()
                    + ": run `heroku login` or set HEROKU_API_KEY");
        }
        return new HerokuApiException(status, id, message + " (" + method + " " + path + ", HTTP " + status
                + (id == null ? "" : ", " + id) + ")");
    }

    static long backoff(int attempt) {
        return 250L << (attempt - 1);
    }

    static long retryAfter(String header, int attempt) {
        try {
            return Math.min(MAX_RETRY_AFTER_MS, Long.parseLong(header.strip()) * 1000);
        } catch (RuntimeException e) {
            return backoff(attempt);
        }
    }
}
