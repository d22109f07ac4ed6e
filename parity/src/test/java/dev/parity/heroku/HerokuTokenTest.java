package dev.parity.heroku;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tokens are trimmed; one that still is not one header-safe word is refused without ever being echoed. */
class HerokuTokenTest {
    static final String TOKEN = "HRKU-aaaa1111-bbbb-2222-cccc-3333dddd4444";
    static final String API = "https://api.heroku.com";

    @TempDir
    Path home;

    Map<String, String> env(String key) {
        return Map.of("HEROKU_API_KEY", key, "HOME", home.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {TOKEN + "\n", "  " + TOKEN + "  ", "\t" + TOKEN + "\r\n", TOKEN})
    void surroundingWhitespaceIsTrimmed(String key) {
        assertEquals(Optional.of(TOKEN), HerokuToken.find(env(key), API).map(HerokuToken::value));
    }

    @ParameterizedTest
    @ValueSource(strings = {TOKEN + "\n" + TOKEN, TOKEN + " " + TOKEN, TOKEN + "\u0000", TOKEN + "\u001b[0m",
            TOKEN + "\r" + TOKEN, TOKEN + "é", "Bearer " + TOKEN})
    void aKeyThatIsNotOneWordIsRefusedWithoutEchoingIt(String key) {
        HerokuApiException e = assertThrows(HerokuApiException.class, () -> HerokuToken.find(env(key), API));
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        assertFalse(e.getMessage().contains("HRKU"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("HEROKU_API_KEY is not a single API token"), e.getMessage());
        assertTrue(e.getMessage().contains("heroku login") && e.getMessage().contains("set HEROKU_API_KEY to one API token"),
                e.getMessage());
    }

    @Test
    void aNetrcPasswordWithAControlCharacterIsRefusedWithoutEchoingIt() throws Exception {
        Files.writeString(home.resolve(".netrc"), "machine api.heroku.com\n  login me@example.com\n  password " + TOKEN + "\u0007\n");
        HerokuApiException e = assertThrows(HerokuApiException.class, () -> HerokuToken.find(Map.of("HOME", home.toString()), API));
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        assertTrue(e.getMessage().contains("~/.netrc (machine api.heroku.com)") && e.getMessage().contains("control character"),
                e.getMessage());
    }

    @Test
    void aNetrcPasswordIsFound() throws Exception {
        Files.writeString(home.resolve(".netrc"), "machine api.heroku.com\n  login me@example.com\n  password " + TOKEN + "\n");
        assertEquals(TOKEN, HerokuToken.find(Map.of("HOME", home.toString()), API).orElseThrow().value());
    }

    @Test
    void requireWithoutCredentialsSaysHowToLogIn() {
        StepFailed e = assertThrows(StepFailed.class, () -> HerokuToken.require(Map.of("HOME", home.toString())));
        assertEquals(ExitCodes.API, e.exitCode());
        assertEquals("no Heroku credentials: run `heroku login`, or set HEROKU_API_KEY to one API token", e.getMessage());
    }

    @Test
    void requireRefusesAMalformedKeyAsAnApiFailure() {
        StepFailed e = assertThrows(StepFailed.class, () -> HerokuToken.require(env(TOKEN + "\n" + TOKEN)));
        assertEquals(ExitCodes.API, e.exitCode());
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
    }

    @Test
    void requireFindsTheSandboxesNetrcEntry() throws Exception {
        Files.writeString(home.resolve(".netrc"), "machine 127.0.0.1:5555 login a password " + TOKEN + "\n");
        assertEquals(TOKEN, HerokuToken.require(Map.of("HOME", home.toString(), "HEROKU_HOST", "http://127.0.0.1:5555")).value());
    }

    @Test
    void toStringNeverShowsTheToken() {
        assertFalse(new HerokuToken(TOKEN, "HEROKU_API_KEY").toString().contains(TOKEN));
    }
}
