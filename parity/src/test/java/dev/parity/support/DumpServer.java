package dev.parity.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A loopback HTTP server standing in for a backup's signed URL: serves bytes, or an error status,
 * or a response cut short, so each download failure can be provoked.
 */
public final class DumpServer implements AutoCloseable {
    private final HttpServer server;
    private volatile byte[] body = new byte[0];
    private volatile int status = 200;
    private volatile int cutAfter = -1;
    private volatile int requests;
    private volatile int stallAfter = -1;

    public DumpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests++;
            byte[] b = body;
            try (exchange) {
                if (status != 200) {
                    byte[] page = "<html><body>AccessDenied</body></html>".getBytes();
                    exchange.sendResponseHeaders(status, page.length);
                    exchange.getResponseBody().write(page);
                    return;
                }
                String range = exchange.getRequestHeaders().getFirst("Range");
                if (range != null && range.startsWith("bytes=0-")) {
                    int end = Math.min(b.length - 1, Integer.parseInt(range.substring("bytes=0-".length())));
                    exchange.getResponseHeaders().add("Content-Range", "bytes 0-" + end + "/" + b.length);
                    exchange.sendResponseHeaders(206, end + 1);
                    exchange.getResponseBody().write(b, 0, end + 1);
                    return;
                }
                exchange.sendResponseHeaders(200, b.length);
                OutputStream out = exchange.getResponseBody();
                if (stallAfter >= 0) {
                    out.write(b, 0, Math.min(stallAfter, b.length));
                    out.flush();
                    try {
                        Thread.sleep(60_000); // a connection that hangs mid-download
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return;
                }
                if (cutAfter >= 0) {
                    out.write(b, 0, Math.min(cutAfter, b.length));
                    out.flush();
                    return;
                }
                out.write(b);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dump-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public DumpServer serve(byte[] bytes) {
        this.body = bytes;
        this.status = 200;
        this.cutAfter = -1;
        return this;
    }

    public DumpServer failWith(int httpStatus) {
        this.status = httpStatus;
        return this;
    }

    /** Declares the full length but closes the connection after {@code bytes}. */
    public DumpServer cutAfter(int bytes) {
        this.cutAfter = bytes;
        return this;
    }

    /** Sends {@code bytes}, then hangs: the download is in progress until the client gives up. */
    public DumpServer stallAfter(int bytes) {
        this.stallAfter = bytes;
        return this;
    }

    /** A URL shaped like a signed one, so tests can check the signature never prints. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/backups/b042.dump?X-Amz-Signature=s3cr3t-signature";
    }

    public int requests() {
        return requests;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
