package dev.parity.sandbox.native_.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.pgcluster.PostgresCluster;
import dev.parity.sandbox.api.DataApi;
import dev.parity.sandbox.data.PublicUrls;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.support.GitRepo;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One sandbox for a restore test class: apps with real Postgres add-ons, a git repository whose
 * remotes name them, the local development database on the sandbox's own cluster, and parity run
 * as its own process (as the launcher runs it) so the heroku CLI's messages are seen too.
 */
final class RestoreSandbox implements AutoCloseable {
    static final String DEV_DB = "shop_development";
    static final String PREVIOUS = DEV_DB + "_parity_previous";
    static final String TEMPORARY = DEV_DB + "_parity_restore";

    /**
     * A small shop with every kind of object a restore must bring over: rows, a serial and a
     * free-standing sequence, indexes (one on an expression), primary, unique, check and foreign
     * keys, a view, a function, and a column of an extension's type (citext).
     */
    static final String SHOP = """
            CREATE EXTENSION IF NOT EXISTS citext;
            CREATE TABLE customers (id bigserial PRIMARY KEY, email citext NOT NULL UNIQUE, name text NOT NULL);
            CREATE TABLE orders (id serial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers(id),
                                 total numeric(10,2) NOT NULL CHECK (total >= 0), placed_at timestamptz NOT NULL DEFAULT '2026-01-01');
            CREATE INDEX orders_customer_idx ON orders (customer_id);
            CREATE INDEX customers_lower_name_idx ON customers (lower(name));
            CREATE SEQUENCE invoice_numbers START 1000;
            SELECT setval('invoice_numbers', 1041);
            CREATE VIEW order_totals AS
                SELECT c.email, count(o.id) AS orders, sum(o.total) AS total FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.email;
            CREATE FUNCTION order_count(cid bigint) RETURNS bigint LANGUAGE sql STABLE
                AS $$ SELECT count(*) FROM orders WHERE customer_id = cid $$;
            """;

    /** {@code customers} customers and {@code orders} orders, spread over them. */
    static String shopRows(int customers, int orders) {
        return "INSERT INTO customers (email, name) SELECT 'Customer' || g || '@Example.com', 'customer ' || g FROM generate_series(1, "
                + customers + ") g; INSERT INTO orders (customer_id, total) SELECT 1 + g % " + customers + ", g * 1.25 FROM generate_series(1, "
                + orders + ") g;";
    }

    /**
     * What a restore must reproduce, one line per fact, sorted: each table's rows, every index,
     * constraint, sequence position, view, function and column type in schema public, the
     * extensions, and a few answers that only work if the objects really work (citext compares
     * without case, the function and the view answer).
     */
    static final String FINGERPRINT = """
            SELECT line FROM (
              SELECT 'rows ' || table_name || ' ' || (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I',
                     table_schema, table_name), false, true, '')))[1]::text AS line
                FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
              UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
              UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
                FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 0
              UNION ALL SELECT 'sequence ' || sequencename || ' ' || coalesce(last_value::text, 'unused') FROM pg_sequences WHERE schemaname = 'public'
              UNION ALL SELECT 'view ' || viewname || ' ' || regexp_replace(definition, '\\s+', ' ', 'g') FROM pg_views WHERE schemaname = 'public'
              UNION ALL SELECT 'function ' || p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
              UNION ALL SELECT 'column ' || table_name || '.' || column_name || ' ' || udt_name
                FROM information_schema.columns WHERE table_schema = 'public'
              UNION ALL SELECT 'extension ' || extname FROM pg_extension
            ) facts ORDER BY line""";

    static final String SHOP_ANSWERS = "SELECT (SELECT count(*) FROM customers WHERE email = 'CUSTOMER7@EXAMPLE.COM') || ' '"
            + " || order_count(1) || ' ' || (SELECT sum(orders) FROM order_totals) || ' ' || nextval('invoice_numbers')";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final Path dir;
    final SandboxFixture f;
    final PostgresCluster cluster;
    final Path repo;
    final Path cache;
    private final Map<String, String> env;

