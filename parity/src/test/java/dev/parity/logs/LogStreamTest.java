package dev.parity.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogStreamTest {
    StreamServer server;
    ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
    PrintStream progress = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);
    List<Long> sleeps = new CopyOnWriteArrayList<>();
    int sessions;

    @BeforeEach
    void setUp() throws IOException {
        server = new StreamServer();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    LogStream stream(boolean tail) {
        return new LogStream(() -> {
            sessions++;
            return server.url();
        }, tail, progress, sleeps::add, 10_000);
    }

    @Test
    void nonTailPrintsEachDataLineTrimmedAndEndsWhenTheServerCloses() throws Exception {
        server.then(StreamServer.sse("retry: 250\n\n: a comment\n" + StreamServer.event(1, "  first line  ")
                + "id: 2\ndata: second\ndata: third\n\n" + "id: 3\ndata: four\\n\n\n" + "data: a\ndata:\ndata: b\n\n"));
        List<String> lines = new ArrayList<>();
        LogStream s = stream(false);
        s.run(lines::add);
        assertEquals(List.of("first line", "second", "third", "four\\n", "a", "b"), lines);
        assertEquals("3", s.lastEventId());
        assertEquals(1, server.connections);
        assertEquals("text/event-stream", server.accepts.get(0));
        assertEquals("null", server.authorizations.get(0), "logplex_url is a capability: no Authorization header");
        assertEquals(0, s.reconnects());
    }

    @Test
    void tailReconnectsWithLastEventIdAfterTheServerDropsTheStream() throws Exception {
        server.then(StreamServer.sse(StreamServer.event(1, "one") + StreamServer.event(2, "two")))
                .then(StreamServer.sse(StreamServer.event(3, "three") + StreamServer.event(4, "four")));
        List<String> lines = new ArrayList<>();
        AtomicReference<LogStream> ref = new AtomicReference<>();
        LogStream s = stream(true);
        ref.set(s);
        s.run(l -> {
            lines.add(l);
            if (l.equals("four")) ref.get().stop();
        });
        assertEquals(List.of("one", "two", "three", "four"), lines);
        assertEquals(2, server.connections);
        assertNull(server.lastEventIds.get(0));
        assertEquals("2", server.lastEventIds.get(1));
        assertEquals(1, s.reconnects());
        assertEquals(1, s.sessionsCreated());
    }

    @Test
    void anExpiredSessionOnReconnectSaysSoAndStartsANewSession() throws Exception {
        server.then(StreamServer.sse(StreamServer.event(7, "seven")))
                .then(StreamServer.status(404))
                .then(StreamServer.sse(StreamServer.event(8, "eight")));
        List<String> lines = new ArrayList<>();
        LogStream s = stream(true);
        s.run(l -> {
            lines.add(l);
            if (l.equals("eight")) s.stop();
        });
        assertEquals(List.of("seven", "eight"), lines);
        assertEquals(2, sessions);
        assertTrue(progressBytes.toString(StandardCharsets.UTF_8).contains("Log stream timed out. Please try again."), progressBytes.toString());
        assertEquals("7", server.lastEventIds.get(2), "the new session starts after the last line seen");
    }

    @Test
    void aTailThatKeepsClosingWithoutLinesGivesUpAfterBoundedBackOff() throws Exception {
        for (int i = 0; i <= LogStream.MAX_FAILURES; i++) server.then(StreamServer.sse("retry: 100\n\n"));
        LogStream s = stream(true);
        LogStreamException e = assertThrows(LogStreamException.class, () -> s.run(l -> { }));
        assertTrue(e.getMessage().contains("gave up"), e.getMessage());
        assertEquals(LogStream.MAX_FAILURES + 1, server.connections);
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L), sleeps);
    }

    @Test
    void serverErrorsAndExpiredSessionsWithoutTailAreOneLineFailures() throws Exception {
        server.then(StreamServer.status(500));
        LogStreamException e = assertThrows(LogStreamException.class, () -> stream(true).run(l -> { }));
        assertTrue(e.getMessage().startsWith("Logs eventsource failed with: 500"), e.getMessage());
        assertTrue(!e.getMessage().contains(server.url()), "the capability URL is never printed");

        server.then(StreamServer.status(403));
        LogStreamException gone = assertThrows(LogStreamException.class, () -> stream(false).run(l -> { }));
        assertTrue(gone.getMessage().startsWith("Logs eventsource failed with: 403"), gone.getMessage());
    }

    @Test
    void repeatedExpiryGivesUpWithTheTimeoutMessage() {
        for (int i = 0; i <= LogStream.MAX_FAILURES; i++) server.then(StreamServer.status(404));
        LogStreamException e = assertThrows(LogStreamException.class, () -> stream(true).run(l -> { }));
        assertEquals("Log stream timed out. Please try again.", e.getMessage());
    }

    @Test
    void plainTextStreamsAreReadLineByLineAndOtherTypesRefused() throws Exception {
        server.then(ex -> StreamServer.reply(ex, 200, "text/plain; charset=utf-8", "a line\n\nanother\n"));
        List<String> lines = new ArrayList<>();
        stream(false).run(lines::add);
        assertEquals(List.of("a line", "another"), lines);

        server.then(ex -> StreamServer.reply(ex, 200, "application/json", "{}"));
        LogStreamException e = assertThrows(LogStreamException.class, () -> stream(false).run(l -> { }));
        assertTrue(e.getMessage().contains("Invalid content type"), e.getMessage());
    }

    @Test
    void connectionRefusedIsCountedAndEndsInOneLine() throws Exception {
        server.close();
        LogStreamException e = assertThrows(LogStreamException.class, () -> stream(true).run(l -> { }));
        assertTrue(e.getMessage().contains("gave up"), e.getMessage());
        assertEquals(LogStream.MAX_FAILURES, sleeps.size());
    }

    @Test
    void interruptingTheReaderClosesTheConnection() throws Exception {
        CountDownLatch sent = new CountDownLatch(1);
        CountDownLatch clientGone = new CountDownLatch(1);
        server.then(ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            try {
                out.write(StreamServer.event(1, "hello").getBytes(StandardCharsets.UTF_8));
                out.flush();
                sent.countDown();
                for (int i = 0; i < 2000; i++) {
                    Thread.sleep(20);
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                clientGone.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                stream(true).run(lines::add);
            } catch (Throwable e) {
                ended.set(e);
            }
        });
        t.start();
        assertTrue(sent.await(10, TimeUnit.SECONDS));
        t.interrupt();
        t.join(10_000);
        assertTrue(!t.isAlive());
        assertTrue(ended.get() instanceof InterruptedException, String.valueOf(ended.get()));
        assertTrue(clientGone.await(20, TimeUnit.SECONDS), "the server saw the client go");
        assertEquals(1, server.connections, "no reconnect after a stop");
    }

    @Test
    void theSessionRequestBodyIsWhatTheCliSends() {
        assertEquals("{lines=100, tail=true}", new LogStream.Request(100, true, null, null).body().toString());
        assertEquals("{dyno=web, lines=5, source=app, tail=false}", new LogStream.Request(5, false, "web", "app").body().toString());
    }
}
