package dev.parity.sandbox.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.pgcluster.PostgresCluster;
import dev.parity.sandbox.api.DataApi;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official heroku CLI's pg commands against the sandbox's add-on and data API, on a real
 * PostgreSQL: one source app with a captured backup, shared by the tests (a backup takes a CLI run).
 */
class PostgresCliTest {
    @TempDir
    static Path tmp;
    static SandboxFixture f;
    static PostgresCluster cluster;
    static App source;
    static App target;
    static Outcome capture;
    /** {@code pg:backups:url} right after the capture: each CLI run costs a second or two. */
    static Outcome url;
    /** Trusts the sandbox's CA: backup URLs are https:// as on Heroku. */
    static HttpClient HTTP;

    @BeforeAll
    static void captureABackupOfASeededApp() throws Exception {
        f = SandboxFixture.start(tmp);
        HTTP = HttpClient.newBuilder().sslContext(dev.parity.sandbox.run.Certificates.trusting(f.sandbox().caCertificate())).build();
        source = f.sandbox().createApp("pg-source", true, Map.of());
        target = f.sandbox().createApp("pg-target", true, Map.of());
        cluster = f.sandbox().cluster();
        cluster.psql(source.databaseName, "CREATE TABLE widgets (id int PRIMARY KEY, name text);"
                + " INSERT INTO widgets VALUES (1, 'gear'), (2, 'sprocket')");
        capture = f.heroku("pg:backups:capture", "--app", "pg-source");
        url = f.heroku("pg:backups:url", "--app", "pg-source");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void provisioningSetsDatabaseUrlAndMakesAnAttachRelease() {
        assertEquals(cluster.databaseUrl("pg_source"), source.configVars.get("DATABASE_URL"));
        assertTrue(source.addonName.matches("postgresql-[a-z]+-\\d{5}"), source.addonName);
        assertEquals("Attach DATABASE (@ref:" + source.addonName + ")", source.currentRelease().orElseThrow().description);
    }

    @Test
    void captureRunsPgDumpAndNamesTheBackup() {
        assertEquals(0, capture.exitCode(), capture.toString());
        assertTrue(capture.err().contains("Backing up DATABASE to b001... done"), capture.err());
        assertTrue(Files.isRegularFile(f.sandbox().dir().resolve("backups/pg-source/b001.dump")));
    }

    @Test
    void backupUrlServesADumpThatPgRestoreAccepts() throws Exception {
        String url = backupUrl();
        assertTrue(url.startsWith(f.sandbox().secureBaseUrl() + "/backups/") && url.endsWith("/b001.dump"), url);
        Path dump = tmp.resolve("latest.backup");
        HttpResponse<Path> whole = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofFile(dump));
        assertEquals(200, whole.statusCode());
        assertEquals(Files.size(dump), whole.headers().firstValueAsLong("Content-Length").orElse(-1));
        Outcome list = f.run(List.of(cluster.program("pg_restore"), "--list", dump.toString()), null, tmp);
        assertEquals(0, list.exitCode(), list.toString());
        assertTrue(list.out().contains("TABLE DATA public widgets"), list.out());

        HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=0-4").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(206, head.statusCode());
        assertEquals("PGDMP", head.body()); // the custom format's magic
        assertEquals("bytes 0-4/" + Files.size(dump), head.headers().firstValue("Content-Range").orElse(""));
    }

    @Test
    void garbledOrExpiredDownloadUrlsAreRefused() throws Exception {
        String url = backupUrl();
        String garbled = url.replaceFirst("/backups/[0-9a-f]{6}", "/backups/000000");
        HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(garbled)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, bad.statusCode());
        assertTrue(bad.body().contains("<Code>AccessDenied</Code>"), bad.body());

        PublicUrls urls = f.sandbox().part(DataApi.class).publicUrls();
        urls.lifetime(Duration.ZERO);
        try {
            HttpResponse<String> expired = HTTP.send(HttpRequest.newBuilder(URI.create(freshUrl())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, expired.statusCode());
            assertTrue(expired.body().contains("Request has expired"), expired.body());
        } finally {
            urls.lifetime(Duration.ofMinutes(10));
        }
    }

