package dev.parity.sandbox.native_.restore;

import static dev.parity.sandbox.native_.restore.RestoreSandbox.DEV_DB;
import static dev.parity.sandbox.native_.restore.RestoreSandbox.PREVIOUS;
import static dev.parity.sandbox.native_.restore.RestoreSandbox.TEMPORARY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.native_.restore.RestoreSandbox.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code development restore production --only/--exclude/--exclude-data} against the sandbox: a
 * real backup is restored in part, verified against what the subset should hold, and swapped in;
 * unknown table names stop before any database is touched.
 */
class RestoreSubsetIntoDevelopmentTest {
    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App production;

    @BeforeAll
    static void productionWithABackup() throws Exception {
        s = RestoreSandbox.start(tmp);
        production = s.app("production", "shop-production");
        s.app("staging", "shop-staging");
        s.sql(production, RestoreSandbox.SHOP + RestoreSandbox.shopRows(40, 160)
                + " CREATE TABLE events (id bigserial PRIMARY KEY, kind text NOT NULL);"
                + " CREATE INDEX events_kind_idx ON events (kind);"
                + " INSERT INTO events (kind) SELECT 'click' FROM generate_series(1, 300);");
        assertEquals("b001", s.capture(production));
        Files.writeString(s.repo.resolve(".parity.yml"), "development:\n  database: " + DEV_DB + "\n"
                + "restore_profiles:\n  small:\n    exclude_data: [events]\n  shop: {only: [customers, orders], exclude_data: orders}\n");
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
    void noFaultsLeft() {
        s.clearFaults();
    }

    @Test
    void excludeDataKeepsTheTableEmptyAndVerifiesTheSubset() throws Exception {
        Outcome r = s.parity("development", "restore", "production", "--exclude-data", "events");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("40 160 0", s.sql(DEV_DB, "SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) FROM orders)"
                + " || ' ' || (SELECT count(*) FROM events)"));
        assertEquals("301", s.sql(DEV_DB, "SELECT nextval('events_id_seq')"), "the sequence is production's");
        assertEquals("events_kind_idx", s.sql(DEV_DB, "SELECT indexname FROM pg_indexes WHERE indexname = 'events_kind_idx'"));
        assertTrue(r.err().contains("restoring no rows of events"), r.err());
        assertTrue(r.err().contains("verified 3 tables, 3 indexes, 4 constraints, 1 foreign key, 4 sequences, 1 view, 1 function,"
                + " as the subset lists them"), r.err());
        assertFalse(r.err().contains("foreign keys left out"), r.err());
        assertEquals("my unsaved experiment", s.sql(PREVIOUS, "SELECT note FROM local_work"));
        assertFalse(s.exists(TEMPORARY));
        s.assertNoDumpLeft();
        RestoreSandbox.assertNoBackupUrl(r);
    }

    @Test
    void excludeDataOfAReferencedTableDropsTheForeignKeyIntoItAndNamesIt() throws Exception {
        Outcome r = s.parity("development", "restore", "production", "--exclude-data", "customers");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("0 160", s.sql(DEV_DB, "SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) FROM orders)"));
        assertEquals("0", s.sql(DEV_DB, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"));
        assertTrue(r.err().contains("warning: foreign keys left out (they point at tables or rows not restored): public.orders orders_customer_id_fkey"),
                r.err());
        assertTrue(r.err().contains("verified 3 tables, 3 indexes, 4 constraints, 4 sequences, 1 view, 1 function, as the subset lists them"),
                r.err());
    }

    @Test
    void onlyRestoresThoseTablesAndWhatTheyNeed() throws Exception {
        Outcome r = s.parity("development", "restore", "production", "--only", "customers,events");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("customers,events", s.sql(DEV_DB, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'"));
        assertEquals("40 300", s.sql(DEV_DB, "SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) FROM events)"));
        assertEquals("0", s.sql(DEV_DB, "SELECT count(*) FROM pg_views WHERE viewname = 'order_totals'"), "the view over orders goes with it");
        assertTrue(r.err().contains("foreign keys left out (they point at tables or rows not restored): public.orders orders_customer_id_fkey"), r.err());
    }

    @Test
    void aProfileFromParityYmlIsTheSameSubset() throws Exception {
        Outcome r = s.parity("development", "restore", "production", "--profile", "shop");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("customers,orders", s.sql(DEV_DB, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'"));
        assertEquals("40 0", s.sql(DEV_DB, "SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) FROM orders)"));
        assertEquals("1", s.sql(DEV_DB, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"), "no rows reference anything: the key stays");
        assertTrue(r.err().contains("restoring only customers, orders; no rows of orders"), r.err());
        assertTrue(r.err().contains("as the subset lists them"), r.err());
    }

    @Test
    void anUnknownProfileIsAUsageErrorNamingTheKnownOnes() throws Exception {
        Outcome r = s.parity("development", "restore", "production", "--profile", "tiny");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--profile tiny: no such profile under restore_profiles in .parity.yml (it has: small, shop)"), r.err());
        assertFalse(r.err().contains("download"), "nothing was downloaded: " + r.err());
        s.assertLocalWorkUntouched();
    }

    @Test
    void anUnknownTableStopsBeforeAnyDatabaseIsTouched() throws Exception {
        Outcome r = s.parity("development", "restore", "production", "--exclude", "evnts");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--exclude names a table the dump does not have: evnts (names are schema.table or table, as in the database);"
                + " no database was touched"), r.err());
        s.assertLocalWorkUntouched();
        s.assertNoDumpLeft();
    }

    @Test
    void dryRunShowsTheFilteringAndChangesNothing() throws Exception {
        Outcome r = s.parity("development", "restore", "production", "--exclude-data", "events", "--exclude", "orders", "--dry-run");
        assertEquals(0, r.exitCode(), r.toString());
        String all = r.out() + r.err();
        assertTrue(all.contains("the listing is filtered to without orders; no rows of events"), all);
        assertTrue(all.contains("--use-list '<filtered listing>'"), all);
        assertTrue(all.contains("against the dump's table of contents as filtered for the subset"), all);
        s.assertLocalWorkUntouched();
    }

    @Test
    void onlyAndExcludeTogetherAreAUsageError() throws Exception {
        Outcome r = s.parity("development", "restore", "production", "--only", "customers", "--exclude", "orders");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--only and --exclude exclude each other (--only already leaves the rest out)"), r.err());
        assertFalse(r.err().contains("download"), r.err());
        s.assertLocalWorkUntouched();
    }

    @Test
    void aRestoreIntoAnAppRefusesTheSubsetOptions() throws Exception {
        Outcome r = s.parity("staging", "restore", "production", "--only", "customers");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--only, --exclude, --exclude-data and --profile restore part of a dump into development;"
                + " a restore into an app restores the whole backup"), r.err());
    }
}
