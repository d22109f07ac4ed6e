package dev.parity.sandbox.data;

import dev.parity.sandbox.model.App;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code GET /client/v11/databases/{id}}: what {@code pg:info} shows, measured on the real database. */
public final class DatabaseInfo {
    private static final long PLAN_BYTES = 1L << 30; // essential-0: 1 GB
    private static final int PLAN_TABLES = 4000;
    private static final int PLAN_CONNECTIONS = 20;

    private DatabaseInfo() {}

    public static Map<String, Object> of(App app, PgTools pg) {
        String[] stats = pg.stats(app.databaseName); // size|tables|connections|version
        long size = Long.parseLong(stats[0]);
        long tables = Long.parseLong(stats[1]);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("addon_id", app.addonId);
        m.put("name", app.addonName);
        m.put("plan", "essential-0");
        m.put("platform", "heroku-postgresql");
        m.put("database_name", app.databaseName);
        m.put("database_user", pg.cluster().user());
        m.put("resource_url", pg.cluster().databaseUrl(app.databaseName));
        m.put("num_bytes", size);
        m.put("num_tables", tables);
        m.put("waiting?", false);
        m.put("info", List.of(
                entry("Plan", "Essential 0"),
                entry("Status", "Available"),
                entry("Connections", stats[2] + "/" + PLAN_CONNECTIONS),
                entry("PG Version", stats[3]),
                entry("Created", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(app.createdAt)),
                entry("Data Size", human(size) + " / 1 GB (" + String.format(Locale.ROOT, "%.2f", 100.0 * size / PLAN_BYTES) + "%)"),
                entry("Tables", tables + "/" + PLAN_TABLES + " (In compliance)"),
                entry("Fork/Follow", "Unsupported"),
                entry("Rollback", "Unsupported"),
                entry("Continuous Protection", "Off")));
        return m;
    }

    private static Map<String, Object> entry(String name, String value) {
        return Map.of("name", name, "values", List.of(value));
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
