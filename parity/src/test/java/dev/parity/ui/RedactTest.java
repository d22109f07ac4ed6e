package dev.parity.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactTest {

    /** url | what is shown */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "https://user:pw@host.example.com/p?sig=x                | https://<redacted>@host.example.com/p?<redacted>",
        "https://ghp_token@github.com/acme/app.git               | https://<redacted>@github.com/acme/app.git",
        "postgres://app:s3cr3t@db.example.com:5432/app           | postgres://<redacted>@db.example.com:5432/app",
        "https://b.s3.amazonaws.com/b042.dump?X-Amz-Signature=s3cr3t&X-Amz-Expires=60 | https://b.s3.amazonaws.com/b042.dump?<redacted>",
        "https://u:p@h/a/b/c.dump?x=1#frag                       | https://<redacted>@h/a/b/c.dump?<redacted>",
    })
    void userinfoAndQueryAreRemovedHostAndPathKept(String url, String shown) {
        assertEquals(shown, Redact.url(url));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "https://user:s3cr3t@example.com/backups/b042.dump?sig=s3cr3t",
        "http://127.0.0.1:5555/backups/b042.dump?X-Amz-Signature=s3cr3t-signature",
        "ssh://deploy:s3cr3t@example.com/app.git",
        "cannot download https://u:s3cr3t@example.com/b.dump?token=s3cr3t: connection reset",
    })
    void secretsNeverSurvive(String text) {
        String shown = Redact.url(text);
        assertFalse(shown.contains("s3cr3t"), shown);
        assertTrue(shown.contains("example.com") || shown.contains("127.0.0.1:5555"), shown);
        assertTrue(shown.contains("/b042.dump") || shown.contains("/b.dump") || shown.contains("/app.git"), shown);
    }

    /** A password typed into a URL unencoded may hold '#' or '?': no part of it may show as if it were the host. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "postgres://app:s3c#r3t@db.example.com:5432/app",
        "postgres://app:s3c?r3t@db.example.com/app",
        "DATABASE_URL=postgresql://app:s3c#r3t@localhost/app_dev",
    })
    void aPasswordHoldingAFragmentOrQueryMarkNeverShows(String text) {
        String shown = Redact.url(text);
        assertFalse(shown.contains("s3c"), shown);
        assertTrue(shown.contains("@db.example.com") || shown.contains("@localhost/app_dev"), shown);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "https://git.heroku.com/myapp.git",
        "http://127.0.0.1:5555/backups/b042.dump",
        "git@github.com:acme/app.git",
        "postgres://localhost/app_dev",
    })
    void urlWithoutSecretsIsUnchanged(String url) {
        assertEquals(url, Redact.url(url));
    }

    @Test
    void nullIsNull() {
        assertNull(Redact.url(null));
    }

    @Test
    void emptyIsEmpty() {
        assertEquals("", Redact.url(""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"connection reset by peer", "contact admin@example.com", "user:pw", "a/b/c", "Connection refused"})
    void textWithoutUrlIsUnchanged(String text) {
        assertEquals(text, Redact.url(text));
    }

    @Test
    void everyUrlInATextIsRedacted() {
        assertEquals("from https://<redacted>@a.example.com/x to https://<redacted>@b.example.com/y?<redacted> done",
                Redact.url("from https://u:1@a.example.com/x to https://v:2@b.example.com/y?z=3 done"));
    }

    @Test
    void questionMarkOutsideAUrlIsUnchanged() {
        assertEquals("are you sure? yes", Redact.url("are you sure? yes"));
        assertEquals("what?", Redact.url("what?"));
    }

    /** Shapes the property tests below do not reach by chance. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "HTTPS://U:s3cr3t@HOST.example.com/b.dump?SIG=s3cr3t       | HTTPS://<redacted>@HOST.example.com/b.dump?<redacted>",
        "https://host.example.com/my backups/b.dump?sig=s3cr3t    | https://host.example.com/my backups/b.dump?<redacted>",
        "https://host.example.com/b.dump#s3cr3t                    | https://host.example.com/b.dump#<redacted>",
        "postgres://app:p@ss@db.example.com/app                     | postgres://<redacted>@db.example.com/app",
        "postgres://app:pa/ss@db.example.com/app                    | postgres://<redacted>@db.example.com/app",
        "\"https://u:s3cr3t@a.example.com/x\" and <https://b.example.com/y?t=s3cr3t> | \"https://<redacted>@a.example.com/x\" and <https://b.example.com/y?<redacted>>",
        "half: b042.dump?X-Amz-Signature=s3cr3t                      | half: b042.dump?<redacted>",
        "X-Amz-Credential=s3cr3t&X-Amz-Signature=s3cr3t              | X-Amz-Credential=<redacted>&X-Amz-Signature=<redacted>",
    })
    void unusualShapes(String text, String shown) {
        assertEquals(shown, Redact.url(text));
    }

    @Test
    void aSpaceInTheMiddleOfTheSignedPathStillHidesItInADownloadUrl() {
        assertEquals("https://host.example.com/<redacted>/latest.dump?<redacted>",
                Redact.downloadUrl("https://host.example.com/my backups/s3cr3t/latest.dump?dl=1"));
    }

    /** A URL with secrets in known places, inside a line of text. */
    record Sample(String text, List<String> urlSecrets, List<String> pathSecrets, List<String> hosts) {
        @Override
        public String toString() {
            return text;
        }
    }

    static Stream<Sample> randomLines() {
        Random random = new Random(20261201);
        return IntStream.range(0, 400).mapToObj(i -> line(random));
    }

    static Sample line(Random random) {
        List<String> urlSecrets = new ArrayList<>();
        List<String> pathSecrets = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        StringBuilder text = new StringBuilder(words(random, random.nextInt(3)));
        int urls = 1 + random.nextInt(3);
        for (int u = 0; u < urls; u++) {
            String[] schemes = {"https", "http", "HTTPS", "Http", "postgres", "postgresql", "s3", "ssh"};
            StringBuilder url = new StringBuilder(schemes[random.nextInt(schemes.length)]).append("://");
            if (random.nextInt(3) == 0) {
                String password = secret(random, "pw") + (random.nextBoolean() ? "@x" : "") + (random.nextInt(4) == 0 ? "/y" : "");
                urlSecrets.add(password);
                url.append(word(random)).append(':').append(password).append('@');
            }
            String host = random.nextBoolean() ? word(random) + ".example.com" : "127.0.0.1:" + (1024 + random.nextInt(60000));
            hosts.add(host);
            url.append(host);
            int segments = random.nextInt(5);
            for (int s = 0; s < segments; s++) {
                boolean last = s == segments - 1;
                String segment = !last && random.nextInt(3) == 0 ? secret(random, "path") : word(random);
                if (segment.contains("path")) pathSecrets.add(segment);
                if (!last && random.nextInt(5) == 0) segment = segment + " " + word(random); // a space inside the path
                url.append('/').append(segment);
            }
            switch (random.nextInt(5)) {
                case 0 -> {
                    String sig = secret(random, "sig");
                    urlSecrets.add(sig);
                    url.append("?X-Amz-Algorithm=AWS4&X-Amz-Signature=").append(sig);
                }
                case 1 -> {
                    String sig = secret(random, "q");
                    urlSecrets.add(sig);
                    url.append('?').append(sig);
                }
                case 2 -> {
                    String frag = secret(random, "frag");
                    urlSecrets.add(frag);
                    url.append('#').append(frag);
                }
                case 3 -> {
                    String sig = secret(random, "tok");
                    urlSecrets.add(sig);
                    url.append("?token=").append(sig).append("#more");
                }
                default -> { }
            }
            String[][] around = {{"", ""}, {"\"", "\""}, {"<", ">"}, {"'", "'"}, {"", ":"}, {"(", ")"}};
            String[] a = around[random.nextInt(around.length)];
            text.append(text.length() == 0 ? "" : " ").append(a[0]).append(url).append(a[1]);
            text.append(' ').append(words(random, random.nextInt(3)));
        }
        return new Sample(text.toString().strip(), urlSecrets, pathSecrets, hosts);
    }

    private static String secret(Random random, String kind) {
        return "s3cr3t" + kind + "-" + Long.toHexString(random.nextLong() | 1L << 60);
    }

    private static String word(Random random) {
        String letters = "abcdefghijklmnopqrstuvwxyz0123456789_.-";
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(10);
        for (int i = 0; i < n; i++) sb.append(letters.charAt(random.nextInt(letters.length())));
        return sb.toString();
    }

    private static String words(Random random, int n) {
        List<String> w = new ArrayList<>();
        for (int i = 0; i < n; i++) w.add(word(random));
        return String.join(" ", w);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("randomLines")
    void noUrlSecretSurvivesAnyShape(Sample sample) {
        String shown = Redact.url(sample.text());
        for (String secret : sample.urlSecrets()) assertFalse(shown.contains(secret), shown);
        for (String host : sample.hosts()) assertTrue(shown.contains(host), host + " kept in: " + shown);
        assertEquals(shown, Redact.url(shown), "redacting twice changes nothing");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("randomLines")
    void noPathSecretSurvivesInADownloadUrl(Sample sample) {
        String shown = Redact.downloadUrl(sample.text());
        for (String secret : sample.urlSecrets()) assertFalse(shown.contains(secret), shown);
        for (String secret : sample.pathSecrets()) assertFalse(shown.contains(secret), shown);
        for (String host : sample.hosts()) assertTrue(shown.contains(host), host + " kept in: " + shown);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 20261201})
    void textWithoutUrlsIsNeverChanged(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 200; i++) {
            String text = words(random, 1 + random.nextInt(8)) + (random.nextBoolean() ? "?" : "") + " user@example.com: ok";
            assertEquals(text, Redact.url(text));
            assertEquals(text, Redact.downloadUrl(text));
        }
    }
}
