package dev.parity.sandbox.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.heroku.HerokuApi;
import dev.parity.heroku.HerokuApiException;
import dev.parity.sandbox.support.SandboxFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** parity's Platform API client against the sandbox: credentials, paging, retries, errors. */
class HerokuApiTest {
    @TempDir
    Path tmp;
    SandboxFixture f;
    final List<Long> sleeps = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        f.sandbox().createApp("api-app", false, Map.of("web", 2));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    HerokuApi api(Map<String, String> env) {
        return api(env, HerokuApi.READ_TIMEOUT);
    }

    HerokuApi api(Map<String, String> env, Duration readTimeout) {
        HerokuApi real = HerokuApi.from(env);
        return new HerokuApi(real.base(), dev.parity.heroku.HerokuToken.find(env, real.base()).orElseThrow(), sleeps::add,
                readTimeout);
    }

    static final String DYNOS = "/apps/api-app/dynos";

    /** A detached one-off dyno: each POST that is carried out starts one. */
    static Map<String, Object> oneOff() {
        return Map.of("command", "true", "attach", false);
    }

    int postsHandled() {
        return f.sandbox().requests().count("POST", DYNOS);
    }

    Map<String, String> env() throws Exception {
        return new HashMap<>(f.env());
    }

    @Test
    void tokenFromHerokuApiKey() throws Exception {
        JsonNode app = api(env()).get("/apps/api-app");
        assertEquals("api-app", app.path("name").asText());
    }

    @Test
    void tokenFromNetrcForTheSandboxHost() throws Exception {
        Map<String, String> env = env();
        env.remove("HEROKU_API_KEY");
        Path home = Files.createDirectories(tmp.resolve("netrc-home"));
        String machine = f.sandbox().baseUrl().replace("http://", "");
        Files.writeString(home.resolve(".netrc"), "machine api.heroku.com\n  login a@b.c\n  password wrong-one\n"
                + "machine " + machine + "\n  login dev@example.com\n  password " + f.sandbox().token() + "\n");
        env.put("HOME", home.toString());
        assertEquals("api-app", api(env).get("/apps/api-app").path("name").asText());
    }

    @Test
    void noCredentialsSaysHowToLogIn() throws Exception {
        Map<String, String> env = env();
        env.remove("HEROKU_API_KEY");
        env.put("HOME", Files.createDirectories(tmp.resolve("empty-home")).toString());
        HerokuApiException e = assertThrows(HerokuApiException.class, () -> HerokuApi.from(env));
        assertTrue(e.getMessage().contains("heroku login") && e.getMessage().contains("HEROKU_API_KEY"), e.getMessage());
    }

