package dev.parity.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
}
