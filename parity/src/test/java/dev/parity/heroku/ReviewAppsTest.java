package dev.parity.heroku;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReviewAppsTest {
    HttpServer server;
    HerokuApi api;
    /** path → {status, body} */
    final Map<String, Object[]> answers = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            Object[] a = answers.getOrDefault(ex.getRequestURI().getPath(),
                    new Object[] {404, "{\"id\":\"not_found\",\"message\":\"Couldn't find that.\"}"});
            byte[] body = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders((Integer) a[0], body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        api = new HerokuApi("http://127.0.0.1:" + server.getAddress().getPort(), new HerokuToken("t", "test"), ms -> { });
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    void pipeline(String reviewApps) {
        answers.put("/apps/my-staging/pipeline-couplings", new Object[] {200,
                "{\"id\":\"c1\",\"app\":{\"id\":\"s1\"},\"pipeline\":{\"id\":\"p1\",\"name\":\"my-pipe\"},\"stage\":\"staging\"}"});
        answers.put("/pipelines/p1/review-apps", new Object[] {200, reviewApps});
        answers.put("/apps/a12", new Object[] {200, "{\"id\":\"a12\",\"name\":\"my-review-app-x\"}"});
        answers.put("/apps/a13", new Object[] {200, "{\"id\":\"a13\",\"name\":\"old-review\"}"});
    }

    @Test
    void findsTheCreatedReviewAppForThePullRequest() throws Exception {
        pipeline("[{\"id\":\"r0\",\"app\":{\"id\":\"a13\"},\"branch\":\"x\",\"pr_number\":7,\"status\":\"created\"},"
                + "{\"id\":\"r1\",\"app\":{\"id\":\"a12\"},\"branch\":\"feature\",\"pr_number\":12,\"status\":\"created\"}]");
        assertEquals(Optional.of("my-review-app-x"), ReviewApps.find(new Platform(api), "my-staging", 12));
        assertEquals(Optional.of(new ReviewApps.Match("my-review-app-x", "my-pipe")), ReviewApps.lookup(new Platform(api), "my-staging", 12));
    }

    @Test
    void noReviewAppForThatPullRequestIsEmpty() throws Exception {
        pipeline("[{\"id\":\"r1\",\"app\":{\"id\":\"a12\"},\"branch\":\"feature\",\"pr_number\":12,\"status\":\"created\"}]");
        assertEquals(Optional.empty(), ReviewApps.find(new Platform(api), "my-staging", 99));
    }

    @Test
    void deletedAndCreatingReviewAppsAreIgnored() throws Exception {
        pipeline("[{\"id\":\"r0\",\"app\":{\"id\":\"a13\"},\"branch\":\"x\",\"pr_number\":12,\"status\":\"deleted\"},"
                + "{\"id\":\"r1\",\"app\":{\"id\":\"a12\"},\"branch\":\"feature\",\"pr_number\":12,\"status\":\"creating\"}]");
        assertEquals(Optional.empty(), ReviewApps.find(new Platform(api), "my-staging", 12));
    }

    @Test
    void stagingAppInNoPipelineIsEmpty() throws Exception {
        assertEquals(Optional.empty(), ReviewApps.find(new Platform(api), "my-staging", 12));
    }

    @Test
    void otherFailuresAreThrown() {
        answers.put("/apps/my-staging/pipeline-couplings", new Object[] {403,
                "{\"id\":\"forbidden\",\"message\":\"You do not have access to the app my-staging.\"}"});
        assertThrows(HerokuApiException.class, () -> ReviewApps.find(new Platform(api), "my-staging", 12));
    }
}
