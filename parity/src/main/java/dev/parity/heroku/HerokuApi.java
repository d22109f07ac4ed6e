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
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The Heroku Platform API over {@link HttpURLConnection} (java.net.http's client adds ~330 ms at
 * JVM exit on JDK 17). Sends the official CLI's headers, follows {@code Next-Range} pages, and turns
 * a final failure into one clear line.
 *
 * <p>Retries: a request that never reached the API (no connection could be made) is retried a
 * bounded number of times, and so is a 429 (after {@code Retry-After}: the rate limiter refuses
 * before anything is done). A request that did reach it is retried on 5xx answers and I/O errors
 * only when repeating it is harmless: GET, PUT, DELETE, and the POSTs a caller declares
 * repeatable. Any other POST (or PATCH) that fails after it was sent is not repeated: it fails with
 * {@link HerokuApiException#outcomeUnknown()}, and the caller looks at what exists before doing
 * anything else (a second {@code POST /apps/APP/dynos} would start a second one-off dyno).
 */
public final class HerokuApi {
    public static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_ATTEMPTS = 4;
    static final long MAX_RETRY_AFTER_MS = 10_000;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long one answer may take; {@code PARITY_API_TIMEOUT} (seconds) changes it. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> REPEATABLE = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final String base;
    private final HerokuToken token;
    private final Sleeper sleeper;
    private final Duration readTimeout;

    /** Waits between retries; tests replace it to keep time out of the picture. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    public HerokuApi(String base, HerokuToken token, Sleeper sleeper) {
        this(base, token, sleeper, READ_TIMEOUT);
    }

    public HerokuApi(String base, HerokuToken token, Sleeper sleeper, Duration readTimeout) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.sleeper = sleeper;
        this.readTimeout = readTimeout;
    }

    /** The client for this environment, or a clear error when there is no token. */
    public static HerokuApi from(Map<String, String> env) {
        HerokuHosts hosts = HerokuHosts.from(env);
        Optional<HerokuToken> token = HerokuToken.find(env, hosts.apiBase());
        return new HerokuApi(hosts.apiBase(), token.orElseThrow(() -> new HerokuApiException(401, "unauthorized",
                "no Heroku credentials: run `heroku login` or set HEROKU_API_KEY")), Thread::sleep, readTimeout(env));
    }

    /** {@code PARITY_API_TIMEOUT}: whole seconds, 1 to 3600; unset: {@link #READ_TIMEOUT}. */
    public static Duration readTimeout(Map<String, String> env) {
        String text = env.get("PARITY_API_TIMEOUT");
        if (text == null || text.isBlank()) return READ_TIMEOUT;
        String t = text.strip();
        if (!t.matches("\\d{1,4}") || Integer.parseInt(t) < 1 || Integer.parseInt(t) > 3600) {
            throw new HerokuApiException(0, null, "PARITY_API_TIMEOUT must be a number of seconds from 1 to 3600, not '"
                    + (t.length() > 20 ? t.substring(0, 20) + "…" : t).replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return Duration.ofSeconds(Integer.parseInt(t));
    }

    public String base() {
        return base;
    }

    /** How long one answer may take before the request counts as lost. */
    public Duration readTimeout() {
        return readTimeout;
    }

    public JsonNode get(String path) throws InterruptedException {
        return call("GET", path, null, null, false).body;
    }

    /** Every item of a list, following {@code Next-Range} from {@code range} (null: the API's default order). */
    public ArrayNode list(String path, String range) throws InterruptedException {
        ArrayNode all = JSON.createArrayNode();
        String next = range;
        for (int page = 0; page < 100; page++) {
            Answer a = call("GET", path, null, next, false);
            if (a.body.isArray()) all.addAll((ArrayNode) a.body);
            if (a.status != 206 || a.nextRange == null) break;
            next = a.nextRange;
        }
        return all;
    }

    /** One page only, as {@code heroku releases} asks for it. */
    public ArrayNode page(String path, String range) throws InterruptedException {
        JsonNode body = call("GET", path, null, range, false).body;
        return body.isArray() ? (ArrayNode) body : JSON.createArrayNode();
    }

    /**
     * A POST that may create something: retried only when it never reached the API (and on 429).
     * Failing after it was sent, it throws with {@link HerokuApiException#outcomeUnknown()} set.
     */
    public JsonNode post(String path, Object body) throws InterruptedException {
        return call("POST", path, body, null, false).body;
    }

    /**
     * A POST whose repetition leaves nothing behind that matters (a log session, a fresh signed
     * URL): retried like a GET.
     */
    public JsonNode postRepeatable(String path, Object body) throws InterruptedException {
        return call("POST", path, body, null, true).body;
    }

    public JsonNode delete(String path) throws InterruptedException {
        return call("DELETE", path, null, null, false).body;
    }

    /**
     * A PATCH that sets fields to given values, so repeating it is harmless: retried like a PUT.
     * {@link HttpURLConnection} cannot send PATCH, so this one request goes through java.net.http
     * (its exit cost is paid only by the rare commands that change settings, such as maintenance).
     */
    public JsonNode patch(String path, Object body) throws InterruptedException {
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request body of PATCH " + path, e);
        }
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        HerokuApiException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(readTimeout)
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofByteArray(payload))
                    .header("Accept", "application/vnd.heroku+json; version=3")
                    .header("Authorization", "Bearer " + token.value())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "parity/" + Version.get())
                    .header("Request-Id", UUID.randomUUID().toString())
                    .build();
            long wait;
            try {
                java.net.http.HttpResponse<byte[]> answer = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                JsonNode json = read(new java.io.ByteArrayInputStream(answer.body()));
                int status = answer.statusCode();
                if (status < 400) return json;
                last = error(status, json, "PATCH", path, false);
                if (status == 429) {
                    wait = retryAfter(answer.headers().firstValue("Retry-After").orElse(null), attempt);
                } else if (status >= 500) {
                    wait = backoff(attempt);
                } else {
                    throw last;
                }
            } catch (IOException e) {
                last = new HerokuApiException(0, null, e instanceof java.net.http.HttpTimeoutException
                        ? "no answer from the Heroku API at " + base + " within " + seconds(readTimeout) + " (PATCH " + path + ")"
                        : "cannot reach the Heroku API at " + base + ": " + describe(e));
                wait = backoff(attempt);
            }
            if (attempt < MAX_ATTEMPTS) sleeper.sleep(wait);
        }
        throw new HerokuApiException(last.status(), last.id(), last.getMessage() + " (gave up after " + MAX_ATTEMPTS + " attempts)");
    }

    private record Answer(int status, JsonNode body, String nextRange) {}

    private Answer call(String method, String path, Object body, String range, boolean declaredRepeatable) throws InterruptedException {
        boolean retryAfterSent = REPEATABLE.contains(method) || declaredRepeatable;
        byte[] payload;
        try {
            payload = body == null ? null : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request body of " + method + " " + path, e);
        }
        HerokuApiException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            long wait;
            HttpURLConnection c;
            try {
                c = open(method, path, range, payload);
                c.connect(); // nothing of the request has been sent until the connection stands
            } catch (IOException e) {
                last = new HerokuApiException(0, null, "cannot reach the Heroku API at " + base + ": " + describe(e));
                if (attempt < MAX_ATTEMPTS) sleeper.sleep(backoff(attempt));
                continue;
            }
            try {
                if (payload != null) {
                    try (OutputStream out = c.getOutputStream()) {
                        out.write(payload);
                    }
                }
                int status = c.getResponseCode();
                JsonNode json = read(status < 400 ? c.getInputStream() : c.getErrorStream());
                if (status < 400) return new Answer(status, json, c.getHeaderField("Next-Range"));
                last = error(status, json, method, path, status >= 500 && !retryAfterSent);
                if (status == 429) {
                    wait = retryAfter(c.getHeaderField("Retry-After"), attempt);
                } else if (status >= 500 && retryAfterSent) {
                    wait = backoff(attempt);
                } else {
                    throw last;
                }
            } catch (IOException e) {
                if (!retryAfterSent) throw lost(method, path, e);
                last = new HerokuApiException(0, null, e instanceof SocketTimeoutException
                        ? "no answer from the Heroku API at " + base + " within " + seconds(readTimeout) + " (" + method + " " + path + ")"
                        : "cannot reach the Heroku API at " + base + ": " + describe(e));
                wait = backoff(attempt);
            }
            if (attempt < MAX_ATTEMPTS) sleeper.sleep(wait);
        }
        throw new HerokuApiException(last.status(), last.id(), last.getMessage() + " (gave up after " + MAX_ATTEMPTS + " attempts)");
    }

    /** A request that was sent and then lost its answer: it may have been carried out. */
    private HerokuApiException lost(String method, String path, IOException e) {
        String what = e instanceof SocketTimeoutException
                ? "no answer to " + method + " " + path + " within " + seconds(readTimeout)
                : "the connection to the Heroku API at " + base + " broke after " + method + " " + path + " was sent ("
                        + describe(e) + ")";
        return new HerokuApiException(0, null, what, true);
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private HttpURLConnection open(String method, String path, String range, byte[] payload) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
        if (payload != null) {
            c.setDoOutput(true);
            // a streamed body is never re-sent by the JDK itself (it silently repeats a buffered POST
            // once when a kept-alive connection fails before the answer)
            c.setFixedLengthStreamingMode(payload.length);
        }
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

    private HerokuApiException error(int status, JsonNode body, String method, String path, boolean outcomeUnknown) {
        String id = body.path("id").asText(null);
        String message = body.path("message").asText("HTTP " + status);
        if (status == 401) {
            return new HerokuApiException(status, id, "the Heroku API refused the credentials from " + token.source()
                    + ": run `heroku login` or set HEROKU_API_KEY");
        }
        return new HerokuApiException(status, id, message + " (" + method + " " + path + ", HTTP " + status
                + (id == null ? "" : ", " + id) + ")", outcomeUnknown);
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
