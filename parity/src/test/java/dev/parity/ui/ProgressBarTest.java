package dev.parity.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The download's progress line, driven by a fake clock: bytes, percentage, rate, ETA; a summary at the end. */
class ProgressBarTest {
    static final long MB = 1024 * 1024;
    static final long SECOND = 1_000_000_000L;
    static final String CLEAR = "\u001b[K";

    ByteArrayOutputStream bytes;
    PrintStream err;
    AtomicLong clock;

    @BeforeEach
    void setUp() {
        bytes = new ByteArrayOutputStream();
        err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        clock = new AtomicLong(1_000 * SECOND); // an arbitrary origin: only differences count
    }

    String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    ProgressBar bar(long total, long from, boolean terminal) {
        return new ProgressBar(err, "download", total, from, terminal, clock::get);
    }

    void after(double seconds) {
        clock.addAndGet((long) (seconds * SECOND));
    }

    @Test
    void lineShowsBytesPercentageRateAndTimeLeft() {
        ProgressBar bar = bar(10 * MB, 0, true);
        long start = clock.get();
        assertEquals("download [############            ]  50% 5.0 MB/10.0 MB 2.5 MB/s ETA 00:02", bar.line(5 * MB, start + 2 * SECOND));
        assertEquals("download [                        ]   0% 0 B/10.0 MB 0 B/s ETA --:--", bar.line(0, start + SECOND));
        assertEquals("download [########################] 100% 10.0 MB/10.0 MB 1.0 MB/s ETA 00:00", bar.line(10 * MB, start + 10 * SECOND));
        assertEquals("download [                        ]   1% 100.0 kB/10.0 MB 1.0 kB/s ETA 2:49:00",
                bar.line(100 * 1024, start + 100 * SECOND));
    }

    @Test
    void resumedTransferCountsItsRateFromWhereItResumed() {
        ProgressBar bar = bar(10 * MB, 4 * MB, true);
        // 2 MB in 1 s since resuming at 4 MB: 2 MB/s, 4 MB left → 2 s
        assertEquals("download [##############          ]  60% 6.0 MB/10.0 MB 2.0 MB/s ETA 00:02", bar.line(6 * MB, clock.get() + SECOND));
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAtMostFiveTimesASecond() {
        ProgressBar bar = bar(10 * MB, 0, true);
        bar.update(MB); // first update draws at once
        after(0.1);
        bar.update(2 * MB); // too soon
        after(0.05);
        bar.update(3 * MB); // still too soon
        after(0.05);
        bar.update(4 * MB); // 200 ms after the first drawing
        String out = printed();
        assertEquals(2, out.chars().filter(c -> c == '\r').count(), out);
        assertTrue(out.startsWith("\rdownload [##"), out);
        assertTrue(out.contains(" 1.0 MB/10.0 MB ") && out.contains(" 4.0 MB/10.0 MB "), out);
        assertFalse(out.contains(" 2.0 MB/10.0 MB ") || out.contains(" 3.0 MB/10.0 MB "), out);
        assertTrue(out.endsWith(CLEAR), "each drawing clears the rest of the line: " + out);
        assertFalse(out.contains("\n"), "the bar stays on one line");
    }

    @Test
    void doneAfterABarClearsItAndPrintsTheSummary() {
        ProgressBar bar = bar(10 * MB, 0, true);
        bar.update(MB);
        after(4);
        bar.done(10 * MB);
        String out = printed();
        assertTrue(out.endsWith("\r" + CLEAR + "parity: download: 10.0 MB in 4.0s (2.5 MB/s)" + System.lineSeparator()), out);
    }

    @Test
    void offATerminalNothingIsDrawnOnlyTheSummary() {
        ProgressBar bar = bar(10 * MB, 0, false);
        for (int i = 1; i <= 10; i++) {
            after(0.5);
            bar.update(i * MB);
        }
        assertEquals("", printed(), "no bar in a log");
        bar.done(10 * MB);
        assertEquals("parity: download: 10.0 MB in 5.0s (2.0 MB/s)" + System.lineSeparator(), printed());
    }

    @Test
    void summaryOfAResumedTransferCountsOnlyWhatItTransferred() {
        ProgressBar bar = bar(10 * MB, 6 * MB, false);
        after(2);
        bar.done(10 * MB);
        assertEquals("parity: download: 10.0 MB in 2.0s (2.0 MB/s)" + System.lineSeparator(), printed());
    }

    @Test
    void abandonClearsADrawnBarAndPrintsNothingOtherwise() {
        ProgressBar quiet = bar(10 * MB, 0, true);
        quiet.abandon();
        assertEquals("", printed());
        ProgressBar drawn = bar(10 * MB, 0, true);
        drawn.update(MB);
        bytes.reset();
        drawn.abandon();
        assertEquals("\r" + CLEAR, printed());
    }

    @Test
    void onStderrDrawsOnlyForAPersonAtATerminalWithoutNoProgress() {
        assertDraws(true, Map.of(), true);
        assertDraws(false, Map.of(), false);
        assertDraws(false, Map.of("NO_PROGRESS", "1"), true);
        assertDraws(true, Map.of("NO_PROGRESS", ""), true);
    }

    private void assertDraws(boolean expected, Map<String, String> env, boolean interactive) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        Io io = new Io(new PrintStream(new ByteArrayOutputStream()), new PrintStream(e, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), env, Path.of("."), interactive);
        ProgressBar bar = ProgressBar.onStderr(io, "download", 10 * MB, 0);
        bar.update(MB);
        assertEquals(expected, e.toString(StandardCharsets.UTF_8).contains("\r"), env + ", interactive " + interactive);
    }

    /** bytes | shown */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "0 | 0 B",
        "1023 | 1023 B",
        "1024 | 1.0 kB",
        "1536 | 1.5 kB",
        "1048576 | 1.0 MB",
        "1073741824 | 1.0 GB",
        "1610612736 | 1.5 GB",
        "1099511627776 | 1.0 TB",
        "1125899906842624 | 1024.0 TB",
    })
    void sizesUseBinaryUnits(long n, String shown) {
        assertEquals(shown, ProgressBar.size(n));
    }

    /** seconds | shown */
    @ParameterizedTest(name = "{0}s → {1}")
    @CsvSource(delimiter = '|', value = {"0 | 00:00", "59 | 00:59", "61 | 01:01", "3599 | 59:59", "3600 | 1:00:00", "86399 | 23:59:59",
        "90061 | 25:01:01"})
    void timesLeftShowMinutesAndSecondsThenHours(long seconds, String shown) {
        assertEquals(shown, ProgressBar.duration(seconds));
    }
}
