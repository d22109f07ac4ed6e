package dev.parity.env;

import static dev.parity.env.AppResolverTest.remotes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.config.ParityConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Production is an app, not a word: every name for production's app is production, from any source. */
class ProductionByAppTest {
    static final String PROD = "myapp";

    static AppResolver resolver(String yaml, Map<String, String> remotes) {
        return new AppResolver(ParityConfig.parse(yaml), remotes, HerokuHosts.DEFAULT);
    }

    @ParameterizedTest(name = "remote {0} = {1}")
    @CsvSource({
            "heroku,       https://git.heroku.com/myapp.git",
            "heroku,       git@heroku.com:myapp.git",
            "heroku,       ssh://git@heroku.com/myapp.git",
            "heroku,       https://git.heroku.com/myapp",
            "live,         https://git.heroku.com/myapp.git",
            "live,         git@heroku.com:myapp.git",
            "prod-mirror,  ssh://git@heroku.com/myapp.git",
            "prod-mirror,  https://user@git.heroku.com/myapp.git/",
            "upper,        https://git.heroku.com/MyApp.git",
    })
    void aSecondRemoteForProductionsAppIsProduction(String alias, String url) {
        AppResolver r = resolver("", remotes("production", "https://git.heroku.com/myapp.git",
                "staging", "https://git.heroku.com/myapp-staging.git", alias, url));
        Environment e = r.resolve(alias);
        assertTrue(e.isProduction(), alias + " -> " + url);
        assertEquals(EnvironmentKind.CUSTOM, e.kind(), "the name still means what it means; the app decides the guards");
        assertEquals(alias + " is production's app " + PROD + " (from git remote 'production')", e.productionByApp().orElseThrow());
        assertTrue(e.label().endsWith(", production's app)"), e.label());
    }

    @Test
    void aParityYmlEnvironmentMappedToProductionsAppIsProduction() {
        Environment e = resolver("environments: {live: {app: myapp}}",
                remotes("production", "git@heroku.com:myapp.git")).resolve("live");
        assertTrue(e.isProduction());
        assertEquals("live is production's app myapp (from git remote 'production')", e.productionByApp().orElseThrow());
    }

    @Test
    void productionFromParityYmlReachedThroughARemoteOfAnotherName() {
        AppResolver r = resolver("environments: {production: {app: myapp}}",
                remotes("heroku", "https://git.heroku.com/myapp.git", "staging", "https://git.heroku.com/myapp-staging.git"));
        Environment e = r.resolve("heroku");
        assertTrue(e.isProduction());
        assertEquals("heroku is production's app myapp (from .parity.yml environments.production.app)", e.productionByApp().orElseThrow());
    }

    @Test
    void productionByNameNeedsNoReason() {
        Environment e = resolver("", remotes("production", "https://git.heroku.com/myapp.git")).resolve("production");
        assertTrue(e.isProduction());
        assertTrue(e.productionByApp().isEmpty());
        assertEquals("production (myapp)", e.label());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"staging", "feature-geoff", "heroku"})
    void otherAppsAreNotProduction(String name) {
        AppResolver r = resolver("", remotes("production", "https://git.heroku.com/myapp.git",
                "staging", "https://git.heroku.com/myapp-staging.git",
                "feature-geoff", "https://git.heroku.com/myapp-feature-geoff.git",
                "heroku", "https://git.heroku.com/myapp-staging.git"));
        assertFalse(r.resolve(name).isProduction(), name);
    }

    @Test
    void withoutAProductionAppNothingIsProductionByApp() {
        AppResolver r = resolver("", remotes("heroku", "https://git.heroku.com/myapp.git",
                "production", "git@github.com:acme/myapp.git"));
        assertFalse(r.resolve("heroku").isProduction(), "production is not a Heroku app here, so no app is production's");
    }

    @ParameterizedTest(name = "resolving {0}")
    @CsvSource({"production", "staging", "heroku"})
    void anAppThatIsProductionsAndStagingsIsRefusedNamingBothSources(String name) {
        AppResolver r = resolver("environments: {staging: {app: myapp}}",
                remotes("production", "https://git.heroku.com/myapp.git", "heroku", "git@heroku.com:myapp.git"));
        SharedApp e = assertThrows(SharedApp.class, () -> r.resolve(name));
        assertEquals("myapp is both production's app (from git remote 'production') and staging's (from .parity.yml "
                + "environments.staging.app), so parity cannot tell which guards apply. Point one of them at its own app "
                + "(.parity.yml environments: or git remote set-url)", e.getMessage());
    }

    @Test
    void bothRemotesOnOneAppInDifferentFormsAreRefused() {
        AppResolver r = resolver("", remotes("production", "https://git.heroku.com/myapp.git", "staging", "git@heroku.com:myapp.git"));
        SharedApp e = assertThrows(SharedApp.class, () -> r.resolve("staging"));
        assertTrue(e.getMessage().contains("(from git remote 'production') and staging's (from git remote 'staging')"), e.getMessage());
        assertThrows(SharedApp.class, () -> r.resolveReviewApp("12"), "review apps are named after staging's app");
    }

    @Test
    void anUnrelatedEnvironmentStillResolvesWhenProductionAndStagingCollide() {
        AppResolver r = resolver("", remotes("production", "https://git.heroku.com/myapp.git",
                "staging", "https://git.heroku.com/myapp.git", "qa", "https://git.heroku.com/myapp-qa.git"));
        assertEquals("myapp-qa", r.resolve("qa").app());
    }
}
