package dev.parity.sandbox.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: a status, a JSON-able body, extra headers. {@link #STREAMED} means the
 * route wrote the response itself (event streams, git).
 */
public record Response(int status, Object body, Map<String, String> headers) {
    public static final Response STREAMED = new Response(-1, null, Map.of());

    public static Response ok(Object body) {
        return new Response(200, body, Map.of());
    }

    public static Response created(Object body) {
        return new Response(201, body, Map.of());
    }

    /** Heroku's answer to "empty" actions such as restarts. */
    public static Response accepted() {
        return new Response(202, Map.of(), Map.of());
    }

    public Response withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, body, h);
    }

    public Response withStatus(int s) {
        return new Response(s, body, headers);
    }
}
