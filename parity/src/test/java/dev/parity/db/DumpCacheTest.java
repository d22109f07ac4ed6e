package dev.parity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** File names for cached dumps: from the app and the URL's last path segment, never its signed query. */
class DumpCacheTest {
    private static final String KEY = "[A-Za-z0-9._-]{1,120}";

    /** app | url | key */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "myapp-production | https://b.s3.amazonaws.com/backups/b042.dump?X-Amz-Signature=s3cr3t | myapp-production-b042",
        "myapp-production | https://b.s3.amazonaws.com/backups/b042?X-Amz-Signature=s3cr3t     | myapp-production-b042",
        "myapp            | https://xfrtu.s3.amazonaws.com/6c1e-4f/2024-01-02T03:04:05Z/0d8e?sig=x | myapp-0d8e",
        "myapp            | https://host.example.com/?X-Amz-Signature=s3cr3t                  | myapp-latest",
        "myapp            | https://host.example.com?X-Amz-Signature=s3cr3t                   | myapp-latest",
        "myapp            | https://host.example.com/a%20b/c%20d.dump?sig=s3cr3t              | myapp-c_d",
        "myapp            | https://host.example.com/dir/b042.dump#s3cr3t                     | myapp-b042",
        "myapp            | not a url at all ?sig=s3cr3t                                      | myapp-latest",
        "NULL             | https://host.example.com/b042.dump?sig=s3cr3t                     | backup-b042",
        "my/app           | https://host.example.com/../../etc/passwd?sig=s3cr3t              | my_app-passwd",
        "myapp            | https://host.example.com/backups/..?sig=s3cr3t                    | myapp-..",
    })
    void keyIsTheAppAndTheLastPathSegment(String app, String url, String key) {
        assertEquals(key, DumpCache.key(app, url));
    }

    static Stream<Object[]> randomUrls() {
        Random random = new Random(20261125);
        return IntStream.range(0, 200).mapToObj(i -> {
            String secret = "s3cr3t" + Long.toHexString(random.nextLong());
            StringBuilder url = new StringBuilder(random.nextBoolean() ? "https://" : "http://");
            url.append(random.nextBoolean() ? "xfrtu.s3.amazonaws.com" : "127.0.0.1:" + (1024 + random.nextInt(60000)));
            int segments = random.nextInt(5);
            for (int s = 0; s < segments; s++) url.append('/').append(word(random, 1 + random.nextInt(s == segments - 1 ? 200 : 20)));
            if (random.nextBoolean()) url.append(".dump");
            String query = switch (random.nextInt(4)) {
                case 0 -> "?X-Amz-Signature=" + secret;
                case 1 -> "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + secret + "%2F20240101&X-Amz-Signature=" + secret;
                case 2 -> "?token=" + secret + "#frag";
                default -> "?" + secret;
            };
            url.append(query);
            String app = random.nextInt(10) == 0 ? null : word(random, 1 + random.nextInt(random.nextBoolean() ? 30 : 150));
            return new Object[] {app, url.toString(), secret};
        });
    }

    /** Letters, digits and what paths may hold: unreserved, sub-delims, percent escapes, non-ASCII. */
    private static String word(Random random, int length) {
        String[] pieces = {"a", "Z", "7", "-", "_", ".", "~", "%20", "%2F", "ü", "日", "!", "$", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@"};
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) sb.append(pieces[random.nextInt(pieces.length)]);
        return sb.toString();
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("randomUrls")
    void keyNeverHoldsTheQueryIsSafeAsAFileNameAndBounded(String app, String url, String secret) {
        String key = DumpCache.key(app, url);
        assertTrue(key.matches(KEY), key);
        assertFalse(key.contains(secret), key);
        assertFalse(key.contains("Signature") || key.contains("Credential") || key.contains("token"), key);
        assertEquals(key, DumpCache.key(app, url), "the same backup gets the same name every time");
        DumpCache cache = new DumpCache(Path.of("/home/dev/.cache/parity/dumps"));
        for (Path p : new Path[] {cache.complete(key), cache.part(key)}) {
            assertEquals(cache.dir(), p.normalize().getParent(), "stays inside the cache: " + p);
            assertTrue(p.getFileName().toString().length() <= 255, p.toString());
        }
    }

    @Test
    void differentBackupsOfOneAppGetDifferentNames() {
        String a = DumpCache.key("myapp", "https://h.example.com/backups/b041.dump?sig=1");
        String b = DumpCache.key("myapp", "https://h.example.com/backups/b042.dump?sig=1");
        String c = DumpCache.key("otherapp", "https://h.example.com/backups/b042.dump?sig=1");
        assertNotEquals(a, b);
        assertNotEquals(b, c);
        assertEquals(b, DumpCache.key("myapp", "https://h.example.com/backups/b042.dump?sig=2"), "a fresh signature, the same backup");
    }

    @Test
    void prepareMakesAPrivateDirectoryAndItsParents(@TempDir Path tmp) throws Exception {
        DumpCache cache = DumpCache.under(tmp.resolve("home/.cache/parity"));
        assertEquals(tmp.resolve("home/.cache/parity/dumps"), cache.dir());
        assertEquals(cache.dir(), cache.prepare());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.dir())));
        Files.writeString(cache.complete("k"), "kept");
        cache.prepare(); // again: nothing is lost
        assertEquals("kept", Files.readString(cache.complete("k")));
        assertEquals(cache.dir().resolve("k.dump.part"), cache.part("k"));
    }

    @Test
    void theDumpDirectoryIsCreatedPrivate(@TempDir Path cache) throws Exception {
        Path dir = DumpCache.under(cache).prepare();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void aGroupWritableDumpDirectoryIsRefusedWithTheFix(@TempDir Path cache) throws Exception {
        Path dir = Files.createDirectories(cache.resolve("dumps"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        PrivateDirectory.Unsafe e = org.junit.jupiter.api.Assertions.assertThrows(PrivateDirectory.Unsafe.class,
                () -> DumpCache.under(cache).prepare());
        assertEquals(dir + " is writable by its group (mode rwxrwx---); make it private: chmod 700 " + dir, e.getMessage());
    }

    @Test
    void aDumpDirectoryThatIsALinkElsewhereIsRefused(@TempDir Path cache) throws Exception {
        Path elsewhere = Files.createDirectory(cache.resolve("elsewhere"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(cache.resolve("dumps"), elsewhere);
        PrivateDirectory.Unsafe e = org.junit.jupiter.api.Assertions.assertThrows(PrivateDirectory.Unsafe.class,
                () -> DumpCache.under(cache).prepare());
        assertTrue(e.getMessage().startsWith(cache.resolve("dumps") + " is a symbolic link (to " + elsewhere + ")"), e.getMessage());
    }

    /** Needs root to give the directory away (this machine and CI run the tests as root). */
    @Test
    void aDumpDirectoryOfAnotherUserIsRefused(@TempDir Path cache) throws Exception {
        Path dir = Files.createDirectory(cache.resolve("dumps"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        java.nio.file.attribute.UserPrincipal nobody;
        try {
            nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(dir, nobody);
        } catch (java.io.IOException notRoot) {
            org.junit.jupiter.api.Assumptions.abort("cannot give a directory away: " + notRoot);
            return;
        }
        PrivateDirectory.Unsafe e = org.junit.jupiter.api.Assertions.assertThrows(PrivateDirectory.Unsafe.class,
                () -> DumpCache.under(cache).prepare());
        assertEquals(dir + " belongs to nobody, not to " + System.getProperty("user.name") + "; parity keeps dumps only in a "
                + "directory of your own: remove it, or set XDG_CACHE_HOME to a directory of yours", e.getMessage());
    }
}
