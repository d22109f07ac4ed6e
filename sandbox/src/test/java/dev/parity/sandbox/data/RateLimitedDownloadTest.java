package dev.parity.sandbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.db.BackupDownload;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup downloads at a set rate ({@code POST /sandbox/download-rate}, what
 * {@code parity sandbox start --download-rate} sets at start): the rate is reported back and every
 * byte still arrives, also for a ranged request. How fast is measured by the bench, not asserted here.
 */
class RateLimitedDownloadTest {
    @TempDir
    static Path tmp;
    static SandboxFixture f;
    static byte[] stored;

    @BeforeAll
    static void captureABackup() throws Exception {
        f = SandboxFixture.start(tmp);
        App app = f.sandbox().createApp("rate-source", true, Map.of());
        f.sandbox().cluster().psql(app.databaseName, "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g");
        Outcome capture = f.heroku("pg:backups:capture", "--app", "rate-source");
        assertEquals(0, capture.exitCode(), capture.toString());
        stored = Files.readAllBytes(f.sandbox().dir().resolve("backups/rate-source/b001.dump"));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static Map.Entry<Integer, String> admin(String method, String json) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(f.sandbox().baseUrl() + "/sandbox/download-rate").toURL().openConnection();
        c.setRequestMethod(method);
        c.setRequestProperty("Authorization", "Bearer " + f.sandbox().token());
        if (json != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return Map.entry(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static byte[] download(Path dir) throws Exception {
        Outcome url = f.heroku("pg:backups:url", "--app", "rate-source");
        assertEquals(0, url.exitCode(), url.toString());
        Files.createDirectories(dir);
        BackupDownload.Fetched got = BackupDownload.fetch(ParityDownloadOverTlsTest.tls(f.env()), url.out().strip(),
                dir.resolve("b.dump"), dir.resolve("b.dump.part"), ParityDownloadOverTlsTest.QUIET);
        return Files.readAllBytes(got.file());
    }

    @Test
    void theSetRateIsReportedAndEveryByteArrives() throws Exception {
        try {
            Map.Entry<Integer, String> set = admin("POST", "{\"rate\": \"4MB/s\"}");
            assertEquals(200, set.getKey(), set.getValue());
            assertTrue(set.getValue().contains("\"rate\":\"4 MB/s\"") && set.getValue().contains("\"bytes_per_second\":4000000"), set.getValue());
            assertEquals(4_000_000, f.sandbox().downloadRate().bytesPerSecond());
            assertTrue(admin("GET", null).getValue().contains("\"rate\":\"4 MB/s\""));
            assertArrayEquals(stored, download(tmp.resolve("limited")), "the whole dump, byte for byte, at the limited rate");
        } finally {
            admin("POST", "{\"rate\": \"unlimited\"}");
        }
        assertTrue(admin("GET", null).getValue().contains("\"rate\":\"unlimited\""));
    }

    @Test
    void aResumedDownloadAtTheRateIsWholeToo() throws Exception {
        try {
            admin("POST", "{\"rate\": \"2MB/s\"}");
            f.sandbox().part(dev.parity.sandbox.api.DataApi.class).publicUrls().cutNextDownloadAfter(stored.length / 2);
            assertArrayEquals(stored, download(tmp.resolve("resumed")));
        } finally {
            admin("POST", "{\"rate\": \"unlimited\"}");
        }
    }

    @Test
    void aRateThatIsNotOneIsRefusedAndTheOldRateKept() throws Exception {
        Map.Entry<Integer, String> bad = admin("POST", "{\"rate\": \"fast\"}");
        assertEquals(422, bad.getKey(), bad.getValue());
        assertTrue(bad.getValue().contains("like 50MB/s"), bad.getValue());
        assertEquals(0, f.sandbox().downloadRate().bytesPerSecond());
    }
}
