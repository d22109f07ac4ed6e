package dev.parity.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogFilterTest {
    static final String TS = "2024-01-25T16:33:07.223456+00:00 ";

    static LogLine line(String s) {
        return LogLine.parse(TS + s);
    }

    @Test
    void errorLines() {
        List<String> errors = List.of(
                "heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=\"/\" dyno=web.1 connect=1ms service=30000ms status=503 bytes=0",
                "heroku[router]: at=error code=H10 desc=\"App crashed\" method=GET path=\"/\" dyno= connect= service= status=503 bytes=",
                "heroku[router]: at=info method=GET path=\"/boom\" dyno=web.1 connect=0ms service=5ms status=500 bytes=10",
                "heroku[router]: sock=client at=info code=H27 desc=\"Client Request Interrupted\" status=499",
                "heroku[web.1]: Error R14 (Memory quota exceeded)",
                "heroku[logplex]: Error L10 (output buffer overflow): 3 messages dropped since 2024-01-25T16:00:00+00:00.",
                "heroku[web.2]: Error R10 (Boot timeout) -> Web process failed to bind to $PORT",
                "app[web.1]: upstream said code=H12");
        for (String e : errors) assertTrue(LogFilter.isError(line(e)), e);
    }

    @Test
    void nonErrorLines() {
        List<String> fine = List.of(
                "heroku[router]: at=info method=GET path=\"/\" dyno=web.1 connect=0ms service=5ms status=200 bytes=10",
                "heroku[router]: at=info method=GET path=\"/missing\" dyno=web.1 status=404 bytes=10",
                "heroku[router]: at=info method=GET path=\"/Error H12\" status=200",
                "heroku[web.1]: Process running mem=600M(117.2%)",
                "heroku[web.1]: State changed from starting to up",
                "app[web.1]: Error H123 is not a code",
                "app[web.1]: ErrorR14 glued",
                "app[worker.1]: Completed 200 OK in 5ms");
        for (String f : fine) assertFalse(LogFilter.isError(line(f)), f);
    }

    @Test
    void psDynoAndSource() {
        LogFilter web = new LogFilter("web", null, null, false);
        assertTrue(web.matches(line("app[web.1]: x")));
        assertTrue(web.matches(line("heroku[web]: x")));
        assertFalse(web.matches(line("app[worker.1]: x")));
        assertFalse(web.matches(line("heroku[router]: at=info dyno=web.1")));
        LogFilter web1 = new LogFilter(null, "web.1", null, false);
        assertTrue(web1.matches(line("app[web.1]: x")));
        assertFalse(web1.matches(line("app[web.10]: x")));
        LogFilter app = new LogFilter(null, null, "app", false);
        assertTrue(app.matches(line("app[web.1]: x")));
        assertFalse(app.matches(line("heroku[web.1]: x")));
        assertTrue(LogFilter.ALL.matches(LogLine.parse("no header at all")));
        assertFalse(app.matches(LogLine.parse("no header at all")));
        LogFilter webErrors = new LogFilter("web", null, "heroku", true);
        assertTrue(webErrors.matches(line("heroku[web.1]: Error R14 (Memory quota exceeded)")));
        assertFalse(webErrors.matches(line("heroku[web.1]: Process running mem=600M(117.2%)")));
        assertFalse(webErrors.matches(line("heroku[worker.1]: Error R14 (Memory quota exceeded)")));
        assertEquals(false, new LogFilter(null, null, null, true).matches(line("app[web.1]: hello")));
    }
}
