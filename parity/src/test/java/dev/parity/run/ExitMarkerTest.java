package dev.parity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ExitMarkerTest {

    record Filtered(String out, OptionalInt status) {}

    /** Feeds {@code stream} in chunks of {@code chunk} bytes, as the network might split it. */
    static Filtered feed(String stream, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExitMarker m = new ExitMarker(out);
        byte[] b = stream.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += chunk) m.write(b, i, Math.min(chunk, b.length - i));
        m.finish();
        return new Filtered(out.toString(StandardCharsets.UTF_8), m.status());
    }

    @Test
    void wrapAppendsTheCliEcho() {
        assertEquals("rake db:migrate ; echo \"\uFFFF heroku-command-exit-status: $?\"", ExitMarker.wrap("rake db:migrate"));
    }

    @Test
    void markerLineIsRemovedAndCrlfUndoneWhateverTheChunking() throws IOException {
        String stream = "== migrating\r\nü done ✓\r\n\uFFFF heroku-command-exit-status: 0\r\n";
        for (int chunk = 1; chunk <= stream.length() + 5; chunk++) {
            Filtered f = feed(stream, chunk);
            assertEquals("== migrating\nü done ✓\n", f.out(), "chunk " + chunk);
            assertEquals(OptionalInt.of(0), f.status(), "chunk " + chunk);
        }
    }

    @Test
    void nonZeroStatusIsRead() throws IOException {
        assertEquals(OptionalInt.of(42), feed("boom\r\n\uFFFF heroku-command-exit-status: 42\r\n", 7).status());
    }

    @Test
    void noMarkerMeansNoStatus() throws IOException {
        Filtered f = feed("killed\r\n", 3);
        assertEquals("killed\n", f.out());
        assertTrue(f.status().isEmpty());
    }

    @Test
    void lastLineWithoutNewlineKeepsItsText() throws IOException {
        for (int chunk : new int[] {1, 4, 100}) {
            Filtered f = feed("partial\uFFFF heroku-command-exit-status: 5\r\n", chunk);
            assertEquals("partial\n", f.out(), "chunk " + chunk);
            assertEquals(OptionalInt.of(5), f.status());
        }
    }

    @Test
    void markerWithoutItsNewlineAtTheEndStillCounts() throws IOException {
        Filtered f = feed("x\r\n\uFFFF heroku-command-exit-status: 7", 2);
        assertEquals("x\n", f.out());
        assertEquals(OptionalInt.of(7), f.status());
    }

    @Test
    void textThatOnlyLooksLikeTheMarkerIsKept() throws IOException {
        Filtered f = feed("\uFFFF heroku-command-exit-status: soon\r\nlone \r in a line\r\n", 3);
        assertEquals("\uFFFF heroku-command-exit-status: soon\nlone \r in a line\n", f.out());
        assertTrue(f.status().isEmpty());
    }

    @Test
    void partialLinesStreamBeforeTheirNewline() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExitMarker m = new ExitMarker(out);
        byte[] b = "progress...".getBytes(StandardCharsets.UTF_8);
        m.write(b, 0, b.length);
        assertEquals("progress...", out.toString(StandardCharsets.UTF_8), "written at once, not held for the newline");
    }
}
