package dev.parity.logs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A small local HTTP server for log-stream tests: each connection is answered by the next scripted handler. */
final class StreamServer implements AutoCloseable {
    /** Answers one connection. */
    @FunctionalInterface
    interface Answer {
        void handle(HttpExchange ex) throws IOException;
    }

    final HttpServer server;
    final List<Answer> script = new CopyOnWriteArrayList<>();
    /** Last-Event-ID of each connection (null when absent), in order. */
    final List<String> lastEventIds = new CopyOnWriteArrayList<>();
    final List<String> accepts = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    int connections;

    StreamServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stream-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/stream", ex -> {
            Answer a;
            synchronized (this) {
                lastEventIds.add(ex.getRequestHeaders().getFirst("Last-Event-ID"));
                accepts.add(ex.getRequestHeaders().getFirst("Accept"));
                authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                a = connections < script.size() ? script.get(connections) : StreamServer::notFound;
                connections++;
            }
            try {
                a.handle(ex);
            } catch (IOException e) {
                // client went away
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/stream";
    }

    StreamServer then(Answer a) {
        script.add(a);
        return this;
    }

    /** An SSE reply with {@code body}, then the connection closes. */
    static Answer sse(String body) {
        return ex -> reply(ex, 200, "text/event-stream; charset=utf-8", body);
    }

    static Answer status(int status) {
        return ex -> reply(ex, status, "application/json", "{\"id\":\"not_found\",\"message\":\"gone\"}");
    }

    static void notFound(HttpExchange ex) throws IOException {
        reply(ex, 404, "text/plain", "no");
    }

    static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    static String event(long id, String data) {
        return "id: " + id + "\ndata: " + data + "\n\n";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
