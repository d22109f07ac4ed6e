package dev.parity.sandbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup URLs are {@code https://} like Heroku's (S3's), so the official CLI's
 * {@code pg:backups:download}, which fetches them with node's https, downloads the dump.
 */
class BackupsDownloadCliTest {
    @TempDir
    static Path tmp;
    static SandboxFixture f;

    @BeforeAll
    static void captureABackup() throws Exception {
        f = SandboxFixture.start(tmp);
        var app = f.sandbox().createApp("dl-source", true, Map.of());
        f.sandbox().cluster().psql(app.databaseName, "CREATE TABLE gadgets (id int); INSERT INTO gadgets VALUES (1), (2), (3)");
        Outcome capture = f.heroku("pg:backups:capture", "--app", "dl-source");
        assertEquals(0, capture.exitCode(), capture.toString());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void backupUrlIsHttpsOnTheSandboxPort() throws Exception {
        Outcome url = f.heroku("pg:backups:url", "--app", "dl-source");
        assertEquals(0, url.exitCode(), url.toString());
        assertTrue(url.out().strip().matches("https://127\\.0\\.0\\.1:" + f.sandbox().port() + "/backups/[0-9a-f]+/b001\\.dump"), url.out());
    }

    @Test
    void pgBackupsDownloadFetchesTheWholeDump() throws Exception {
        Path out = tmp.resolve("latest.dump");
        Outcome download = f.heroku("pg:backups:download", "--app", "dl-source", "--output", out.toString());
        assertEquals(0, download.exitCode(), download.toString());
        byte[] stored = Files.readAllBytes(f.sandbox().dir().resolve("backups/dl-source/b001.dump"));
        assertArrayEquals(stored, Files.readAllBytes(out));
        Outcome list = f.run(List.of(f.sandbox().cluster().program("pg_restore"), "--list", out.toString()), null, tmp);
        assertTrue(list.out().contains("TABLE DATA public gadgets"), list.toString());
    }
}
