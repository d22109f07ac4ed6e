package dev.parity.sandbox.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs backups and restores in the background, as Heroku's transfer service does: the API answers
 * at once with the transfer and clients poll it until {@code finished_at} is set.
 */
public final class TransferJobs implements AutoCloseable {
    private static final Pattern IGNORED_ERRORS = Pattern.compile("errors ignored on restore: (\\d+)");

    private final PgTools pg;
    private final Transfers transfers;
    private final Path scratch;
    private final java.util.function.BooleanSupplier restoreFails;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sandbox-transfer");
        t.setDaemon(true);
        return t;
    });
    private final java.util.function.Supplier<javax.net.ssl.SSLContext> tls;
    private HttpClient http;

    /**
     * {@code scratch}: where downloaded dumps wait for pg_restore; {@code restoreFails}: asked once
     * per restore, after the database was recreated, true makes that restore fail there;
     * {@code tls}: the trust for {@code https://} URLs (the sandbox's own backup URLs).
     */
    public TransferJobs(PgTools pg, Transfers transfers, Path scratch, java.util.function.BooleanSupplier restoreFails,
                        java.util.function.Supplier<javax.net.ssl.SSLContext> tls) {
        this.pg = pg;
        this.transfers = transfers;
        this.scratch = scratch;
        this.restoreFails = restoreFails;
        this.tls = tls;
    }

    /** Made at the first download: the sandbox's certificate may still be in the making before. */
    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).sslContext(tls.get())
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }
        return http;
    }

    /** {@code pg_dump -Fc} of {@code db} into the transfer's file. */
    public Future<?> capture(Transfer t, String db) {
        return pool.submit(() -> {
            t.started();
            t.log("Backing up database " + db + " with pg_dump -Fc");
            try {
                Files.createDirectories(t.file.getParent());
                long source = pg.size(db);
                int rc = pg.run("pg_dump", List.of("-Fc", "--verbose", "--file", t.file.toString(), "--dbname", db), t::log);
                t.bytes(Files.exists(t.file) ? Files.size(t.file) : 0, source);
                t.log(rc == 0 ? "Backup finished successfully" : "pg_dump exited with status " + rc);
                t.finished(rc == 0, 0);
            } catch (Exception e) {
                fail(t, e);
            }
        });
    }

    /**
     * Downloads {@code backupUrl} (or reads the stored backup it names), checks it is an archive,
     * recreates {@code db} empty with {@code extensions}, and pg_restores into it. Like Heroku, a
     * restore whose only problems are statements pg_restore skipped succeeds with warnings.
     */
    public Future<?> restore(Transfer t, String backupUrl, String db, List<String> extensions) {
        return pool.submit(() -> {
            t.started();
            Path download = scratch.resolve(t.uuid + ".dump");
            try {
                Path dump = fetch(t, backupUrl, download);
                t.log("Checking the archive with pg_restore --list");
                if (pg.run("pg_restore", List.of("--list", dump.toString()), line -> {}) != 0) {
                    pg.run("pg_restore", List.of("--list", dump.toString()), t::log);
                    t.log("The backup is not a PostgreSQL custom-format archive (pg_dump -Fc)");
                    t.finished(false, 0);
                    return;
                }
                t.log("Recreating database " + db);
                pg.recreate(db);
                pg.createExtensions(db, extensions);
                if (restoreFails.getAsBoolean()) {
                    t.log("pg_restore: error: could not read from input file: end of file");
                    t.log("pg_restore exited with status 1");
                    t.finished(false, 0);
                    return;
                }
                StringBuilder output = new StringBuilder();
                int rc = pg.run("pg_restore", List.of("--verbose", "--no-acl", "--no-owner", "--dbname", db, dump.toString()),
                        line -> {
                            t.log(line);
                            output.append(line).append('\n');
                        });
                Matcher ignored = IGNORED_ERRORS.matcher(output);
                int warnings = ignored.find() ? Integer.parseInt(ignored.group(1)) : 0;
                boolean ok = rc == 0 || warnings > 0;
                t.bytes(Files.size(dump), Files.size(dump));
                t.log(ok ? "Restore finished" + (warnings > 0 ? " with " + warnings + " warnings" : " successfully")
                        : "pg_restore exited with status " + rc);
                t.finished(ok, warnings);
            } catch (Exception e) {
                fail(t, e);
            } finally {
                try {
                    Files.deleteIfExists(download);
                } catch (IOException ignored) {
                    // scratch is under the sandbox's directory, removed with it
                }
            }
        });
    }

    private Path fetch(Transfer t, String url, Path to) throws IOException, InterruptedException {
        var stored = transfers.storedAt(url);
        if (stored.isPresent()) {
            t.log("Reading stored backup " + stored.get().name());
            return stored.get().file;
        }
        t.log("Downloading " + withoutQuery(url));
        Files.createDirectories(to.getParent());
        HttpResponse<InputStream> r = http().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            if (r.statusCode() / 100 != 2) {
                String text = new String(body.readNBytes(500), StandardCharsets.UTF_8);
                throw new IOException("download failed: HTTP " + r.statusCode() + " " + text.replaceAll("\\s+", " ").strip());
            }
            Files.copy(body, to, StandardCopyOption.REPLACE_EXISTING);
        }
        t.log("Downloaded " + Files.size(to) + " bytes");
        return to;
    }

    /** Signed URLs carry their signature in the query: keep it out of logs. */
    private static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static void fail(Transfer t, Exception e) {
        t.log("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        t.finished(false, 0);
    }

    /** Waits up to {@code max} for the job, so small transfers are done before the CLI's first poll. */
    public static void awaitBriefly(Future<?> job, Duration max) {
        try {
            job.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
            // the client polls until it finishes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // the job records its own failure in the transfer
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
