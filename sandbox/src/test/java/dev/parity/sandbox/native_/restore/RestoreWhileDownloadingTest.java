package dev.parity.sandbox.native_.restore;

import static dev.parity.sandbox.native_.restore.RestoreSandbox.DEV_DB;
import static dev.parity.sandbox.native_.restore.RestoreSandbox.PREVIOUS;
import static dev.parity.sandbox.native_.restore.RestoreSandbox.TEMPORARY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.SandboxFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code development restore production} restoring while the backup is still downloading: the
 * download is held (a test pause) once the first table's data is whole, so the restore has started
 * on the partial file before the rest arrives. The result is production, row for row; a download
 * that fails midway, a table whose restore fails and an interrupt each leave the development
 * database as it was, the temporary database dropped and no pg_restore running.
 */
class RestoreWhileDownloadingTest {
    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App production;
    static App guarded;
    static App slow;

    /** Three tables of some hundred kilobytes each after compression, behind {@code first}, which pg_dump writes first. */
    static String shop(String first) {
        StringBuilder sql = new StringBuilder(first);
        for (String t : List.of("b_orders", "c_events", "d_items")) {
            sql.append(" CREATE TABLE ").append(t).append(" (id int PRIMARY KEY, a_id int REFERENCES a_customers (id), note text);")
                    .append(" INSERT INTO ").append(t).append(" SELECT g, 1 + g % 50, md5(g::text || '").append(t)
                    .append("') || md5((g * 7)::text) FROM generate_series(1, 15000) g;")
                    .append(" CREATE INDEX ").append(t).append("_note ON ").append(t).append(" (note);");
        }
        return sql.toString();
    }

    static final String CUSTOMERS = "CREATE TABLE a_customers (id int PRIMARY KEY, name text NOT NULL);"
            + " INSERT INTO a_customers SELECT g, 'customer ' || g FROM generate_series(1, 50) g;";

    /** Each table's rows and a checksum of them. */
    static final String CHECKSUMS = "SELECT string_agg(line, ' ' ORDER BY line) FROM ("
            + " SELECT 'a_customers:' || count(*) || ':' || md5(string_agg(t::text, ',' ORDER BY t.id)) AS line FROM a_customers t"
            + " UNION ALL SELECT 'b_orders:' || count(*) || ':' || md5(string_agg(t::text, ',' ORDER BY t.id)) FROM b_orders t"
            + " UNION ALL SELECT 'c_events:' || count(*) || ':' || md5(string_agg(t::text, ',' ORDER BY t.id)) FROM c_events t"
            + " UNION ALL SELECT 'd_items:' || count(*) || ':' || md5(string_agg(t::text, ',' ORDER BY t.id)) FROM d_items t) c";

    @BeforeAll
    static void backups() throws Exception {
        s = RestoreSandbox.start(tmp);
        production = s.app("production", "shop-production");
        s.sql(production, shop(CUSTOMERS));
        assertEquals("b001", s.capture(production));
        // a table whose rows a check refuses anywhere but in production's database: its restore fails
        guarded = s.app("guarded", "shop-guarded");
        s.sql(guarded, "CREATE FUNCTION only_here(n int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN"
                + " IF current_database() <> '" + guarded.databaseName + "' THEN RAISE EXCEPTION 'refused outside production'; END IF;"
                + " RETURN true; END $$; " + shop(CUSTOMERS.replace("name text NOT NULL", "name text NOT NULL CHECK (only_here(id))")));
        assertEquals("b001", s.capture(guarded));
        // a table whose rows take seconds to load (each row's check sleeps), so a restore is running when the signal comes
        slow = s.app("slow", "shop-slow");
        s.sql(slow, "CREATE FUNCTION slowly(n int) RETURNS boolean LANGUAGE sql AS $$ SELECT pg_sleep(0.03) IS NOT NULL $$; "
                + shop(CUSTOMERS.replace("name text NOT NULL", "name text NOT NULL CHECK (slowly(id))").replace("1, 50)", "1, 400)")));
        assertEquals("b001", s.capture(slow));
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @BeforeEach
    void developerWasWorkingLocally() {
        s.localWork();
    }

    @AfterEach
    void noFaultsLeft() throws Exception {
        s.clearFaults();
        Path dumps = s.cache.resolve("parity/dumps");
        if (Files.isDirectory(dumps)) {
            try (Stream<Path> files = Files.list(dumps)) {
                for (Path p : files.toList()) Files.delete(p);
            }
        }
    }

    /** parity started with its download held at the test pause once the first table's data is whole. */
    record Held(Process process, Path err, Path resume) {
        String stderr() throws Exception {
            return Files.readString(err);
        }

        void go() throws Exception {
            Files.createFile(resume);
        }

        int exit() throws Exception {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "parity did not end");
            return process.exitValue();
        }
    }

    Held held(String... args) throws Exception {
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Path resume = tmp.resolve("resume-" + System.nanoTime());
        Process p = s.start(Map.of("PARITY_TEST_PAUSE", "download:overlap", "PARITY_TEST_RESUME", resume.toString()), err, args);
        Held h = new Held(p, err, resume);
        SandboxFixture.await(Duration.ofSeconds(60), () -> {
            try {
                return h.stderr().contains("parity: test pause at download:overlap");
            } catch (Exception e) {
                return false;
            }
        });
        return h;
    }

    /** The restore has begun in the temporary database while the download is held. */
    void awaitRows(String table) throws InterruptedException {
        SandboxFixture.await(Duration.ofSeconds(60), () -> tableHasRows(table));
    }