    record Outcome(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private RestoreSandbox(Path dir, SandboxFixture f) throws Exception {
        this.dir = dir;
        this.f = f;
        this.cluster = f.sandbox().cluster();
        this.repo = Files.createDirectories(dir.resolve("shop"));
        this.cache = dir.resolve("cache");
        GitRepo.init(repo, "main");
        Files.writeString(repo.resolve(".parity.yml"), "development:\n  database: " + DEV_DB + "\n");
        Map<String, String> e = new HashMap<>(f.env());
        e.putAll(cluster.libpqEnv()); // the development database lives on the sandbox's cluster
        e.put("XDG_CACHE_HOME", cache.toString());
        e.put("PATH", cluster.binDir() + File.pathSeparator + SandboxFixture.HEROKU.getParent() + File.pathSeparator + e.get("PATH"));
        if (System.getenv("JAVA_HOME") != null) e.put("JAVA_HOME", System.getenv("JAVA_HOME"));
        this.env = e;
    }

    static RestoreSandbox start(Path dir) throws Exception {
        if (!SandboxFixture.herokuInstalled()) {
            throw new AssertionError("the pinned heroku CLI is not installed: run tools/install-heroku-cli");
        }
        return new RestoreSandbox(dir, SandboxFixture.start(dir));
    }

    /** A new app with a Postgres add-on, named by git remote {@code remote}. */
    App app(String remote, String name) throws Exception {
        App app = f.sandbox().createApp(name, true, Map.of());
        GitRepo.run(repo, "git", "remote", "add", remote, f.sandbox().baseUrl() + "/" + name + ".git");
        return app;
    }

    String sql(App app, String sql) {
        return cluster.psql(app.databaseName, sql);
    }

    String sql(String database, String sql) {
        return cluster.psql(database, sql);
    }

    String fingerprint(App app) {
        return fingerprint(app.databaseName);
    }

    String fingerprint(String database) {
        return cluster.psql(database, FINGERPRINT);
    }

    /** {@code heroku pg:backups:capture} of the app, as its users take backups; returns the backup's name. */
    String capture(App app) throws Exception {
        SandboxFixture.Outcome o = f.heroku("pg:backups:capture", "--app", app.name);
        assertEquals(0, o.exitCode(), o.toString());
        Matcher m = Pattern.compile("Backing up DATABASE to (b\\d+)\\.\\.\\. done").matcher(o.err());
        assertTrue(m.find(), o.toString());
        return m.group(1);
    }

    /** An app's database emptied and given one table of its own that a reset would lose. */
    void ownData(App app, String table, int rows) {
        recreate(app.databaseName);
        sql(app, "CREATE TABLE " + table + " (id int PRIMARY KEY, note text NOT NULL);"
                + " INSERT INTO " + table + " SELECT g, 'kept ' || g FROM generate_series(1, " + rows + ") g");
    }

    /** That table is still there with all its rows, and nothing else was added. */
    void assertOwnData(App app, String table, int rows) {
        assertEquals(table, sql(app, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'"),
                app.name + " was reset or changed");
        assertEquals(String.valueOf(rows), sql(app, "SELECT count(*) FROM " + table), app.name + " lost rows");
    }

    void recreate(String database) {
        cluster.psql("postgres", "DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
        cluster.createDatabase(database);
    }

    void drop(String database) {
        cluster.psql("postgres", "DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
    }

    boolean exists(String database) {
        return cluster.databaseExists(database);
    }

    /** The local development database as a developer left it: one table of local work, no companions (no snapshots either). */
    void localWork() {
        drop(PREVIOUS);
        drop(TEMPORARY);
        for (String snapshot : sql("postgres", "SELECT string_agg(datname, ',') FROM pg_database WHERE datname LIKE '" + DEV_DB
                + "\\_parity\\_snapshot%'").split(",")) {
            if (!snapshot.isEmpty()) drop(snapshot);
        }
        recreate(DEV_DB);
        sql(DEV_DB, "CREATE TABLE local_work (note text); INSERT INTO local_work VALUES ('my unsaved experiment')");
    }

    /** The local database is exactly the developer's, and no restore left a companion behind. */
    void assertLocalWorkUntouched() {
        assertTrue(exists(DEV_DB), DEV_DB + " is gone");
        assertEquals("local_work", sql(DEV_DB, "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'"));
        assertEquals("my unsaved experiment", sql(DEV_DB, "SELECT note FROM local_work"));
        assertFalse(exists(TEMPORARY), "a temporary database was left behind");
        assertFalse(exists(PREVIOUS), "the local database was swapped out");
    }

    /** No dump (complete or partial) stays in the cache after a restore without --keep-dump. */
    void assertNoDumpLeft() throws IOException {
        Path dumps = cache.resolve("parity/dumps");
        if (!Files.isDirectory(dumps)) return;
        try (Stream<Path> files = Files.list(dumps)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).toList(), "files left in " + dumps);
        }
    }

    /** The sandbox's download URLs, whose lifetime a test may shorten. */
    PublicUrls publicUrls() {
        return f.sandbox().part(DataApi.class).publicUrls();
    }

    /** The secret part of every download URL the sandbox handed out: must never appear in parity's output. */
    static void assertNoBackupUrl(Outcome o) {
        assertFalse(Pattern.compile("/backups/[0-9a-f]{48}/").matcher(o.out() + o.err()).find(), "a backup URL was printed\n" + o);
    }

    /**
     * A {@code heroku} ahead of the real one that, when called with {@code subcommand} first,
     * makes the sandbox fail the next {@code count} API requests with {@code status}: a fault
     * that strikes exactly at one step of parity's sequence.
     */
    Map<String, String> faultOn(String subcommand, int count, int status) throws IOException {
        Path shim = Files.createDirectories(dir.resolve("shim-" + subcommand.replace(':', '-') + "-" + status));
        Path heroku = shim.resolve("heroku");
        Files.writeString(heroku, "#!/bin/sh\n"
                + "if [ \"$1\" = '" + subcommand + "' ]; then\n"
                + "  curl -s -o /dev/null -X POST -H \"Authorization: Bearer $HEROKU_API_KEY\" -H 'Content-Type: application/json' \\\n"
                + "    -d '{\"fail\": " + count + ", \"status\": " + status + "}' \"$HEROKU_HOST/sandbox/faults\"\n"
                + "fi\n"
                + "exec '" + SandboxFixture.HEROKU + "' \"$@\"\n");
        Files.setPosixFilePermissions(heroku, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Map.of("PATH", shim + File.pathSeparator + env.get("PATH"));
    }

    /**
     * A {@code heroku} ahead of the real one that, called with {@code subcommand} first, waits
     * {@code seconds} before doing it: a step that is still running when a test interrupts parity.
     */
    Map<String, String> slow(String subcommand, int seconds) throws IOException {
        Path shim = Files.createDirectories(dir.resolve("shim-slow-" + subcommand.replace(':', '-')));
        Path heroku = shim.resolve("heroku");
        Files.writeString(heroku, "#!/bin/sh\n"
                + "if [ \"$1\" = '" + subcommand + "' ]; then sleep " + seconds + "; fi\n"
                + "exec '" + SandboxFixture.HEROKU + "' \"$@\"\n");
        Files.setPosixFilePermissions(heroku, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Map.of("PATH", shim + File.pathSeparator + env.get("PATH"));
    }

    /**
     * {@code parity ARGS} stopped by SIGINT where it pauses at {@code point} ({@code PARITY_TEST_PAUSE},
     * e.g. {@code step:4}); its exit code and stderr.
     */
    Outcome interruptedAt(String point, String... args) throws Exception {
        return signalledAt(point, "INT", () -> {}, args);
    }

    /** As {@link #interruptedAt}, with {@code signal} (INT, TERM, KILL), after {@code whilePaused} has run. */
    Outcome signalledAt(String point, String signal, Runnable whilePaused, String... args) throws Exception {
        Path err = Files.createTempFile(dir, "interrupted", ".err");
        Process p = start(Map.of("PARITY_TEST_PAUSE", point), err, args);
        try {
            for (int i = 0; i < 1200 && !Files.readString(err).contains("parity: test pause at " + point); i++) Thread.sleep(50);
            assertTrue(Files.readString(err).contains("parity: test pause at " + point), Files.readString(err));
            whilePaused.run();
            new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "parity ended");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return new Outcome(p.exitValue(), "", Files.readString(err));
    }

    /** parity started in the background; its stderr goes to {@code err}. */
    Process start(Map<String, String> extraEnv, Path err, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.parity.Main"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(repo.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb.start();
    }

    /** {@code parity ARGS} in the repository, as its own process. */
    Outcome parity(String... args) throws Exception {
        return parity(Map.of(), args);
    }

    Outcome parity(Map<String, String> extraEnv, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.parity.Main"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(repo.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        Path out = Files.createTempFile(dir, "parity-out", ".txt");
        Path err = Files.createTempFile(dir, "parity-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("timed out: parity " + String.join(" ", args) + "\n" + Files.readString(err));
        }
        Outcome o = new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return o;
    }

    /** A fresh download URL of the app's backup number {@code n}, straight from the data API. */
    String publicUrl(App app, int n) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(f.sandbox().baseUrl() + "/client/v11/apps/" + app.name
                        + "/transfers/" + n + "/actions/public-url"))
                .header("Authorization", "Bearer " + f.sandbox().token()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body().replaceAll(".*\"url\":\"([^\"]+)\".*", "$1");
    }

    void clearFaults() {
        f.sandbox().faults().clear();
        publicUrls().lifetime(Duration.ofMinutes(10));
    }

    @Override
    public void close() {
        f.close();
    }
}
