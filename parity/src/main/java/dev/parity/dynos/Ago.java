package dev.parity.dynos;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * The official CLI's time column ({@code lib/time.js} {@code ago}): the instant in the local time zone
 * as {@code %Y/%m/%d %H:%M:%S %z}, then {@code (~ Ns ago)} under a minute, {@code (~ Nm ago)} under
 * an hour, {@code (~ Nh ago)} under 25 hours, and nothing when older. Elapsed time is whole seconds,
 * rounded down, as the CLI does.
 */
public final class Ago {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss xx", Locale.ROOT);

    private Ago() {}

    public static String format(Instant at, Instant now, ZoneId zone) {
        String message = FORMAT.format(at.atZone(zone));
        long elapsed = Math.floorDiv(now.toEpochMilli() - at.toEpochMilli(), 1000L);
        if (elapsed < 60) return message + " (~ " + elapsed + "s ago)";
        if (elapsed < 60 * 60) return message + " (~ " + Math.floorDiv(elapsed, 60) + "m ago)";
        if (elapsed < 60 * 60 * 25) return message + " (~ " + Math.floorDiv(elapsed, 3600) + "h ago)";
        return message;
    }

    /** The local zone as the CLI sees it: {@code TZ} from the environment when it names a zone, else the system's. */
    public static ZoneId zone(Map<String, String> env) {
        String tz = env.get("TZ");
        if (tz != null && !tz.isBlank()) {
            String name = tz.startsWith(":") ? tz.substring(1) : tz;
            try {
                return ZoneId.of(name);
            } catch (DateTimeException e) {
                if (name.startsWith("/")) { // TZ=/usr/share/zoneinfo/Europe/Paris
                    int at = name.indexOf("zoneinfo/");
                    if (at >= 0) {
                        try {
                            return ZoneId.of(name.substring(at + "zoneinfo/".length()));
                        } catch (DateTimeException ignored) {
                            // fall through to UTC, as libc does for an unknown TZ
                        }
                    }
                }
                return ZoneId.of("UTC");
            }
        }
        return ZoneId.systemDefault();
    }
}
