package dev.parity.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.config.ParityConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AppResolverTest {

    static final Map<String, String> REMOTES = remotes(
            "production", "https://git.heroku.com/myapp-production.git",
            "staging", "git@heroku.com:myapp-staging.git",
            "feature-geoff", "ssh://git@heroku.com/myapp-feature-geoff.git",
            "origin", "git@github.com:acme/myapp.git");

    static Map<String, String> remotes(String... nameUrl) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameUrl.length; i += 2) m.put(nameUrl[i], nameUrl[i + 1]);
        return m;
    }

    static AppResolver resolver(String yaml, Map<String, String> remotes) {
        return new AppResolver(ParityConfig.parse(yaml), remotes, HerokuHosts.DEFAULT);
    }

    static AppResolver resolver(Map<String, String> remotes) {
        return new AppResolver(ParityConfig.EMPTY, remotes, HerokuHosts.DEFAULT);
    }

    static AppResolver stagingApp(String app) {
        return resolver(remotes("staging", "https://git.heroku.com/" + app + ".git"));
    }

    @Test
    void remoteGivesTheApp() {
        Environment e = resolver(REMOTES).resolve("production");
        assertEquals("myapp-production", e.app());
        assertEquals(EnvironmentKind.PRODUCTION, e.kind());
        assertEquals("git remote 'production'", e.source());
    }

    @Test
    void configBeatsRemote() {
        Environment e = resolver("environments: {staging: {app: configured-staging}}", REMOTES).resolve("staging");
        assertEquals("configured-staging", e.app());
        assertEquals(EnvironmentKind.STAGING, e.kind());
        assertEquals(".parity.yml environments.staging.app", e.source());
    }

    @Test
    void configAloneDefinesACustomEnvironment() {
        Environment e = resolver("environments: {qa: {app: myapp-qa}}", Map.of()).resolve("qa");
        assertEquals("myapp-qa", e.app());
        assertEquals(EnvironmentKind.CUSTOM, e.kind());
    }

    @Test
    void herokuRemoteAloneDefinesACustomEnvironment() {
        Environment e = resolver(REMOTES).resolve("feature-geoff");
        assertEquals("myapp-feature-geoff", e.app());
        assertEquals(EnvironmentKind.CUSTOM, e.kind());
    }

    @Test
    void developmentNeedsNoApp() {
        Environment e = resolver(Map.of()).resolve("development");
        assertTrue(e.isDevelopment());
        assertNull(e.app());
    }

    @Test
    void missingRemoteSaysHowToAddIt() {
        UnknownEnvironment e = assertThrows(UnknownEnvironment.class,
                () -> resolver(remotes("production", "https://git.heroku.com/p.git")).resolve("staging"));
        assertTrue(e.getMessage().contains("heroku git:remote -r staging -a APP"), e.getMessage());
        assertTrue(e.getMessage().contains("environments.staging.app"), e.getMessage());
    }

    @Test
    void unknownEnvironmentListsTheKnownOnesSorted() {
        AppResolver r = resolver("environments: {qa: {app: myapp-qa}}", REMOTES);
        UnknownEnvironment e = assertThrows(UnknownEnvironment.class, () -> r.resolve("prodution"));
        assertTrue(e.getMessage().contains("unknown environment 'prodution'"), e.getMessage());
        assertTrue(e.getMessage().contains(
                "Known environments: development, feature-geoff, pr_app, production, qa, staging."), e.getMessage());
        assertTrue(e.getMessage().contains("heroku git:remote -r prodution -a APP"), e.getMessage());
        assertFalse(e.getMessage().contains("origin"), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "https://user:ghp_s3cr3t@github.com/acme/myapp.git",
        "https://ghp_s3cr3t@github.com/acme/myapp.git",
        "https://x-access-token:ghp_s3cr3t@gitlab.com/acme/myapp.git",
        "https://git.example.com/myapp.git?token=ghp_s3cr3t",
        "ssh://deploy:ghp_s3cr3t@git.example.com/myapp.git",
    })
    void nonHerokuRemoteIsExplainedWithoutItsCredentials(String url) {
        AppResolver r = resolver(remotes("staging", url));
        UnknownEnvironment e = assertThrows(UnknownEnvironment.class, () -> r.resolve("staging"));
        assertTrue(e.getMessage().contains("not a Heroku app"), e.getMessage());
        assertTrue(e.getMessage().contains("git remote set-url staging https://git.heroku.com/APP.git"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    @Test
    void nonHerokuRemoteMessageStillShowsWhereItPoints() {
        UnknownEnvironment e = assertThrows(UnknownEnvironment.class,
                () -> resolver(remotes("staging", "https://user:pw@github.com/acme/myapp.git")).resolve("staging"));
        assertTrue(e.getMessage().contains("github.com/acme/myapp.git"), e.getMessage());
    }

    @Test
    void pullRequestResolvesNeedTheirOwnMethod() {
        assertThrows(IllegalArgumentException.class, () -> resolver(REMOTES).resolve("pr_app"));
    }

    @Test
    void reviewAppPrefixIsTheFirst20CharactersOfTheStagingApp() {
        Environment e = stagingApp("abcdefghij-klmnopqrstuvwxyz").resolveReviewApp("42");
        assertEquals("abcdefghij-klmnopqrs-pr-42", e.app());
        assertEquals("pr_app 42", e.name());
        assertEquals(EnvironmentKind.REVIEW_APP, e.kind());
        assertTrue(e.source().contains("git remote 'staging'"), e.source());
    }

    @Test
    void reviewAppOfAStagingAppOfExactly20CharactersKeepsItWhole() {
        assertEquals("abcdefghij-klmnopqrs-pr-7", stagingApp("abcdefghij-klmnopqrs").resolveReviewApp("7").app());
    }

    @Test
    void reviewAppOfAShortStagingAppKeepsItWhole() {
        assertEquals("myapp-staging-pr-1234", stagingApp("myapp-staging").resolveReviewApp("1234").app());
    }

    @Test
    void reviewAppUsesTheConfiguredStagingApp() {
        Environment e = resolver("environments: {staging: {app: configured-staging}}", REMOTES).resolveReviewApp("5");
        assertEquals("configured-staging-pr-5", e.app());
        assertTrue(e.source().contains(".parity.yml"), e.source());
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @NullSource
    @ValueSource(strings = {"", "abc", "12a", "0", "00", "01", "-1", "-42", "+3", "1.5", " 12", "12 ", "console",
            "１２", "12345678901"})
    void reviewAppRejectsNumbersThatAreNotPullRequests(String number) {
        UnknownEnvironment e = assertThrows(UnknownEnvironment.class, () -> stagingApp("myapp-staging").resolveReviewApp(number));
        assertTrue(e.getMessage().contains("pr_app needs a pull request number"), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"1", "9", "10", "1234", "9999999999"})
    void pullRequestNumbersArePositiveDecimalIntegers(String number) {
        assertTrue(AppResolver.isPullRequestNumber(number));
    }

    @Test
    void reviewAppWithoutAStagingAppSaysHowToAddIt() {
        UnknownEnvironment e = assertThrows(UnknownEnvironment.class, () -> resolver(Map.of()).resolveReviewApp("3"));
        assertTrue(e.getMessage().contains("heroku git:remote -r staging -a APP"), e.getMessage());
    }

    @Test
    void knownEnvironmentsIncludeConfiguredOnesAndHerokuRemotesButNotGithubOrigin() {
        AppResolver r = resolver("environments: {qa: {app: myapp-qa}}", REMOTES);
        assertEquals(List.of("development", "feature-geoff", "pr_app", "production", "qa", "staging"),
                List.copyOf(r.knownEnvironments()));
        assertFalse(r.isEnvironment("origin"));
        assertTrue(r.isEnvironment("feature-geoff"));
        assertTrue(r.isEnvironment("qa"));
    }

    @Test
    void knownEnvironmentsAlwaysIncludeTheBuiltInOnes() {
        assertEquals(List.of("development", "pr_app", "production", "staging"), List.copyOf(resolver(Map.of()).knownEnvironments()));
    }

    /** remote name | url | known? */
    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "heroku   | https://git.heroku.com/myapp.git        | true",
        "sandbox  | http://127.0.0.1:5555/myapp.git         | false",
        "upstream | https://gitlab.com/acme/myapp.git       | false",
        "mirror   | /srv/git/myapp.git                      | false",
    })
    void onlyHerokuRemotesBecomeEnvironments(String name, String url, boolean known) {
        assertEquals(known, resolver(remotes(name, url)).isEnvironment(name));
    }

    @Test
    void sandboxRemotesBecomeEnvironmentsWhenHerokuHostPointsThere() {
        AppResolver r = new AppResolver(ParityConfig.EMPTY, remotes("sandbox", "http://127.0.0.1:5555/myapp.git"),
                HerokuHosts.from(Map.of("HEROKU_HOST", "http://127.0.0.1:5555")));
        assertTrue(r.isEnvironment("sandbox"));
        assertEquals("myapp", r.resolve("sandbox").app());
    }

    @Test
    void nonHerokuRemoteSuggestsTheSandboxGitUrlWhenHerokuHostIsSet() {
        AppResolver r = new AppResolver(ParityConfig.EMPTY, remotes("staging", "git@github.com:acme/myapp.git"),
                HerokuHosts.from(Map.of("HEROKU_HOST", "http://127.0.0.1:5555")));
        UnknownEnvironment e = assertThrows(UnknownEnvironment.class, () -> r.resolve("staging"));
        assertTrue(e.getMessage().contains("git remote set-url staging "), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:5555/APP.git"), e.getMessage());
    }

    @Test
    void nonHerokuRemoteSuggestsAPlainHttpGitUrlForAPlainHttpSandbox() {
        AppResolver r = new AppResolver(ParityConfig.EMPTY, remotes("staging", "git@github.com:acme/myapp.git"),
                HerokuHosts.from(Map.of("HEROKU_HOST", "http://127.0.0.1:5555")));
        UnknownEnvironment e = assertThrows(UnknownEnvironment.class, () -> r.resolve("staging"));
        assertTrue(e.getMessage().contains("git remote set-url staging http://127.0.0.1:5555/APP.git"), e.getMessage());
    }

    @Test
    void remotesMapIsCopied() {
        Map<String, String> m = remotes("qa", "https://git.heroku.com/myapp-qa.git");
        AppResolver r = resolver(m);
        m.clear();
        assertEquals("myapp-qa", r.resolve("qa").app());
    }
}
