package dev.parity.sandbox.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Generated lines follow Heroku's formats (doc section 7.3/7.4); filters and parsing follow logplex. */
class LineGeneratorTest {
    /** The router's key order, with the optional sock= first and code/desc on errors only. */
    static final Pattern ROUTER = Pattern.compile("(sock=(client|backend) )?at=(info|error)( code=H\\d\\d desc=\"[^\"]+\")? method=[A-Z]+ "
            + "path=\"[^\"]*\" host=shop\\.herokuapp\\.com request_id=[0-9a-f-]{36} fwd=\"\\d+\\.\\d+\\.\\d+\\.\\d+\" "
            + "dyno=(web\\.[12])? connect=(\\d+ms)? service=(\\d+ms)? status=\\d{3} bytes=\\d* protocol=https");

    List<RawLine> take(LineGenerator g, LineGenerator.Kind kind, int n) {
        List<RawLine> l = new ArrayList<>();
        g.lines(kind, n).forEachRemaining(l::add);
        return l;
    }

    @Test
    void routerLinesHaveHerokusKeysInOrder() {
        LineGenerator g = new LineGenerator("shop", List.of("web.1", "web.2"), null, 7);
        for (RawLine l : take(g, LineGenerator.Kind.ROUTER_ERROR, 50)) {
            assertEquals("heroku", l.source());
            assertEquals("router", l.dyno());
            assertTrue(ROUTER.matcher(l.message()).matches(), l.message());
            assertTrue(l.message().contains("status=5"), l.message());
        }
        for (RawLine l : take(g, LineGenerator.Kind.ROUTER_OK, 50)) {
            assertTrue(ROUTER.matcher(l.message()).matches(), l.message());
            assertTrue(l.message().startsWith("at=info method="), l.message());
        }
    }

    @Test
    void pinnedH12IsAThirtySecondTimeout() {
        RawLine l = new LineGenerator("shop", List.of("web.1"), "H12", 1).next(LineGenerator.Kind.ROUTER_ERROR);
        assertTrue(l.message().matches("at=error code=H12 desc=\"Request timeout\" .* dyno=web\\.1 connect=\\d+ms service=30000ms status=503 bytes=0 protocol=https"), l.message());
        RawLine h10 = new LineGenerator("shop", List.of(), "H10", 1).next(LineGenerator.Kind.ROUTER_ERROR);
        assertTrue(h10.message().contains(" dyno= connect= service= status=503 bytes= "), h10.message());
        assertThrows(IllegalArgumentException.class, () -> new LineGenerator("shop", List.of(), "H77", 1));
    }

    @Test
    void r14ComesAsMemorySampleThenError() {
        List<RawLine> l = take(new LineGenerator("shop", List.of("web.1"), null, 3), LineGenerator.Kind.R14, 4);
        assertTrue(l.get(0).text().matches("heroku\\[web\\.1\\]: Process running mem=\\d+M\\(\\d+\\.\\d%\\)"), l.get(0).text());
        assertEquals("heroku[web.1]: Error R14 (Memory quota exceeded)", l.get(1).text());
        assertTrue(l.get(2).message().startsWith("Process running mem="));
    }

    @Test
    void sameSeedSameLines() {
        assertEquals(take(new LineGenerator("shop", List.of(), null, 9), LineGenerator.Kind.APP, 20),
                take(new LineGenerator("shop", List.of(), null, 9), LineGenerator.Kind.APP, 20));
    }

    @Test
    void rawLinesParseAndRoundTrip() {
        RawLine l = RawLine.parse("2024-01-25T16:33:07.123456+00:00 heroku[web.1]: State changed from up to starting");
        assertEquals(new RawLine("heroku", "web.1", "State changed from up to starting"), l);
        assertEquals("app[run.4821]: a: b [c]", RawLine.parse("app[run.4821]: a: b [c]").text());
        assertThrows(IllegalArgumentException.class, () -> RawLine.parse("just text"));
    }

    @Test
    void dynoFilterIsAPrefixOnWholeNames() {
        LogLine web1 = line("app", "web.1");
        LogLine web10 = line("app", "web.10");
        LogLine router = line("heroku", "router");
        assertTrue(new LogFilter("web", null).matches(web1));
        assertTrue(new LogFilter("web", null).matches(web10));
        assertTrue(new LogFilter("web.1", null).matches(web1));
        assertFalse(new LogFilter("web.1", null).matches(web10));
        assertFalse(new LogFilter("we", null).matches(web1));
        assertTrue(new LogFilter(null, "heroku").matches(router));
        assertFalse(new LogFilter(null, "app").matches(router));
        assertTrue(LogFilter.ALL.matches(router));
    }

    static LogLine line(String source, String dyno) {
        return new LogLine(1, Instant.EPOCH, source, dyno, "m");
    }
}
