package dev.parity.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The host rules of heroku-platform-api.md section 1.1 (the CLI's vars.js). */
class HerokuHostsTest {

    static HerokuHosts hosts(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) env.put(keyValues[i], keyValues[i + 1]);
        return HerokuHosts.from(env);
    }

    @Test
    void unsetGivesTheDefaults() {
        HerokuHosts h = hosts();
        assertEquals(HerokuHosts.DEFAULT, h);
        assertEquals("https://api.heroku.com", h.apiBase());
        assertEquals("heroku.com", h.gitHost());
        assertEquals("git.heroku.com", h.httpGitHost());
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "   "})
    void blankHerokuHostGivesTheDefaults(String value) {
        assertEquals(HerokuHosts.DEFAULT, hosts("HEROKU_HOST", value));
    }

    @Test
    void fullUrlMakesBothGitHostsHostAndPortAndKeepsTheApiBase() {
        HerokuHosts h = hosts("HEROKU_HOST", "http://127.0.0.1:5555");
        assertEquals("http://127.0.0.1:5555", h.apiBase());
        assertEquals("127.0.0.1:5555", h.gitHost());
        assertEquals("127.0.0.1:5555", h.httpGitHost());
    }

    @Test
    void fullUrlWithoutPortUsesTheBareHost() {
        HerokuHosts h = hosts("HEROKU_HOST", "http://localhost");
        assertEquals("http://localhost", h.apiBase());
        assertEquals("localhost", h.gitHost());
        assertEquals("localhost", h.httpGitHost());
    }

    @Test
    void fullUrlLosesItsTrailingSlashInTheApiBase() {
        assertEquals("http://localhost:5000", hosts("HEROKU_HOST", "http://localhost:5000/").apiBase());
    }

    @Test
    void bareDomainPrefixesApiAndGit() {
        HerokuHosts h = hosts("HEROKU_HOST", "foo.herokudev.com");
        assertEquals("https://api.foo.herokudev.com", h.apiBase());
        assertEquals("foo.herokudev.com", h.gitHost());
        assertEquals("git.foo.herokudev.com", h.httpGitHost());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"heroku.com", "staging.heroku.com", "x.herokai.com", "y.herokuspace.com", "https://api.foo.herokudev.com"})
    void herokuDomainsAreAccepted(String host) {
        assertTrue(HerokuHosts.accepted(host), host);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"evil.example.com", "https://evil.example.com", "heroku.com.evil.com", "notheroku.com",
            "https://evil.com/heroku.com", "herokudev.com.attacker.net"})
    void invalidHostFallsBackToTheDefault(String host) {
        assertEquals(HerokuHosts.DEFAULT, hosts("HEROKU_HOST", host));
    }

    @Test
    void herokuGitHostOverridesBothGitHosts() {
        HerokuHosts h = hosts("HEROKU_GIT_HOST", "git.example-heroku.com");
        assertEquals("https://api.heroku.com", h.apiBase());
        assertEquals("git.example-heroku.com", h.gitHost());
        assertEquals("git.example-heroku.com", h.httpGitHost());
    }

    @Test
    void herokuGitHostBeatsTheHostsOfHerokuHost() {
        HerokuHosts h = hosts("HEROKU_HOST", "http://127.0.0.1:5555", "HEROKU_GIT_HOST", "git.heroku.com");
        assertEquals("http://127.0.0.1:5555", h.apiBase());
        assertEquals("git.heroku.com", h.gitHost());
        assertEquals("git.heroku.com", h.httpGitHost());
    }

    @Test
    void blankHerokuGitHostIsIgnored() {
        assertEquals(HerokuHosts.DEFAULT, hosts("HEROKU_GIT_HOST", " "));
    }

    @Test
    void gitUrlIsHttpsByDefault() {
        assertEquals("https://git.heroku.com/myapp.git", HerokuHosts.DEFAULT.gitUrl("myapp"));
    }

    @Test
    void gitUrlIsPlainHttpOnlyWhenTheApiIsPlainHttp() {
        assertEquals("http://127.0.0.1:5555/myapp.git", hosts("HEROKU_HOST", "http://127.0.0.1:5555").gitUrl("myapp"));
        assertEquals("https://127.0.0.1:5555/myapp.git", hosts("HEROKU_HOST", "https://127.0.0.1:5555").gitUrl("myapp"));
    }

    @Test
    void gitUrlUsesTheGitHostOverride() {
        assertEquals("https://git.example-heroku.com/myapp.git",
                hosts("HEROKU_GIT_HOST", "git.example-heroku.com").gitUrl("myapp"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"http://127.0.0.1:55 55", "http://127.0.0.1:99999", "http://localhost:5555/a b", "http://localhost:5a55",
            "https://[127.0.0.1", "my host.heroku.com", "api.heroku.com/x y", "localhost\nhttp://evil"})
    void aMalformedHerokuHostIsOneLineNamingTheVariable(String host) {
        dev.parity.config.ConfigError e = org.junit.jupiter.api.Assertions.assertThrows(dev.parity.config.ConfigError.class,
                () -> HerokuHosts.from(Map.of("HEROKU_HOST", host)));
        assertTrue(e.getMessage().startsWith("HEROKU_HOST '"), e.getMessage());
        assertTrue(e.getMessage().endsWith("is neither a host name (heroku.com) nor a URL (http://127.0.0.1:5555); fix it or unset it"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
