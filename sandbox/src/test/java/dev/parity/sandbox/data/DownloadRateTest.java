package dev.parity.sandbox.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The token bucket on a fake clock: how long sending takes at a rate is arithmetic, not a stopwatch. */
class DownloadRateTest {
    /** A clock that only moves when the bucket sleeps. */
    static final class FakeTicker implements DownloadRate.Ticker {
        long now = 1_000_000_000L;
        long slept;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
            slept += nanos;
        }
    }

    @Test
    void sendingTenMegabytesAtFiveMegabytesASecondTakesTwoSeconds() throws Exception {
        FakeTicker t = new FakeTicker();
        DownloadRate rate = new DownloadRate(t);
        rate.set(DownloadRate.parse("5MB/s"));
        for (int sent = 0; sent < 10_000_000; sent += 64 * 1024) rate.take(Math.min(64 * 1024, 10_000_000 - sent));
        assertEquals(2.0, t.slept / 1e9, 0.001);
    }

    @Test
    void timeSpentElsewhereIsCreditedOnlyUpToASmallBurst() throws Exception {
        FakeTicker t = new FakeTicker();
        DownloadRate rate = new DownloadRate(t);
        rate.set(10_000_000);
        t.now += 60_000_000_000L; // a minute idle must not let the next ten megabytes through at once
        rate.take(10_000_000);
        // the burst is a twentieth of a second's worth: the rest waits
        assertEquals(0.95, t.slept / 1e9, 0.001);
    }

    @Test
    void unlimitedNeverWaits() throws Exception {
        FakeTicker t = new FakeTicker();
        DownloadRate rate = new DownloadRate(t);
        for (int i = 0; i < 1000; i++) rate.take(1 << 20);
        rate.set(DownloadRate.parse("unlimited"));
        rate.take(1 << 30);
        assertEquals(0, t.slept);
    }

    @Test
    void ratesAreReadAndShownInNetworkUnits() {
        assertEquals(50_000_000, DownloadRate.parse("50MB/s"));
        assertEquals(50_000_000, DownloadRate.parse("50 mb/s"));
        assertEquals(2 * 1024 * 1024, DownloadRate.parse("2MiB/s"));
        assertEquals(800_000, DownloadRate.parse("800kB/s"));
        assertEquals(1_500_000, DownloadRate.parse("1.5MB"));
        assertEquals(12345, DownloadRate.parse("12345"));
        assertEquals(0, DownloadRate.parse("unlimited"));
        assertEquals("50 MB/s", DownloadRate.describe(50_000_000));
        assertEquals("1.5 MB/s", DownloadRate.describe(1_500_000));
        assertEquals("800 kB/s", DownloadRate.describe(800_000));
        assertEquals("unlimited", DownloadRate.describe(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DownloadRate.parse("fast"));
        assertTrue(e.getMessage().contains("like 50MB/s") && e.getMessage().contains("'fast'"), e.getMessage());
    }
}
