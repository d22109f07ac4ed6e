package dev.parity.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP server standing in for a backup's signed URL: serves bytes, or an error status,
 * or a response cut short, so each download failure can be provoked.
 *
 * <p>It answers {@code Range: bytes=N-} and {@code bytes=N-M} with 206 and a {@code Content-Range},
 * as S3 does (unless {@link #ignoreRange()}), and keeps a log of what each request asked for
 * ({@link #ranges()}) and how many body bytes it sent ({@link #bytesSent()}).
 */
public final class DumpServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final HttpServer server;
    private volatile byte[] body = new byte[0];
    private volatile int status = 200;
    private volatile int cutAfter = -1;
    private volatile int requests;
    private volatile int stallAfter = -1;
    private volatile int cutOnceAfter = -1;
    private volatile boolean ignoreRange;
    private volatile long announcedTotal = -1;
    private volatile int downloadStatus = 200;
    private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong bytesSent = new AtomicLong();

    public DumpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            int number = ++requests;
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(range);
            byte[] b = body;
            try (exchange) {
                if (status != 200) {
                    errorPage(exchange, status);
                    return;
                }
                boolean probe = range != null && range.startsWith("bytes=0-") && !range.equals("bytes=0-");
                if (number > 1 && downloadStatus != 200) {
                    errorPage(exchange, downloadStatus);
                    return;
                }
                Matcher m = range == null || ignoreRange ? null : RANGE.matcher(range);
                if (m != null && m.matches()) {
                    long total = announcedTotal >= 0 ? announcedTotal : b.length;
                    int start = (int) Math.min(Long.parseLong(m.group(1)), b.length);
                    int end = m.group(2).isEmpty() ? b.length - 1 : (int) Math.min(Long.parseLong(m.group(2)), b.length - 1);
                    if (start >= b.length) {
                        exchange.getResponseHeaders().add("Content-Range", "bytes */" + total);
                        exchange.sendResponseHeaders(416, -1);
                        return;
                    }
                    exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + end + "/" + total);
                    exchange.sendResponseHeaders(206, end - start + 1);
                    if (probe) {
                        write(exchange.getResponseBody(), b, start, end + 1); // the probe is never cut
                    } else {
                        send(exchange.getResponseBody(), b, start, end + 1);
                    }
                    return;
                }
                exchange.sendResponseHeaders(200, b.length == 0 ? -1 : b.length); // 0 would mean chunked
                if (probe) {
                    write(exchange.getResponseBody(), b, 0, b.length); // the client reads what it wants and hangs up
                } else {
                    send(exchange.getResponseBody(), b, 0, b.length);
                }
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dump-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    private void errorPage(com.sun.net.httpserver.HttpExchange exchange, int code) throws IOException {
        byte[] page = "<html><body>AccessDenied</body></html>".getBytes();
        exchange.sendResponseHeaders(code, page.length);
        write(exchange.getResponseBody(), page, 0, page.length);
    }

    /** Sends bytes {@code from}…{@code to} of a body, honouring the cut and stall settings (absolute offsets). */
    private void send(OutputStream out, byte[] b, int from, int to) throws IOException {
        if (stallAfter >= 0) {
            write(out, b, from, Math.max(from, Math.min(stallAfter, to)));
            out.flush();
            try {
                Thread.sleep(60_000); // a connection that hangs mid-download
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        int once = cutOnceAfter;
        if (once >= 0) {
            cutOnceAfter = -1;
            write(out, b, from, Math.max(from, Math.min(once, to)));
            out.flush();
            return;
        }
        if (cutAfter >= 0) {
            // the connection always drops at the same byte: a resumed request gets no further
            write(out, b, from, Math.max(from, Math.min(cutAfter, to)));
            out.flush();
            return;
        }
        write(out, b, from, to);
    }

    private void write(OutputStream out, byte[] b, int from, int to) throws IOException {
        bytesSent.addAndGet(to - from); // counted first: once the client has the bytes, the count has them too
        out.write(b, from, to - from);
    }

    public DumpServer serve(byte[] bytes) {
        this.body = bytes;
        this.status = 200;
        this.cutAfter = -1;
        this.cutOnceAfter = -1;
        return this;
    }

    public DumpServer failWith(int httpStatus) {
        this.status = httpStatus;
        return this;
    }

    /** The first request (the client's probe of the first bytes) is answered, every later one gets {@code httpStatus}. */
    public DumpServer failDownloadsWith(int httpStatus) {
        this.downloadStatus = httpStatus;
        return this;
    }

    /**
     * Declares the full length but closes the connection after {@code bytes}: every time, also for a
     * request resuming with {@code Range}, so the download never completes. The probe is not cut.
     */
    public DumpServer cutAfter(int bytes) {
        this.cutAfter = bytes;
        return this;
    }

    /** Like {@link #cutAfter} for the next download request only: a dropped connection a resume can recover from. */
    public DumpServer cutOnceAfter(int bytes) {
        this.cutOnceAfter = bytes;
        return this;
    }

    /** Sends {@code bytes}, then hangs: the download is in progress until the client gives up. */
    public DumpServer stallAfter(int bytes) {
        this.stallAfter = bytes;
        return this;
    }

    /** Answers every request with 200 and the whole body, as a server without Range support does. */
    public DumpServer ignoreRange() {
        this.ignoreRange = true;
        return this;
    }

    /** Ranged answers claim the whole file is {@code total} bytes, whatever is really served. */
    public DumpServer announceTotal(long total) {
        this.announcedTotal = total;
        return this;
    }

    /** A URL shaped like a signed one, so tests can check the signature never prints. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/backups/b042.dump?X-Amz-Signature=s3cr3t-signature";
    }

    /** This server with another path and query, e.g. {@code /t/s3cr3t-token/b042.dump?sig=x}. */
    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    public int requests() {
        return requests;
    }

    /** The {@code Range} header of every request so far, in order ({@code ""} where there was none). */
    public List<String> ranges() {
        synchronized (ranges) {
            return List.copyOf(ranges.stream().map(r -> r == null ? "" : r).toList());
        }
    }

    /** Body bytes sent (or being sent) so far, over all requests, error pages included. */
    public long bytesSent() {
        return bytesSent.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
