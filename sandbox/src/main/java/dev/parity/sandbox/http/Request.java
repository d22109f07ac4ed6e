package dev.parity.sandbox.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One HTTP request as the routes see it: method, path parameters, headers, body. */
public final class Request {
    private final HttpExchange exchange;
    private final List<String> params;
    private byte[] body;

    Request(HttpExchange exchange, List<String> params) {
        this.exchange = exchange;
        this.params = params;
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    public String path() {
        return exchange.getRequestURI().getRawPath();
    }

    /** The {@code i}-th captured group of the route's pattern, URL-decoded. */
    public String param(int i) {
        return URLDecoder.decode(params.get(i), StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    public Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) return q;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    public byte[] bodyBytes() throws IOException {
        if (body == null) {
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
        }
        return body;
    }

    /** The JSON body; an empty body is an empty object. */
    public JsonNode json() throws IOException {
        byte[] b = bodyBytes();
        if (b.length == 0) return Json.MAPPER.createObjectNode();
        try {
            return Json.MAPPER.readTree(b);
        } catch (IOException e) {
            throw ApiError.badRequest("Invalid JSON body: " + e.getMessage());
        }
    }

    /** For routes that stream (logs, git): the raw exchange. */
    public HttpExchange exchange() {
        return exchange;
    }
}
