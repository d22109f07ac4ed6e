package dev.parity.sandbox.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps method + path pattern to a handler and speaks Heroku's conventions around it: Bearer
 * auth, {@code Request-Id} and {@code RateLimit-Remaining} on every answer, JSON error bodies,
 * and the test faults (failures, latency) switched on through {@link Faults}.
 */
public final class Router {
    private record Route(String method, Pattern pattern, boolean open, boolean faulty, Handler handler) {}

    private final List<Route> routes = new ArrayList<>();
    private final Predicate<String> tokenCheck;
    private final Faults faults;
    private final RequestCounts counts;
    private final AtomicInteger rateLimit = new AtomicInteger(4500);

    public Router(Predicate<String> tokenCheck, Faults faults, RequestCounts counts) {
        this.tokenCheck = tokenCheck;
        this.faults = faults;
        this.counts = counts;
    }

    /** A route that needs the Bearer token. {@code pattern} is a regex over the raw path, e.g. {@code /apps/([^/]+)}. */
    public void add(String method, String pattern, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pattern), false, true, handler));
    }

    /** The sandbox's own controls: need the token, but injected faults never hit them. */
    public void addAdmin(String method, String pattern, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pattern), false, false, handler));
    }

    /** A route reached without a token (capability URLs: log streams, backup downloads, git, admin). */
    public void addOpen(String method, String pattern, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pattern), true, false, handler));
    }

    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        exchange.getResponseHeaders().add("Request-Id", requestId);
        exchange.getResponseHeaders().add("RateLimit-Remaining", String.valueOf(Math.max(0, rateLimit.decrementAndGet())));
        try {
            String path = exchange.getRequestURI().getRawPath();
            Route route = null;
            Matcher m = null;
            boolean pathKnown = false;
            for (Route r : routes) {
                Matcher candidate = r.pattern.matcher(path);
                if (!candidate.matches()) continue;
                pathKnown = true;
                if (r.method.equals(exchange.getRequestMethod())) {
                    route = r;
                    m = candidate;
                    break;
                }
            }
            if (route == null) {
                throw pathKnown ? new ApiError(405, "method_not_allowed", "Method not allowed")
                        : ApiError.notFound("Not found: " + path, null);
            }
            if (!route.open) checkAuth(exchange);
            String method = exchange.getRequestMethod();
            if (route.faulty) faults.beforeRequest(method);
            List<String> params = new ArrayList<>();
            for (int i = 1; i <= m.groupCount(); i++) params.add(m.group(i));
            counts.record(method, path);
            Response response = route.handler.handle(new Request(exchange, params));
            if (response == Response.STREAMED) return;
            Faults.After after = route.faulty ? faults.afterHandling(method, path) : Faults.After.NONE;
            switch (after.kind()) {
                case DROP -> { } // closed below with nothing sent: the client sees the connection end
                case ERROR -> throw Faults.error(after.status(), 1);
                case DELAY -> {
                    Thread.sleep(after.millis());
                    try {
                        send(exchange, response);
                    } catch (IOException gone) {
                        // the client stopped waiting
                    }
                }
                default -> send(exchange, response);
            }
        } catch (ApiError e) {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("id", e.id());
            body.put("message", e.getMessage());
            if (e.resource() != null) body.put("resource", e.resource());
            Response r = new Response(e.status(), body, Map.of());
            if (e instanceof Faults.RateLimited rl) r = r.withHeader("Retry-After", String.valueOf(rl.retryAfterSeconds()));
            send(exchange, r);
        } catch (Exception e) {
            send(exchange, new Response(500, Map.of("id", "internal_server_error",
                    "message", "sandbox error: " + e), Map.of()));
        } finally {
            exchange.close();
        }
    }

    private void checkAuth(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        if (token == null || !tokenCheck.test(token)) {
            throw new ApiError(401, "unauthorized", "Invalid credentials provided.");
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null && accept.contains("vnd.heroku+json") && !accept.matches(".*version=3.*")) {
            throw new ApiError(406, "not_acceptable", "Accept header must be application/vnd.heroku+json; version=3");
        }
    }

    public static void send(HttpExchange exchange, Response r) throws IOException {
        byte[] bytes = r.body() instanceof byte[] b ? b : Json.MAPPER.writeValueAsBytes(r.body());
        r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        }
        exchange.sendResponseHeaders(r.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
