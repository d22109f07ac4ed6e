package dev.parity.sandbox.native_.restore;

import static dev.parity.sandbox.native_.restore.RestoreSandbox.DEV_DB;
import static dev.parity.sandbox.native_.restore.RestoreSandbox.PREVIOUS;
import static dev.parity.sandbox.native_.restore.RestoreSandbox.TEMPORARY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.native_.restore.RestoreSandbox.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Instant re-restores: {@code development restore production} keeps a snapshot of the verified,
 * scrubbed temporary database, and the next restore of the same backup, shaped the same way,
 * copies it instead of downloading (no download request reaches the sandbox). A new backup,
 * other scrub rules or another subset are restored as usual and replace it; --fresh,
 * --no-snapshot and the config opt-out are honoured; a half-made snapshot is never reused;
 * a copy that fails, or fails its verification, falls back to a normal restore.
 */
class RestoreSnapshotTest {
    static final String SNAPSHOT = DEV_DB + "_parity_snapshot_production";
    static final String MAKING = DEV_DB + "_parity_snapshotting_production";

    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App production;
    /** Every email production holds: none may reach the development database or the snapshot. */
    static List<String> emails;

    static final String RULES = "scrub:\n  customers:\n    email: email\n    name: name\n";

    @BeforeAll
    static void production() throws Exception {
        s = RestoreSandbox.start(tmp);
        production = s.app("production", "shop-production");
        s.sql(production, RestoreSandbox.SHOP + RestoreSandbox.shopRows(40, 160)
                + " CREATE TABLE events (id serial PRIMARY KEY, detail text); INSERT INTO events (detail) SELECT 'event ' || g FROM generate_series(1, 20) g;");
        emails = List.of(s.sql(production, "SELECT string_agg(email::text, E'\\n') FROM customers").split("\n"));
        assertEquals(40, emails.size());
        assertEquals("b001", s.capture(production));
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @BeforeEach
    void developerWasWorkingLocally() throws Exception {
        s.localWork();
        config(RULES);
    }

    void config(String text) throws Exception {
        Files.writeString(s.repo.resolve(".parity.yml"), "development:\n  database: " + DEV_DB + "\n" + text);
    }

    /** Backup downloads so far: each restore that downloads asks for a fresh signed URL and GETs it. */
    static int downloads() {
        return s.f.sandbox().requests().distinctPaths("GET", "/backups/[0-9a-f]{48}/.*");
    }

    /** Every row of every table, as text: identical data reads identically. */
    static String everything(String database) {
        StringBuilder all = new StringBuilder();
        for (String table : s.sql(database, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'").split(",")) {
            all.append(table).append('\n').append(s.sql(database, "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM " + table + " t")).append('\n');
        }
        return all.toString();
    }

    static String oid(String database) {
        return s.sql("postgres", "SELECT oid FROM pg_database WHERE datname = '" + database + "'");
    }

    static Outcome restore(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("development", "restore", "production"));
        args.addAll(List.of(more));
        Outcome r = s.parity(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        RestoreSandbox.assertNoBackupUrl(r);
        return r;
    }

    /** What the snapshot holds, read from a throwaway copy of it (nobody may connect to the snapshot itself). */
    static String insideTheSnapshot() {
        s.drop("snapshot_look");
        s.sql("postgres", "CREATE DATABASE snapshot_look TEMPLATE " + SNAPSHOT);
        try {
            return everything("snapshot_look");
        } finally {
            s.drop("snapshot_look");
        }
    }

    @Test
    void aSecondRestoreOfTheSameBackupCopiesTheSnapshotInsteadOfDownloading() throws Exception {
        int before = downloads();
        Outcome first = restore();
        assertEquals(before + 1, downloads());
        assertTrue(first.err().contains("parity: no snapshot of production yet: restoring the backup"), first.err());
        assertTrue(first.err().matches("(?s).*parity: kept " + SNAPSHOT + " \\(\\d+(\\.\\d)? [KMG]B on disk\\): the next restore of shop-production::b001"
                + " copies it instead of downloading; drop it with: development restore --drop-snapshots.*"), first.err());
        String firstData = everything(DEV_DB);
        String firstFingerprint = s.fingerprint(DEV_DB);
        assertEquals("f", s.sql("postgres", "SELECT datallowconn FROM pg_database WHERE datname = '" + SNAPSHOT + "'"), "nobody connects to a snapshot");

        Outcome second = restore();
        assertEquals(before + 1, downloads(), "no download request reached the sandbox\n" + second);
        assertTrue(second.err().contains("parity: copied the snapshot " + SNAPSHOT + " (shop-production::b001)"), second.err());
        assertTrue(second.err().contains("parity: verified 3 tables, "), second.err());
        assertTrue(second.err().contains("parity: skipped: the temporary database is a copy of the snapshot"), second.err());
        assertFalse(second.err().contains("scrubbed customers"), "a copy is not scrubbed again: it is the scrubbed data\n" + second.err());
        assertEquals(firstData, everything(DEV_DB), "the same data, row for row (the scrubbed values too)");
        assertEquals(firstFingerprint, s.fingerprint(DEV_DB));
        assertEquals(firstData, everything(PREVIOUS), "the first restore's copy is kept as the previous copy");
        assertFalse(s.exists(TEMPORARY));

        // --undo still switches back
        Outcome undo = s.parity("development", "restore", "--undo");
        assertEquals(0, undo.exitCode(), undo.toString());
        assertEquals(firstData, everything(DEV_DB));
    }

    @Test
    void theSnapshotHoldsOnlyScrubbedData() throws Exception {
        restore();
        String inside = insideTheSnapshot();
        assertTrue(inside.contains("customers"), inside);
        for (String email : emails) assertFalse(inside.toLowerCase().contains(email.toLowerCase()), email + " is in the snapshot");
        assertEquals(everything(DEV_DB), inside, "the snapshot is what was swapped in");
    }

    @Test
    void aNewBackupIsRestoredAndReplacesTheSnapshot() throws Exception {
        App staging = s.app("staging", "shop-staging");
        s.sql(staging, RestoreSandbox.SHOP + RestoreSandbox.shopRows(5, 10));
        assertEquals("b001", s.capture(staging));
        Outcome first = s.parity("development", "restore", "staging");
        assertEquals(0, first.exitCode(), first.toString());
        String stagingSnapshot = DEV_DB + "_parity_snapshot_staging";
        assertTrue(s.exists(stagingSnapshot), first.err());
        String oldOid = oid(stagingSnapshot);

        s.sql(staging, "INSERT INTO customers (email, name) VALUES ('late@example.com', 'late')");
        assertEquals("b002", s.capture(staging));
        int before = downloads();
        Outcome second = s.parity("development", "restore", "staging");
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(before + 1, downloads(), "the new backup is downloaded");
        assertTrue(second.err().matches("(?s).*parity: the snapshot " + stagingSnapshot + " is not used: it holds shop-staging::b001 \\S+ created \\S+ \\d+ bytes,"
                + " not shop-staging::b002 .*"), second.err());
        assertEquals("6", s.sql(DEV_DB, "SELECT count(*) FROM customers"));
        assertNotEquals(oldOid, oid(stagingSnapshot), "replaced");
        assertTrue(s.sql("postgres", "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '" + stagingSnapshot + "'")
                .contains("backup shop-staging::b002 "));
        assertEquals(1, Integer.parseInt(s.sql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE '%snapshot_staging%'")),
                "one snapshot per environment");

        Outcome third = s.parity("development", "restore", "staging");
        assertEquals(0, third.exitCode(), third.toString());
        assertEquals(before + 1, downloads(), "b002 now comes from the snapshot");
        assertEquals("6", s.sql(DEV_DB, "SELECT count(*) FROM customers"));
        s.drop(stagingSnapshot);
    }

    @Test
    void otherScrubRulesOrAnotherSubsetAreRestoredAsUsual() throws Exception {
        restore();
        int before = downloads();
        config(RULES.replace("    name: name\n", "    name: {constant: nobody}\n"));
        Outcome rules = restore();
        assertEquals(before + 1, downloads());
        assertTrue(rules.err().contains("parity: the snapshot " + SNAPSHOT + " is not used: it was made with other scrub rules; restoring the backup"), rules.err());
        assertEquals("nobody", s.sql(DEV_DB, "SELECT DISTINCT name FROM customers"));

        Outcome subset = restore("--exclude-data", "events");
        assertEquals(before + 2, downloads());
        assertTrue(subset.err().contains("parity: the snapshot " + SNAPSHOT + " is not used: it was made from another subset"), subset.err());
        assertEquals("0", s.sql(DEV_DB, "SELECT count(*) FROM events"));

        Outcome again = restore("--exclude-data", "events");
        assertEquals(before + 2, downloads(), "the same subset and rules: copied");
        assertEquals("0", s.sql(DEV_DB, "SELECT count(*) FROM events"));
        assertEquals("nobody", s.sql(DEV_DB, "SELECT DISTINCT name FROM customers"));
        assertTrue(again.err().contains("parity: copied the snapshot"), again.err());
    }

    @Test
    void freshRestoresTheBackupAndReplacesTheSnapshot() throws Exception {
        restore();
        String oldOid = oid(SNAPSHOT);
        int before = downloads();
        Outcome fresh = restore("--fresh");
        assertEquals(before + 1, downloads());
        assertTrue(fresh.err().contains("parity: --fresh: the snapshot is not used"), fresh.err());
        assertTrue(s.exists(SNAPSHOT));
        assertNotEquals(oldOid, oid(SNAPSHOT));
    }

    @Test
    void noSnapshotNeitherCopiesNorKeepsOne() throws Exception {
        int before = downloads();
        Outcome none = restore("--no-snapshot");
        assertFalse(s.exists(SNAPSHOT), none.err());
        assertFalse(none.err().contains("snapshot"), none.err());
        restore();
        String kept = oid(SNAPSHOT);
        restore("--no-snapshot");
        assertEquals(before + 3, downloads(), "every --no-snapshot restore downloads");
        assertEquals(kept, oid(SNAPSHOT), "and leaves the kept snapshot alone");
    }

    @Test
    void theConfigurationTurnsSnapshotsOff() throws Exception {
        config("  snapshots: false\n" + RULES);
        Outcome plan = s.parity("development", "restore", "production", "--dry-run");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("# snapshot: none used or kept (development: snapshots: false in .parity.yml)"), plan.out());
        restore();
        restore();
        assertFalse(s.exists(SNAPSHOT));
    }

    @Test
    void dryRunSaysWhetherTheSnapshotWouldBeUsedAndWhy() throws Exception {
        Outcome none = s.parity("development", "restore", "production", "--dry-run");
        assertTrue(none.out().contains("Now: there is no snapshot of production yet; one is kept after this restore."), none.out());
        restore();
        Outcome used = s.parity("development", "restore", "production", "--dry-run");
        assertTrue(used.out().contains("Now: it would be used (it holds shop-production::b001 "), used.out());
        Outcome fresh = s.parity("development", "restore", "production", "--dry-run", "--fresh");
        assertTrue(fresh.out().contains("Now: not used (--fresh)"), fresh.out());
        config(RULES.replace("name: name", "name: nullify"));
        Outcome rules = s.parity("development", "restore", "production", "--dry-run");
        assertTrue(rules.out().contains("Now: not used, it was made with other scrub rules; it is replaced after this restore."), rules.out());
        Outcome off = s.parity("development", "restore", "production", "--dry-run", "--no-snapshot");
        assertTrue(off.out().contains("# snapshot: none used or kept (--no-snapshot)"), off.out());
        RestoreSandbox.assertNoBackupUrl(used);
    }

    @Test
    void dropSnapshotsDropsThemAndSaysTheDiskFreed() throws Exception {
        restore();
        Outcome drop = s.parity("development", "restore", "--drop-snapshots");
        assertEquals(0, drop.exitCode(), drop.toString());
        assertTrue(drop.err().matches("(?s).*parity: dropped " + SNAPSHOT + " \\(\\d+(\\.\\d)? [KMG]B\\).*"), drop.err());
        assertFalse(s.exists(SNAPSHOT));
        assertTrue(s.exists(DEV_DB), "the development database stays");
        Outcome again = s.parity("development", "restore", "--drop-snapshots");
        assertTrue(again.err().contains("parity: no snapshots of " + DEV_DB + " to drop"), again.err());
    }

    /** Stopped right before a complete copy takes the snapshot's name: nothing half-made is ever reused. */
    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM", "KILL"})
    void anInterruptedSnapshotIsNeverReused(String signal) throws Exception {
        Outcome stopped = s.signalledAt("snapshot:made", signal, () -> assertTrue(s.exists(MAKING), "the copy is made under its own name"),
                "development", "restore", "production");
        String said = stopped.err();
        assertFalse(s.exists(SNAPSHOT), said);
        if (signal.equals("KILL")) {
            assertEquals(137, stopped.exitCode(), said);
        } else {
            assertEquals(signal.equals("INT") ? 130 : 143, stopped.exitCode(), said);
            assertTrue(said.strip().endsWith(DEV_DB + " was not changed"), said);
            assertFalse(s.exists(MAKING), "the half-made snapshot is dropped\n" + said);
            s.assertLocalWorkUntouched();
        }
        int before = downloads();
        Outcome next = restore();
        assertEquals(before + 1, downloads(), "the next restore downloads: nothing half-made is used");
        assertTrue(next.err().contains("parity: no snapshot of production yet"), next.err());
        assertFalse(s.exists(MAKING));
        assertTrue(s.exists(SNAPSHOT));
    }

    /**
     * A re-restore stopped before the copy, right after it, before the (skipped) keeping of a
     * snapshot and before the swap: the development database and the snapshot are as they
     * were, the copy is dropped, and the next restore still copies the snapshot.
     */
    @ParameterizedTest(name = "SIGINT at {0}")
    @ValueSource(strings = {"step:3", "step:4", "step:11", "step:12"})
    void aSignalDuringAReRestoreLeavesTheDatabaseAndTheSnapshotAsTheyWere(String point) throws Exception {
        restore();
        String devOid = oid(DEV_DB);
        String snapshotOid = oid(SNAPSHOT);
        Outcome stopped = s.interruptedAt(point, "development", "restore", "production");
        String said = stopped.err();
        assertEquals(130, stopped.exitCode(), said);
        assertTrue(said.strip().endsWith(DEV_DB + " was not changed"), said);
        assertEquals(devOid, oid(DEV_DB), said);
        assertEquals(snapshotOid, oid(SNAPSHOT), "the snapshot is untouched");
        assertFalse(s.exists(TEMPORARY), said);
        assertFalse(s.exists(MAKING), said);
        int before = downloads();
        Outcome next = restore();
        assertEquals(before, downloads());
        assertTrue(next.err().contains("parity: copied the snapshot"), next.err());
    }

    @Test
    void aCopyThatFailsFallsBackToANormalRestore() throws Exception {
        restore();
        String firstData = everything(DEV_DB);
        // a session on the snapshot (only possible once someone allowed connections to it): the template copy fails
        s.sql("postgres", "ALTER DATABASE " + SNAPSHOT + " ALLOW_CONNECTIONS true");
        ProcessBuilder session = new ProcessBuilder(s.cluster.binDir().resolve("psql").toString(), "-X", "-q", "-d", SNAPSHOT, "-c", "SELECT pg_sleep(120)")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        session.environment().putAll(s.cluster.libpqEnv());
        Process holder = session.start();
        try {
            for (int i = 0; i < 200 && !"1".equals(s.sql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + SNAPSHOT + "'")); i++) {
                Thread.sleep(50);
            }
            int before = downloads();
            Outcome r = restore();
            assertTrue(r.err().contains("parity: could not copy the snapshot " + SNAPSHOT + " ("), r.err());
            assertTrue(r.err().contains("; restoring the backup instead"), r.err());
            assertEquals(before + 1, downloads(), "restored from the backup");
            assertEquals(s.sql(production, "SELECT count(*) FROM customers"), s.sql(DEV_DB, "SELECT count(*) FROM customers"));
            assertEquals(firstData, everything(PREVIOUS));
            assertEquals("f", s.sql("postgres", "SELECT datallowconn FROM pg_database WHERE datname = '" + SNAPSHOT + "'"), "a new snapshot is kept");
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aCopyThatFailsItsVerificationFallsBackAndTheSnapshotIsReplaced() throws Exception {
        restore();
        s.sql("postgres", "ALTER DATABASE " + SNAPSHOT + " ALLOW_CONNECTIONS true");
        s.sql(SNAPSHOT, "DROP TABLE events");
        s.sql("postgres", "ALTER DATABASE " + SNAPSHOT + " ALLOW_CONNECTIONS false");
        int before = downloads();
        Outcome r = restore();
        assertTrue(r.err().contains("parity: the copy of the snapshot is missing 1 of 3 tables: public.events;"), r.err());
        assertTrue(r.err().contains("; dropping the snapshot and restoring the backup instead"), r.err());
        assertEquals(before + 1, downloads());
        assertEquals("20", s.sql(DEV_DB, "SELECT count(*) FROM events"));
        assertTrue(insideTheSnapshot().contains("events"), "the snapshot is made again, whole");
    }
}
