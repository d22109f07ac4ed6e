package dev.parity.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault switches, seen through the official CLI and through plain HTTP. */
class FaultsCliTest {
    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        app = f.sandbox().createApp("faulty-app", false, Map.of("web", 1, "worker", 1));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            // one-off dynos a test started finish (or are killed) before the sandbox's files are removed
            SandboxFixture.await(Duration.ofSeconds(20), () -> app.dynosSnapshot().stream().noneMatch(d -> d.name.startsWith("run.")));
        } finally {
            f.close();
        }
    }

    @Test
    void rateLimitedRequestsCarryRetryAfterThenRecover() throws Exception {
        f.sandbox().faults().failNext(1, 429, 7);
        HttpURLConnection c = get("/apps/faulty-app");
        assertEquals(429, c.getResponseCode());
        assertEquals("7", c.getHeaderField("Retry-After"));
        assertTrue(new String(c.getErrorStream().readAllBytes()).contains("\"id\":\"rate_limit\""));
        assertEquals(200, get("/apps/faulty-app").getResponseCode());
    }

    @Test
    void serverErrorsReachTheCliThenStop() throws Exception {
        f.sandbox().faults().failNext(3, 503, 0);
        Outcome failed = f.heroku("releases", "--app", "faulty-app");
        assertTrue(failed.exitCode() != 0, failed.toString());
        f.sandbox().faults().clear();
        assertEquals(0, f.heroku("releases", "--app", "faulty-app").exitCode());
    }

    @Test
    void everyAnswerHasARequestIdAndRateLimitRemaining() throws Exception {
        HttpURLConnection c = get("/apps/faulty-app");
        assertEquals(200, c.getResponseCode());
        assertTrue(c.getHeaderField("Request-Id").matches("[0-9a-f-]{36}"));
        assertTrue(Integer.parseInt(c.getHeaderField("RateLimit-Remaining")) > 0);
        HttpURLConnection noToken = (HttpURLConnection) URI.create(f.sandbox().baseUrl() + "/apps/faulty-app").toURL().openConnection();
        assertEquals(401, noToken.getResponseCode());
        assertTrue(new String(noToken.getErrorStream().readAllBytes()).contains("\"id\":\"unauthorized\""));
    }

    @Test
    void latencyHoldsARequestBeforeItIsHandledThenAnswersIt() throws Exception {
        // Seen as state, not as a stopwatch: while the request is unanswered, a sandbox thread is
        // asleep in the latency switch; then the request is answered as usual.
        f.sandbox().faults().latency(5_000);
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> {
            try {
                return get("/apps/faulty-app").getResponseCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        SandboxFixture.await(Duration.ofSeconds(30), () -> status.isDone() || heldByLatency());
        assertFalse(status.isDone(), "answered without being held");
        assertEquals(200, status.get(60, TimeUnit.SECONDS));
    }

    /** Whether a thread is sleeping in {@link dev.parity.sandbox.http.Faults}' latency. */
    static boolean heldByLatency() {
        return Thread.getAllStackTraces().entrySet().stream().anyMatch(t -> {
            StackTraceElement[] st = t.getValue();
            for (int i = 0; i + 1 < st.length; i++) {
                if (st[i].getMethodName().startsWith("sleep") && st[i + 1].getClassName().equals("dev.parity.sandbox.http.Faults")
                        && st[i + 1].getMethodName().equals("beforeRequest")) return true;
            }
            return false;
        });
    }

    @Test
    void aTypeThatCrashesOnBootShowsCrashedInPs() throws Exception {
        SandboxFixture.await(Duration.ofSeconds(5), () -> app.dynosSnapshot().stream().allMatch(d -> d.state.equals("up")));
        f.sandbox().crashOnBoot("worker", true);
        assertEquals(0, f.heroku("restart", "--app", "faulty-app").exitCode());
        SandboxFixture.await(Duration.ofSeconds(5), () -> app.dynosSnapshot().stream().noneMatch(d -> d.state.equals("starting")));
        Outcome ps = f.heroku("ps", "--app", "faulty-app");
        assertTrue(ps.out().contains("worker.1: crashed"), ps.out());
        assertTrue(ps.out().contains("web.1: up"), ps.out());
    }

    @Test
    void aFaultAfterHandlingCarriesTheRequestOutThenAnswersWithTheError() throws Exception {
        assertEquals(200, post("/sandbox/faults", "{\"method\": \"POST\", \"count\": 1, \"after\": 503}").getResponseCode());
        HttpURLConnection c = post("/apps/faulty-app/dynos", "{\"command\": \"true\"}");
        assertEquals(503, c.getResponseCode());
        assertTrue(new String(c.getErrorStream().readAllBytes()).contains("\"id\":\"service_unavailable\""));
        assertEquals(1, f.sandbox().requests().count("POST", "/apps/faulty-app/dynos"), "carried out");
        assertEquals(201, post("/apps/faulty-app/dynos", "{\"command\": \"true\"}").getResponseCode(), "one request only");
    }

    @Test
    void aDroppedAnswerClosesTheConnectionAfterTheRequestWasCarriedOut() throws Exception {
        assertEquals(200, post("/sandbox/faults", "{\"method\": \"POST\", \"drop_after\": true}").getResponseCode());
        HttpURLConnection c = post("/apps/faulty-app/dynos", "{\"command\": \"true\"}");
        assertThrows(java.io.IOException.class, c::getResponseCode);
        assertEquals(1, f.sandbox().requests().count("POST", "/apps/faulty-app/dynos"));
    }

    @Test
    void aFaultForOneMethodLeavesTheOthersAlone() throws Exception {
        f.sandbox().faults().failNext("DELETE", 1, 503);
        assertEquals(200, get("/apps/faulty-app").getResponseCode());
        assertEquals(0, f.sandbox().requests().count("DELETE", "/apps/faulty-app/dynos"));
        HttpURLConnection restart = post("/apps/faulty-app/dynos", null);
        restart.setRequestMethod("DELETE");
        assertEquals(503, restart.getResponseCode());
        assertEquals(0, f.sandbox().requests().count("DELETE", "/apps/faulty-app/dynos"), "refused before handling");
    }

    HttpURLConnection post(String path, String json) throws Exception {
        HttpURLConnection c = get(path);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "application/json");
        if (json != null) {
            c.setDoOutput(true);
            byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            c.setFixedLengthStreamingMode(body.length); // never re-sent by the JDK
            try (var out = c.getOutputStream()) {
                out.write(body);
            }
        }
        return c;
    }

    HttpURLConnection get(String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(f.sandbox().baseUrl() + path).toURL().openConnection();
        c.setRequestProperty("Authorization", "Bearer " + f.sandbox().token());
        c.setRequestProperty("Accept", "application/vnd.heroku+json; version=3");
        return c;
    }
}
