package dev.parity.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ColorizerTest {
    static final String TS = "2024-01-25T16:33:07.223456+00:00";
    static final String H12 = TS + " heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow\" dyno=web.1 connect=1ms service=30000ms status=503 bytes=0 protocol=https";

    final Colorizer plain = new Colorizer(false, false);
    final Colorizer colour = new Colorizer(true, false);

    @Test
    void withoutColourTheTextIsWhatHerokuLogsPrints() {
        assertEquals(H12, plain.render(LogLine.parse(H12)));
        // The CLI trims the message and rejoins router fields with single spaces.
        assertEquals(TS + " app[web.1]: hello  world", plain.render(LogLine.parse(TS + " app[web.1]:   hello  world  ")));
        assertEquals(TS + " heroku[router]: at=info status=200", plain.render(LogLine.parse(TS + " heroku[router]: at=info   status=200 ")));
        assertEquals(TS + " app[web.1]: ", plain.render(LogLine.parse(TS + " app[web.1]:")));
        assertEquals("no header  here ", plain.render(LogLine.parse("no header  here ")));
        // HEROKU_LOGS_COLOR=0: the CLI prints lines untouched.
        Colorizer raw = new Colorizer(false, true);
        assertEquals(TS + " app[web.1]:   hello", raw.render(LogLine.parse(TS + " app[web.1]:   hello")));
    }

    @Test
    void colourHighlightsErrorsAndTheRouterKeys() {
        String r = colour.render(LogLine.parse(H12));
        assertTrue(r.startsWith(Colorizer.BOLD_RED + TS + " heroku[router]:" + Colorizer.RESET), r);
        assertTrue(r.contains(Colorizer.DIM + "at=" + Colorizer.RESET + Colorizer.RED + "error"), r);
        assertTrue(r.contains(Colorizer.DIM + "code=" + Colorizer.RESET + Colorizer.BOLD_RED + "H12"), r);
        assertTrue(r.contains(Colorizer.MAGENTA + "GET"), r);
        assertTrue(r.contains(Colorizer.BOLD_RED + "503"), r);
        assertEquals(stripAnsi(plain.render(LogLine.parse(H12))), stripAnsi(r), "colour changes nothing but colour");

        String r14 = colour.render(LogLine.parse(TS + " heroku[web.1]: Error R14 (Memory quota exceeded)"));
        assertTrue(r14.contains(Colorizer.REVERSE_RED + "Error R14 (Memory quota exceeded)"), r14);

        String ok = colour.render(LogLine.parse(TS + " heroku[router]: at=info method=GET status=200 service=5ms"));
        assertFalse(ok.contains(Colorizer.BOLD_RED), ok);
        assertTrue(ok.contains(Colorizer.GREEN + "200"), ok);

        String state = colour.render(LogLine.parse(TS + " heroku[web.1]: State changed from up to crashed"));
        assertTrue(state.contains(Colorizer.RED + "crashed"), state);
        assertEquals("no header", colour.render(LogLine.parse("no header")));
    }

    @Test
    void whenColourIsOn() {
        Map<String, String> none = Map.of();
        assertTrue(Colorizer.colourOn(Colorizer.Mode.AUTO, true, none));
        assertFalse(Colorizer.colourOn(Colorizer.Mode.AUTO, false, none), "not a terminal");
        assertFalse(Colorizer.colourOn(Colorizer.Mode.AUTO, true, Map.of("NO_COLOR", "1")));
        assertTrue(Colorizer.colourOn(Colorizer.Mode.AUTO, true, Map.of("NO_COLOR", "")), "NO_COLOR only counts when non-empty");
        assertFalse(Colorizer.colourOn(Colorizer.Mode.AUTO, true, Map.of("HEROKU_LOGS_COLOR", "0")));
        assertTrue(Colorizer.colourOn(Colorizer.Mode.ALWAYS, false, Map.of("NO_COLOR", "1")));
        assertFalse(Colorizer.colourOn(Colorizer.Mode.NEVER, true, none));
        assertTrue(Colorizer.rawLines(Map.of("HEROKU_COLOR", "0")));
        assertFalse(Colorizer.rawLines(none));
    }

    static String stripAnsi(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "");
    }
}
