package dev.parity.sandbox.logs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.sandbox.Sandbox;
import dev.parity.sandbox.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Test helper: the sandbox's HTTP API as a client sees it (admin injection, log sessions). */
final class Admin {
    final Sandbox s;
    final HttpClient http = HttpClient.newHttpClient();

    Admin(Sandbox s) {
        this.s = s;
    }

    /** POSTs {@code body} to {@code /sandbox/apps/APP/log-lines}; returns the answer (status checked by callers). */
    HttpResponse<String> injectRaw(String app, String body) throws IOException, InterruptedException {
        return post("/sandbox/apps/" + app + "/log-lines", body);
    }

    JsonNode inject(String app, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = injectRaw(app, body);
        if (r.statusCode() / 100 != 2) throw new AssertionError("inject failed: " + r.statusCode() + " " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    /** Creates a log session; returns its JSON. */
    JsonNode session(String app, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/apps/" + app + "/log-sessions", body);
        if (r.statusCode() != 201) throw new AssertionError("log session: " + r.statusCode() + " " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                .header("Authorization", "Bearer " + s.token())
                .header("Accept", "application/vnd.heroku+json; version=3")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String body) throws IOException {
        return Json.MAPPER.readTree(body);
    }

    static String quote(String s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
