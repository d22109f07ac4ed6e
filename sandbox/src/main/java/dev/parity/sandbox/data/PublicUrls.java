package dev.parity.sandbox.data;

import com.sun.net.httpserver.HttpExchange;
import dev.parity.sandbox.http.Request;
import dev.parity.sandbox.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expiring capability URLs for backup files, standing in for S3's signed URLs:
 * {@code <base>/backups/<token>/b007.dump}. Anyone holding the URL may download until it expires
 * (then 403 with an S3-style XML body); byte ranges are honoured so downloads can resume. Bodies go
 * out at the {@link #rate() download rate} (unlimited unless set), as over a real internet link.
 */
public final class PublicUrls {
    public static final String ROUTE = "/backups/(.+)/([^/]+)";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private record Grant(Path file, String fileName, Instant expiresAt) {}

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private volatile Duration lifetime = Duration.ofMinutes(10);
    private final java.util.concurrent.atomic.AtomicLong cutAfter = new java.util.concurrent.atomic.AtomicLong(-1);
    private final DownloadRate rate = new DownloadRate();

    public PublicUrls(Clock clock) {
        this.clock = clock;
    }

    /** How long new URLs stay valid (Heroku's last an hour; ten minutes is enough to download). */
    public void lifetime(Duration d) {
        lifetime = d;
    }

    /**
     * The next download longer than {@code bytes} sends only {@code bytes} of its body, then its
     * connection ends: a download dropped half-way, for a client to resume with {@code Range}.
     */
    public void cutNextDownloadAfter(long bytes) {
        cutAfter.set(bytes);
    }

    /** The bandwidth every download shares; {@code rate().set(bytesPerSecond)} limits it (0: unlimited). */
    public DownloadRate rate() {
        return rate;
    }

    /** Every URL handed out so far expires now: a download that resumes after this is refused, as one past its hour. */
    public void expireIssued() {
        grants.replaceAll((token, g) -> new Grant(g.file, g.fileName, clock.instant()));
    }

    /** A fresh URL for {@code file}, served as {@code fileName}. */
    public String issue(String baseUrl, Path file, String fileName) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        grants.put(token, new Grant(file, fileName, clock.instant().plus(lifetime)));
        return baseUrl + "/backups/" + token + "/" + fileName;
    }

    /** GET on {@link #ROUTE}: the file, whole or the requested range. */
    public Response serve(Request q) throws IOException {
        Grant g = grants.get(q.param(0));
        if (g == null || !g.fileName.equals(q.param(1))) return s3Error(403, "AccessDenied", "Access Denied");
        if (!clock.instant().isBefore(g.expiresAt)) return s3Error(403, "AccessDenied", "Request has expired");
        if (!Files.isRegularFile(g.file)) return s3Error(404, "NoSuchKey", "The specified key does not exist.");
        long size = Files.size(g.file);
        long from = 0;
        long to = size - 1;
        int status = 200;
        Matcher m = q.header("Range") == null ? null : RANGE.matcher(q.header("Range").trim());
        if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            if (m.group(1).isEmpty()) { // "bytes=-500": the last 500 bytes
                from = Math.max(0, size - Long.parseLong(m.group(2)));
            } else {
                from = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) to = Math.min(to, Long.parseLong(m.group(2)));
            }
            if (from >= size || from > to) {
                return s3Error(416, "InvalidRange", "The requested range is not satisfiable")
                        .withHeader("Content-Range", "bytes */" + size);
            }
            status = 206;
        }
        long cut = cutAfter.get(); // the first download longer than the cut gets it (a short ranged look at the head does not)
        if (cut < 0 || to - from + 1 <= cut || !cutAfter.compareAndSet(cut, -1)) cut = -1;
        send(q.exchange(), g.file, from, to, size, status, cut, rate);
        return Response.STREAMED;
    }

    /** {@code cut} ≥ 0: only that many body bytes, then the connection is dropped. */
    private static void send(HttpExchange x, Path file, long from, long to, long size, int status, long cut, DownloadRate rate)
            throws IOException {
        long length = to - from + 1;
        x.getResponseHeaders().set("Content-Type", "application/octet-stream");
        x.getResponseHeaders().set("Accept-Ranges", "bytes");
        if (status == 206) x.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
        x.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length == 0) return;
        try (InputStream in = Files.newInputStream(file); OutputStream out = x.getResponseBody()) {
            in.skipNBytes(from);
            byte[] buf = new byte[64 * 1024];
            long left = cut >= 0 ? Math.min(length, cut) : length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) break;
                try {
                    rate.take(n);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("download interrupted (the sandbox is stopping)");
                }
                out.write(buf, 0, n);
                left -= n;
            }
            if (cut >= 0 && cut < length) {
                out.flush();
                // the body is short of its Content-Length: the server ends the connection
                throw new IOException("download cut short after " + cut + " bytes (a sandbox fault)");
            }
        }
    }

    private static Response s3Error(int status, String code, String message) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>";
        return new Response(status, xml.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/xml"));
    }
}
