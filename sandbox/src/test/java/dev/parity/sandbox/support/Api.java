package dev.parity.sandbox.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.sandbox.Sandbox;
import dev.parity.sandbox.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Test helper: the sandbox's Platform API as a client calls it (token, Accept), answers as status + JSON. */
public final class Api {
    /** One answer: its status, raw body and headers. */
    public record Answer(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final Sandbox s;
    private final HttpClient http = HttpClient.newHttpClient();

    public Api(Sandbox s) {
        this.s = s;
    }

    public Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    public Answer post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    public Answer patch(String path, String body) throws IOException, InterruptedException {
        return send("PATCH", path, body);
    }

    public Answer send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : s.baseUrl() + path))
                .header("Authorization", "Bearer " + s.token())
                .header("Accept", "application/vnd.heroku+json; version=3")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r);
    }

    /** A GET without the token, as clients read capability URLs (log streams, release output). */
    public Answer getOpen(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r);
    }
}
