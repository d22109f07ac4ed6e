package dev.parity.sandbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.db.BackupDownload;
import dev.parity.run.OneOffRun;
import dev.parity.sandbox.api.DataApi;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import dev.parity.steps.StepFailed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * parity's backup download over TLS, against the sandbox's https:// backup URLs: it trusts the
 * sandbox's CA only because the sandbox's environment names it (NODE_EXTRA_CA_CERTS), resumes a
 * dropped download with {@code Range}, and reports an expired URL's 403.
 */
class ParityDownloadOverTlsTest {
    @TempDir
    static Path tmp;
    static SandboxFixture f;
    static App app;
    static byte[] stored;

    @BeforeAll
    static void captureABackup() throws Exception {
        f = SandboxFixture.start(tmp);
        app = f.sandbox().createApp("tls-source", true, Map.of());
        // enough rows that the dump spans several reads
        f.sandbox().cluster().psql(app.databaseName, "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g");
        Outcome capture = f.heroku("pg:backups:capture", "--app", "tls-source");
        assertEquals(0, capture.exitCode(), capture.toString());
        stored = Files.readAllBytes(f.sandbox().dir().resolve("backups/tls-source/b001.dump"));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static String freshUrl() throws Exception {
        Outcome url = f.heroku("pg:backups:url", "--app", "tls-source");
        assertEquals(0, url.exitCode(), url.toString());
        String u = url.out().strip();
        assertTrue(u.startsWith("https://"), u);
        return u;
    }

    /** What parity's restore uses: the TLS the environment asks for. */
    static SSLSocketFactory tls(Map<String, String> env) throws Exception {
        return OneOffRun.socketFactory(env);
    }

    static final BackupDownload.Progress QUIET = new BackupDownload.Progress() {
        @Override
        public LongConsumer start(long total, long from) {
            return n -> { };
        }

        @Override
        public void finish(long bytes) {}

        @Override
        public void abandon() {}
    };

    @Test
    void downloadsTheWholeDumpTrustingTheCaTheEnvironmentNames() throws Exception {
        assertTrue(f.env().containsKey("NODE_EXTRA_CA_CERTS"));
        Path dir = Files.createDirectories(tmp.resolve("whole"));
        BackupDownload.Fetched got = BackupDownload.fetch(tls(f.env()), freshUrl(), dir.resolve("b.dump"), dir.resolve("b.dump.part"), QUIET);
        assertEquals(stored.length, got.bytes());
        assertArrayEquals(stored, Files.readAllBytes(got.file()));
    }

    @Test
    void aDownloadCutShortResumesWithRange() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cut"));
        f.sandbox().part(DataApi.class).publicUrls().cutNextDownloadAfter(stored.length / 3);
        // a part file from an earlier, interrupted run: its first bytes
        Files.write(dir.resolve("b.dump.part"), Arrays.copyOf(stored, 5000));
        BackupDownload.Fetched got = BackupDownload.fetch(tls(f.env()), freshUrl(), dir.resolve("b.dump"), dir.resolve("b.dump.part"), QUIET);
        assertEquals(5000, got.resumedFrom(), "continued the part file with a ranged request");
        assertArrayEquals(stored, Files.readAllBytes(got.file()), "the cut-short transfer was resumed where it stopped");
    }

    @Test
    void anExpiredUrlIsRefusedWithItsReason() throws Exception {
        PublicUrls urls = f.sandbox().part(DataApi.class).publicUrls();
        urls.lifetime(Duration.ZERO);
        String expired;
        try {
            expired = freshUrl();
        } finally {
            urls.lifetime(Duration.ofMinutes(10));
        }
        Path dir = Files.createDirectories(tmp.resolve("expired"));
        StepFailed e = assertThrows(StepFailed.class,
                () -> BackupDownload.fetch(tls(f.env()), expired, dir.resolve("b.dump"), dir.resolve("b.dump.part"), QUIET));
        assertTrue(e.getMessage().contains("HTTP 403") && e.getMessage().contains("backup URLs expire; ask again"), e.getMessage());
        assertFalse(e.getMessage().contains(expired.substring(expired.indexOf("/backups/") + 9, expired.lastIndexOf('/'))),
                "the URL's secret part is never shown: " + e.getMessage());
        assertFalse(Files.exists(dir.resolve("b.dump")));
    }

    @Test
    void withoutTheVariableTheSandboxsCertificateIsNotTrusted() throws Exception {
        Map<String, String> env = new HashMap<>(f.env());
        env.remove("NODE_EXTRA_CA_CERTS");
        env.remove("PARITY_CA_CERTS");
        Path dir = Files.createDirectories(tmp.resolve("untrusted"));
        StepFailed e = assertThrows(StepFailed.class,
                () -> BackupDownload.fetch(tls(env), freshUrl(), dir.resolve("b.dump"), dir.resolve("b.dump.part"), QUIET));
        assertTrue(e.getMessage().contains("SSLHandshakeException") && e.getMessage().contains("no database was touched"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("b.dump")));
    }
}