    boolean tableHasRows(String table) {
        try {
            return !"0".equals(s.sql(TEMPORARY, "SELECT count(*) FROM " + table));
        } catch (RuntimeException e) {
            return false; // not created yet
        }
    }

    @Test
    void tablesRestoreWhileTheRestDownloadsAndTheResultIsProductionRowForRow() throws Exception {
        Held h = held("development", "restore", "production");
        awaitRows("a_customers");
        assertFalse(h.stderr().contains("verified"), "the download is still held");
        h.go();
        assertEquals(0, h.exit(), h.stderr());
        assertEquals(s.sql(production, CHECKSUMS), s.sql(DEV_DB, CHECKSUMS));
        assertEquals(s.fingerprint(production), s.fingerprint(DEV_DB), "every index, constraint and sequence as well");
        assertTrue(h.stderr().matches("(?s).*parity: restored the data of [1-4] of 4 tables while the download went on.*"), h.stderr());
        assertTrue(h.stderr().contains("verified 4 tables, 3 indexes, 4 constraints, 3 foreign keys"), h.stderr());
        assertEquals("my unsaved experiment", s.sql(PREVIOUS, "SELECT note FROM local_work"));
        assertFalse(s.exists(TEMPORARY));
        s.assertNoDumpLeft();
    }

    @Test
    void aSubsetRestoresWhileDownloadingToo() throws Exception {
        Held h = held("development", "restore", "production", "--exclude-data", "c_events", "--exclude", "d_items");
        awaitRows("a_customers");
        h.go();
        assertEquals(0, h.exit(), h.stderr());
        assertEquals("a_customers,b_orders,c_events", s.sql(DEV_DB,
                "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'"));
        assertEquals("50 15000 0", s.sql(DEV_DB, "SELECT (SELECT count(*) FROM a_customers) || ' ' || (SELECT count(*) FROM b_orders)"
                + " || ' ' || (SELECT count(*) FROM c_events)"));
        assertTrue(h.stderr().contains("of 2 tables while the download went on"), h.stderr());
        assertTrue(h.stderr().contains("as the subset lists them"), h.stderr());
    }

    @Test
    void aDownloadFailingMidwayChangesNothingAndTheNextRunResumesIt() throws Exception {
        s.publicUrls().cutNextDownloadAfter(600_000); // past the first table, short of the end
        Held h = held("development", "restore", "production", "--keep-dump");
        awaitRows("a_customers");
        s.publicUrls().expireIssued(); // every retry of the cut download is refused
        h.go();
        assertEquals(1, h.exit(), h.stderr());
        assertTrue(h.stderr().contains("'restore into " + TEMPORARY + "' failed: the download failed while the restore went on: download of "),
                h.stderr());
        assertTrue(h.stderr().contains("answered HTTP 403 Forbidden (backup URLs expire; ask again). " + DEV_DB + " was not changed"), h.stderr());
        assertTrue(h.stderr().contains("not run: verify the restored database"), h.stderr());
        s.assertLocalWorkUntouched();
        Path part = s.cache.resolve("parity/dumps/shop-production-b001.dump.part");
        assertTrue(Files.size(part) >= 600_000, "the part that came is kept (--keep-dump)");

        s.clearFaults();
        RestoreSandbox.Outcome again = s.parity("development", "restore", "production", "--keep-dump");
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.err().contains("parity: resumed at "), again.err());
        assertEquals(s.sql(production, CHECKSUMS), s.sql(DEV_DB, CHECKSUMS));
        RestoreSandbox.assertNoBackupUrl(again);
    }

    @Test
    void aTableWhoseRestoreFailsStopsBeforeTheSwap() throws Exception {
        Held h = held("development", "restore", "guarded"); // held until the end: the table fails while the rest downloads
        assertEquals(1, h.exit(), h.stderr());
        assertTrue(h.stderr().contains("'restore into " + TEMPORARY + "' failed: restoring the data of public.a_customers: pg_restore reported"),
                h.stderr());
        assertTrue(h.stderr().contains("refused outside production"), h.stderr());
        assertTrue(h.stderr().contains(DEV_DB + " was not changed"), h.stderr());
        assertTrue(h.stderr().contains("not run: verify the restored database"), h.stderr());
        s.assertLocalWorkUntouched();
        assertEquals(List.of(), pgRestoresOf(TEMPORARY));
    }

    @Test
    void anInterruptWhileATableRestoresEndsEveryPgRestoreAndChangesNothing() throws Exception {
        Held h = held("development", "restore", "slow");
        SandboxFixture.await(Duration.ofSeconds(60), () -> !pgRestoresOf(TEMPORARY).isEmpty() && s.exists(TEMPORARY)
                && "1".equals(s.sql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + TEMPORARY
                + "' AND query LIKE 'COPY public.a_customers%'")));
        new ProcessBuilder("kill", "-INT", String.valueOf(h.process().pid())).start().waitFor();
        assertEquals(130, h.exit(), h.stderr());
        assertTrue(h.stderr().contains("parity: interrupted by SIGINT"), h.stderr());
        assertEquals(List.of(), pgRestoresOf(TEMPORARY), "no pg_restore outlives parity");
        assertEquals("0", s.sql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_restore'"));
        s.assertLocalWorkUntouched();
    }

    /** The pg_restore processes on this machine writing into {@code database}. */
    static List<String> pgRestoresOf(String database) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/pg_restore")).orElse(false))
                .map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains(database))
                .toList();
    }
}
