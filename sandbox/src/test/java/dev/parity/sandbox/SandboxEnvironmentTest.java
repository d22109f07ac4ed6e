package dev.parity.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sandbox's programs never inherit the user's Heroku credentials. */
class SandboxEnvironmentTest {
    @Test
    void herokuSettingsAreDropped() {
        Map<String, String> clean = Sandbox.withoutHerokuCredentials(Map.of("PATH", "/usr/bin", "HEROKU_API_KEY", "real-key",
                "HEROKU_HOST", "api.heroku.com", "HOME", "/home/dev"));
        assertEquals(Map.of("PATH", "/usr/bin", "HOME", "/home/dev"), clean);
    }
}