    @Test
    void badTokenIs401WithTheFixAndWithoutTheToken() throws Exception {
        Map<String, String> env = env();
        env.put("HEROKU_API_KEY", "not-the-token-123");
        HerokuApiException e = assertThrows(HerokuApiException.class, () -> api(env).get("/apps/api-app"));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("heroku login"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-token-123"), e.getMessage());
        assertTrue(sleeps.isEmpty(), "401 is not retried");
    }

    @Test
    void rateLimitIsRetriedAfterRetryAfter() throws Exception {
        f.sandbox().faults().failNext(2, 429, 3);
        assertEquals("api-app", api(env()).get("/apps/api-app").path("name").asText());
        assertEquals(List.of(3000L, 3000L), sleeps);
    }

    @Test
    void serverErrorsUntilRetriesRunOutGiveOneClearLine() throws Exception {
        f.sandbox().faults().failNext(10, 500, 0);
        HerokuApiException e = assertThrows(HerokuApiException.class, () -> api(env()).get("/apps/api-app"));
        assertEquals(500, e.status());
        assertTrue(e.getMessage().contains("gave up after 4 attempts"), e.getMessage());
        assertEquals(3, sleeps.size());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void unreachableApiIsRetriedThenExplained() throws Exception {
        Map<String, String> env = env();
        int port = f.sandbox().port();
        f.close();
        HerokuApiException e = assertThrows(HerokuApiException.class, () -> api(env).get("/apps/api-app"));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("cannot reach the Heroku API at http://127.0.0.1:" + port), e.getMessage());
        f = SandboxFixture.start(tmp.resolve("again"));
    }

    @Test
    void missingAppIs404NotRetried() throws Exception {
        HerokuApiException e = assertThrows(HerokuApiException.class, () -> api(env()).get("/apps/nope-app"));
        assertTrue(e.notFound());
        assertTrue(e.getMessage().contains("Couldn't find that app."), e.getMessage());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void listsFollowNextRange() throws Exception {
        for (int i = 0; i < 4; i++) assertEquals(0, f.heroku("config:set", "N=" + i, "--app", "api-app").exitCode());
        var all = api(env()).list("/apps/api-app/releases", "version ..; max=2, order=desc");
        assertEquals(5, all.size());
        assertEquals(5, all.get(0).path("version").asInt());
        var one = api(env()).page("/apps/api-app/releases", "version ..; max=2, order=desc");
        assertEquals(2, one.size());
    }

    @Test
    void aPostAnsweredWithAnErrorAfterItWasCarriedOutIsNotSentAgain() throws Exception {
        f.sandbox().faults().failNextAfterHandling("POST", 1, 503);
        HerokuApiException e = assertThrows(HerokuApiException.class, () -> api(env()).post(DYNOS, oneOff()));
        assertEquals(503, e.status());
        assertTrue(e.outcomeUnknown(), e.getMessage());
        assertTrue(e.getMessage().contains("(POST " + DYNOS + ", HTTP 503, service_unavailable)"), e.getMessage());
        assertEquals(1, postsHandled(), "sent once");
        assertTrue(sleeps.isEmpty(), "no retry");
    }

    @Test
    void aPostWhoseConnectionDropsAfterItWasCarriedOutIsNotSentAgainEvenOnAKeptAliveConnection() throws Exception {
        HerokuApi api = api(env());
        api.get("/apps/api-app"); // the JDK keeps this connection for the next request
        f.sandbox().faults().dropNextAfterHandling("POST", 1);
        HerokuApiException e = assertThrows(HerokuApiException.class, () -> api.post(DYNOS, oneOff()));
        assertTrue(e.outcomeUnknown(), e.getMessage());
        assertTrue(e.getMessage().contains("broke after POST " + DYNOS + " was sent"), e.getMessage());
        assertEquals(1, postsHandled(), "neither parity nor the JDK sent it again");
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void aPostWithoutAnAnswerWithinTheReadTimeoutIsNotSentAgain() throws Exception {
        f.sandbox().faults().delayNextAnswer("POST", 1, 3000);
        HerokuApiException e = assertThrows(HerokuApiException.class,
                () -> api(env(), Duration.ofSeconds(1)).post(DYNOS, oneOff()));
        assertTrue(e.outcomeUnknown(), e.getMessage());
        assertEquals("no answer to POST " + DYNOS + " within 1 s", e.getMessage());
        assertEquals(1, postsHandled());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void aPostThatNeverReachedTheApiIsRetriedAndSaysSo() throws Exception {
        Map<String, String> env = env();
        f.close();
        HerokuApiException e = assertThrows(HerokuApiException.class, () -> api(env).post(DYNOS, oneOff()));
        assertEquals(0, e.status());
        assertFalse(e.outcomeUnknown(), "nothing was sent: nothing can have been made");
        assertTrue(e.getMessage().contains("cannot reach the Heroku API") && e.getMessage().contains("gave up after 4 attempts"),
                e.getMessage());
        assertEquals(3, sleeps.size());
        f = SandboxFixture.start(tmp.resolve("again"));
    }

    @Test
    void aRateLimitedPostIsRetriedAndCarriedOutOnce() throws Exception {
        f.sandbox().faults().failNext("POST", 1, 429);
        assertEquals("run", api(env()).post(DYNOS, oneOff()).path("type").asText());
        assertEquals(List.of(1000L), sleeps, "Retry-After");
        assertEquals(1, postsHandled());
    }

    @Test
    void aConflictOnAPostIsNotRetriedByTheClient() throws Exception {
        f.sandbox().faults().failNext("POST", 1, 409);
        HerokuApiException e = assertThrows(HerokuApiException.class, () -> api(env()).post(DYNOS, oneOff()));
        assertEquals(409, e.status());
        assertFalse(e.outcomeUnknown(), "a 4xx is a refusal");
        assertEquals(0, postsHandled());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void aGetIsRetriedAfterAnErrorThatFollowedHandlingOrANoAnswer() throws Exception {
        f.sandbox().faults().failNextAfterHandling("GET", 1, 500);
        f.sandbox().faults().delayNextAnswer("GET", 1, 2500);
        assertEquals("api-app", api(env(), Duration.ofSeconds(1)).get("/apps/api-app").path("name").asText());
        assertEquals(3, f.sandbox().requests().count("GET", "/apps/api-app"));
        assertEquals(2, sleeps.size());
    }

    @Test
    void aGetWithoutAnAnswerSaysHowLongItWaited() throws Exception {
        f.sandbox().faults().delayNextAnswer("GET", 4, 2500);
        HerokuApiException e = assertThrows(HerokuApiException.class,
                () -> api(env(), Duration.ofSeconds(1)).get("/apps/api-app"));
        assertEquals("no answer from the Heroku API at " + f.sandbox().baseUrl() + " within 1 s (GET /apps/api-app)"
                + " (gave up after 4 attempts)", e.getMessage());
    }

    @Test
    void theApiTimeoutComesFromParityApiTimeoutAndABadOneIsRefusedInOneLine() throws Exception {
        Map<String, String> env = env();
        assertEquals(HerokuApi.READ_TIMEOUT, HerokuApi.from(env).readTimeout());
        env.put("PARITY_API_TIMEOUT", "5");
        assertEquals(Duration.ofSeconds(5), HerokuApi.from(env).readTimeout());
        for (String bad : List.of("0", "5s", "-1", "99999", "1\n2")) {
            env.put("PARITY_API_TIMEOUT", bad);
            HerokuApiException e = assertThrows(HerokuApiException.class, () -> HerokuApi.from(env), bad);
            assertTrue(e.getMessage().startsWith("PARITY_API_TIMEOUT must be a number of seconds from 1 to 3600"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
