package dev.parity.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineTest {
    static final String TS = "2024-01-25T16:33:07.223456+00:00";
    static final String ROUTER = TS + " heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow?a=b c\" "
            + "host=myapp.herokuapp.com request_id=0f5e fwd=\"1.2.3.4\" dyno= connect= service=30000ms status=503 bytes= protocol=https";

    @Test
    void splitsTimestampSourceDynoAndMessage() {
        LogLine l = LogLine.parse(TS + " app[web.1]: Started GET \"/\"");
        assertTrue(l.hasHeader());
        assertEquals(TS, l.timestamp());
        assertEquals("app", l.source());
        assertEquals("web.1", l.dyno());
        assertEquals("web", l.identifier());
        assertEquals(TS + " app[web.1]:", l.header());
        assertEquals("Started GET \"/\"", l.message());
        assertFalse(l.isRouter());
    }

    @Test
    void dynoNamesFollowTheCliHeaderRule() {
        assertEquals("run.4821", LogLine.parse(TS + " app[run.4821]: x").dyno());
        assertEquals("web-123-456", LogLine.parse(TS + " app[web-123-456]: x").identifier());
        assertEquals("heroku-postgres", LogLine.parse(TS + " app[heroku-postgres]: x").dyno());
        // A bracket in the message does not count; the first real header does.
        LogLine l = LogLine.parse(TS + " app[web.2]: [info] done [a]: b");
        assertEquals("web.2", l.dyno());
        assertEquals("[info] done [a]: b", l.message());
    }

    @Test
    void aLineWithoutHeaderIsKeptWhole() {
        LogLine l = LogLine.parse("just text [not a header]");
        assertFalse(l.hasHeader());
        assertEquals("", l.dyno());
        assertEquals("", l.source());
        assertEquals("just text [not a header]", l.message());
        assertFalse(l.dynoMatches("web"));
    }

    @Test
    void routerFieldsWithQuotedAndEmptyValues() {
        LogLine l = LogLine.parse(ROUTER);
        assertTrue(l.isRouter());
        List<String> pairs = new ArrayList<>();
        l.fields((k, v) -> pairs.add(k + "=" + v));
        assertEquals(List.of("at=error", "code=H12", "desc=Request timeout", "method=GET", "path=/slow?a=b c",
                "host=myapp.herokuapp.com", "request_id=0f5e", "fwd=1.2.3.4", "dyno=", "connect=", "service=30000ms",
                "status=503", "bytes=", "protocol=https"), pairs);
        assertEquals("", l.field("dyno"));
        assertEquals("Request timeout", l.field("desc"));
        assertNull(l.field("sock"));
    }

    @Test
    void unknownKeysAndWordsWithoutValuesAreTolerated() {
        LogLine l = LogLine.parse(TS + " heroku[router]: sock=client at=info code=H27 weird new_key=1 status=499 \"unterminated=");
        assertEquals("client", l.field("sock"));
        assertEquals("1", l.field("new_key"));
        assertEquals("499", l.field("status"));
    }

    @Test
    void dynoPrefixRule() {
        LogLine web1 = LogLine.parse(TS + " app[web.1]: x");
        LogLine web10 = LogLine.parse(TS + " app[web.10]: x");
        LogLine webhook = LogLine.parse(TS + " app[webhook.1]: x");
        assertTrue(web1.dynoMatches("web"));
        assertTrue(web1.dynoMatches("web.1"));
        assertFalse(web10.dynoMatches("web.1"));
        assertTrue(web10.dynoMatches("web"));
        assertFalse(webhook.dynoMatches("web"));
    }
}
