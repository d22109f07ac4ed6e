package dev.parity.deploys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorWatchTest {
    static final Instant DEPLOY = Instant.parse("2026-03-01T12:10:00Z");
    static final Duration WINDOW = Duration.ofMinutes(2);

    static String router(String time, int status) {
        return time + " heroku[router]: at=info method=GET path=\"/\" host=a.herokuapp.com status=" + status + " bytes=10";
    }

    @Test
    void onlyErrorsTimedInTheWindowBeforeTheDeployCount() {
        List<String> lines = List.of(
                router("2026-03-01T12:07:59.000000+00:00", 500),   // before the window
                router("2026-03-01T12:08:00.000000+00:00", 503),   // its first instant
                "2026-03-01T12:09:00.000000+00:00 app[web.1]: Error R14 (Memory quota exceeded)",
                router("2026-03-01T12:09:30.000000+00:00", 200),
                "2026-03-01T13:09:30.000000+01:00 heroku[router]: at=error code=H12 desc=\"Request timeout\"", // 12:09:30 UTC
                router("2026-03-01T12:10:00.000000+00:00", 500),   // the deploy's instant: after
                "no timestamp heroku[router]: at=error code=H10");
        ErrorWatch.Count c = ErrorWatch.before(lines, DEPLOY, WINDOW, false);
        assertEquals(3, c.errors());
        assertEquals(WINDOW, c.covered());
        assertEquals("1.5/min (3 errors in 2m)", c.describe());
    }

    @Test
    void aFullBacklogThatDoesNotReachBackCoversOnlyFromItsOldestLine() {
        List<String> lines = List.of(router("2026-03-01T12:09:30.000000+00:00", 500), router("2026-03-01T12:09:45.000000+00:00", 500));
        ErrorWatch.Count c = ErrorWatch.before(lines, DEPLOY, WINDOW, true);
        assertEquals(Duration.ofSeconds(30), c.covered());
        assertEquals(4.0, c.perMinute());
    }

    @Test
    void clearlyWorseNeedsThreeErrorsAndMoreThanTwiceTheRate() {
        ErrorWatch.Count none = new ErrorWatch.Count(0, WINDOW);
        assertFalse(ErrorWatch.clearlyWorse(none, new ErrorWatch.Count(2, WINDOW)), "two errors are noise");
        assertTrue(ErrorWatch.clearlyWorse(none, new ErrorWatch.Count(3, WINDOW)));
        assertFalse(ErrorWatch.clearlyWorse(new ErrorWatch.Count(5, WINDOW), new ErrorWatch.Count(10, WINDOW)), "twice is not more than twice");
        assertTrue(ErrorWatch.clearlyWorse(new ErrorWatch.Count(5, WINDOW), new ErrorWatch.Count(11, WINDOW)));
    }

    @Test
    void durationsAreSecondsMinutesOrHours() {
        assertEquals(Duration.ofMinutes(2), ErrorWatch.parse("2m"));
        assertEquals(Duration.ofSeconds(90), ErrorWatch.parse("90"));
        assertEquals(Duration.ofHours(1), ErrorWatch.parse("1h"));
        assertEquals("--watch must be a duration such as 90s or 2m, not 'soon'",
                assertThrows(IllegalArgumentException.class, () -> ErrorWatch.parse("soon")).getMessage());
        assertEquals("--watch must be at least 1s", assertThrows(IllegalArgumentException.class, () -> ErrorWatch.parse("0s")).getMessage());
        assertEquals("--watch must be a duration such as 90s or 2m, not '-1m'",
                assertThrows(IllegalArgumentException.class, () -> ErrorWatch.parse("-1m")).getMessage());
        assertEquals(Duration.ofHours(24), ErrorWatch.parse("24h"));
        // beyond a day, and past what a Duration holds: refused, never an arithmetic overflow
        for (String huge : new String[] {"25h", "99999h", "9223372036854775807h", "99999999999999999999"}) {
            assertEquals("--watch must be at most 24h, not '" + huge + "'",
                    assertThrows(IllegalArgumentException.class, () -> ErrorWatch.parse(huge)).getMessage());
        }
    }
}