    @Test
    void restoreFromTheUrlBringsTheRowsIntoAnotherApp() throws Exception {
        String url = backupUrl();
        emptyTarget();
        Outcome restore = f.heroku("pg:backups:restore", url, "DATABASE_URL", "--app", "pg-target", "--confirm", "pg-target");
        assertEquals(0, restore.exitCode(), restore.toString());
        assertEquals("gear\nsprocket", cluster.psql(target.databaseName, "SELECT name FROM widgets ORDER BY id"));
        assertEquals("widgets", cluster.psql(target.databaseName, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"));
    }

    @Test
    void restoreByBackupNameOfAnotherAppReadsTheStoredDump() throws Exception {
        emptyTarget();
        Outcome restore = f.heroku("pg:backups:restore", "pg-source::b001", "DATABASE_URL", "--app", "pg-target", "--confirm", "pg-target");
        assertEquals(0, restore.exitCode(), restore.toString());
        assertEquals("2", cluster.psql(target.databaseName, "SELECT count(*) FROM widgets"));
    }

    /** The fault {@code fail_restores}: the restore recreates the target empty, then fails; the next one works again. */
    @Test
    void aRestoreMadeToFailLeavesTheTargetEmptyAndTheNextOneWorks() throws Exception {
        cluster.psql(target.databaseName, "DROP TABLE IF EXISTS kept; CREATE TABLE kept (id int)");
        HttpURLConnection c = (HttpURLConnection) URI.create(f.sandbox().baseUrl() + "/sandbox/faults").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Authorization", "Bearer " + f.sandbox().token());
        c.setRequestProperty("Content-Type", "application/json");
        c.getOutputStream().write("{\"fail_restores\": 1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, c.getResponseCode());
        Outcome failed = f.heroku("pg:backups:restore", "pg-source::b001", "DATABASE_URL", "--app", "pg-target", "--confirm", "pg-target");
        assertNotEquals(0, failed.exitCode(), failed.toString());
        assertEquals("", cluster.psql(target.databaseName, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"), "recreated empty");
        Outcome again = f.heroku("pg:backups:restore", "pg-source::b001", "DATABASE_URL", "--app", "pg-target", "--confirm", "pg-target");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals("2", cluster.psql(target.databaseName, "SELECT count(*) FROM widgets"));
    }

    @Test
    void restoreFromARefusedUrlFailsAndShowsWhy() throws Exception {
        String refused = f.sandbox().baseUrl() + "/backups/not-a-token/b001.dump";
        Outcome restore = f.heroku("pg:backups:restore", refused, "DATABASE_URL", "--app", "pg-target", "--confirm", "pg-target");
        assertNotEquals(0, restore.exitCode(), restore.toString());
        assertTrue(restore.err().contains("HTTP 403"), restore.toString());
    }

    /** parity's {@code staging restore development}: pg:reset, then pg:push of a local database. */
    @Test
    void resetEmptiesTheDatabaseAndPushFillsItAgain() throws Exception {
        App app = f.sandbox().createApp("pg-reset", true, Map.of());
        cluster.psql(app.databaseName, "CREATE TABLE doomed (id int)");
        Outcome reset = f.heroku("pg:reset", "DATABASE_URL", "--app", "pg-reset", "--confirm", "pg-reset");
        assertEquals(0, reset.exitCode(), reset.toString());
        assertEquals("0", cluster.psql(app.databaseName, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));

        cluster.createDatabase("local_dev");
        cluster.psql("local_dev", "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('from my laptop')");
        Outcome push = f.heroku("pg:push", cluster.databaseUrl("local_dev"), "DATABASE_URL", "--app", "pg-reset");
        assertEquals(0, push.exitCode(), push.toString());
        assertEquals("from my laptop", cluster.psql(app.databaseName, "SELECT body FROM notes"));
    }

    @Test
    void backupsUrlWithoutBackupsSaysSo() throws Exception {
        Outcome url = f.heroku("pg:backups:url", "--app", "pg-target");
        assertNotEquals(0, url.exitCode(), url.toString());
        assertTrue(url.err().contains("No backups on pg-target"), url.err());
    }

    /** The target holds something else, which a restore replaces. */
    private static void emptyTarget() {
        cluster.psql(target.databaseName, "DROP TABLE IF EXISTS widgets; CREATE TABLE IF NOT EXISTS stale (id int)");
    }

    private static String backupUrl() {
        assertEquals(0, url.exitCode(), url.toString());
        return url.out().strip();
    }

    /** A fresh URL straight from the data API, as pg:backups:url asks for one. */
    private static String freshUrl() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(f.sandbox().baseUrl() + "/client/v11/apps/pg-source/transfers/1/actions/public-url"))
                .header("Authorization", "Bearer " + f.sandbox().token()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body().replaceAll(".*\"url\":\"([^\"]+)\".*", "$1");
    }
}
