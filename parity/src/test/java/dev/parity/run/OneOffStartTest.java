package dev.parity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.parity.heroku.HerokuApi;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.HerokuToken;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The answers the sandbox cannot give on cue (a dyno listed without attach_url, two dynos with one
 * tag): OneOffStart never sends the create twice, and says what may be running. A scripted HTTP
 * server plays the API.
 */
class OneOffStartTest {
    static final String TAG = "parity-run 00112233aabbccdd";
    static final String COMMAND = OneOffStart.tagged("rake db:migrate ; echo \"x $?\"", TAG);

    HttpServer server;
    HerokuApi api;
    final AtomicInteger posts = new AtomicInteger();
    /** What each POST answers, in turn: {status, body}; the last one repeats. */
    final ConcurrentLinkedQueue<Object[]> postAnswers = new ConcurrentLinkedQueue<>();
    volatile String dynoList = "[]";
    final List<Long> sleeps = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** OneOffStart's pause between looks. */
    HerokuApi.Sleeper lookPause = sleeps::add;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/apps/app-x/dynos", ex -> {
            Object[] a;
            if (ex.getRequestMethod().equals("POST")) {
                posts.incrementAndGet();
                ex.getRequestBody().readAllBytes();
                a = postAnswers.size() > 1 ? postAnswers.poll() : postAnswers.peek();
            } else {
                a = new Object[] {200, dynoList};
            }
            byte[] body = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders((Integer) a[0], body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        api = new HerokuApi("http://127.0.0.1:" + server.getAddress().getPort(), new HerokuToken("t", "test"), sleeps::add);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    JsonNode start() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", COMMAND);
        body.put("attach", true);
        return new OneOffStart(new dev.parity.heroku.Platform(api), "app-x", lookPause, notes::add).start(body, TAG, "the migration dyno");
    }

    static Object[] unavailable() {
        return new Object[] {503, "{\"id\":\"service_unavailable\",\"message\":\"The API is temporarily unavailable.\"}"};
    }

    static String dyno(String name, String command, String attachUrl) {
        return "{\"name\":\"" + name + "\",\"type\":\"run\",\"command\":" + json(command) + ",\"attach_url\":"
                + (attachUrl == null ? "null" : "\"" + attachUrl + "\"") + "}";
    }

    static String json(String s) {
        try {
            return HerokuApi.JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTagIsATrailingShellComment() {
        assertEquals("rake db:migrate ; echo \"x $?\" # " + TAG, COMMAND);
        assertTrue(OneOffStart.newTag().matches("parity-run [0-9a-f]{16}"));
        assertTrue(!OneOffStart.newTag().equals(OneOffStart.newTag()), "one tag per start");
    }

    @Test
    void aLostAnswerContinuesWithTheOneDynoCarryingTheTag() throws Exception {
        postAnswers.add(unavailable());
        dynoList = "[" + dyno("web.1", "bin/web", null) + "," + dyno("run.1000", "rake db:migrate # parity-run ffff", "rendezvous://h/other")
                + "," + dyno("run.2000", COMMAND, "rendezvous://h:5000/secret") + "]";
        JsonNode d = start();
        assertEquals("run.2000", d.path("name").asText());
        assertEquals(1, posts.get());
        assertEquals(List.of(), sleeps);
        assertTrue(notes.get(notes.size() - 1).equals("found run.2000, started by that request: continuing with it"), notes.toString());
    }

    @Test
    void aDynoThatShowsUpOnlyOnALaterLookIsFound() throws Exception {
        postAnswers.add(unavailable());
        lookPause = ms -> { // the API lists the dyno a moment after the lost answer
            sleeps.add(ms);
            dynoList = "[" + dyno("run.3000", COMMAND, "rendezvous://h:5000/s") + "]";
        };
        assertEquals("run.3000", start().path("name").asText());
        assertEquals(1, posts.get());
        assertEquals(List.of(OneOffStart.LOOK_PAUSE_MS), sleeps);
    }

    @Test
    void noDynoWithTheTagAfterEveryLookIsAnUnknownOutcomeAndNoSecondPost() throws Exception {
        postAnswers.add(unavailable());
        dynoList = "[" + dyno("run.1000", "rake db:migrate # parity-run ffff", "rendezvous://h/other") + "]";
        OneOffStart.OutcomeUnknown e = assertThrows(OneOffStart.OutcomeUnknown.class, this::start);
        assertTrue(e.getMessage().contains("no dyno of app-x carries the tag '" + TAG + "', so whether the migration dyno "
                + "started cannot be told: the migration dyno may be running; check `heroku ps --app app-x` before trying again"),
                e.getMessage());
        assertEquals(1, posts.get());
        assertEquals(List.of(OneOffStart.LOOK_PAUSE_MS, OneOffStart.LOOK_PAUSE_MS), sleeps, "three looks");
    }

    @Test
    void theDynoFoundWithoutAnAttachUrlIsNamedWithHowToFollowIt() throws Exception {
        postAnswers.add(unavailable());
        dynoList = "[" + dyno("run.2000", COMMAND, null) + "]";
        OneOffStart.OutcomeUnknown e = assertThrows(OneOffStart.OutcomeUnknown.class, this::start);
        assertTrue(e.getMessage().contains("run.2000 was started by that request but the API lists no attach_url for it, so "
                + "parity cannot attach: it may be running the migration dyno; check `heroku ps --app app-x` and "
                + "`heroku logs --app app-x --dyno-name run.2000`"), e.getMessage());
        assertEquals(1, posts.get());
    }

    @Test
    void twoDynosWithTheTagAreBothNamed() throws Exception {
        postAnswers.add(unavailable());
        dynoList = "[" + dyno("run.2000", COMMAND, "rendezvous://h/a") + "," + dyno("run.2001", COMMAND, "rendezvous://h/b") + "]";
        OneOffStart.OutcomeUnknown e = assertThrows(OneOffStart.OutcomeUnknown.class, this::start);
        assertTrue(e.getMessage().contains("2 dynos carry the tag '" + TAG + "': run.2000, run.2001"), e.getMessage());
        assertEquals(1, posts.get());
    }

    @Test
    void aConflictIsAskedAgainTwiceThenGivenUp() throws Exception {
        Object[] conflict = {409, "{\"id\":\"conflict\",\"message\":\"Release not ready.\"}"};
        postAnswers.add(conflict);
        HerokuApiException e = assertThrows(HerokuApiException.class, this::start);
        assertEquals(409, e.status());
        assertEquals(OneOffStart.CONFLICT_ATTEMPTS, posts.get());
        assertEquals(List.of(OneOffStart.CONFLICT_PAUSE_MS, OneOffStart.CONFLICT_PAUSE_MS), sleeps);
    }

    @Test
    void aRefusalIsNotFollowedByALook() throws Exception {
        postAnswers.add(new Object[] {422, "{\"id\":\"invalid_params\",\"message\":\"Missing required params: command\"}"});
        HerokuApiException e = assertThrows(HerokuApiException.class, this::start);
        assertEquals(422, e.status());
        assertEquals(1, posts.get());
        assertTrue(notes.isEmpty(), notes.toString());
    }
}
