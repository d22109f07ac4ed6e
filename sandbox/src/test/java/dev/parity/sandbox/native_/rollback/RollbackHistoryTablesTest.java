package dev.parity.sandbox.native_.rollback;

import static dev.parity.sandbox.native_.rollback.RollbackBed.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.native_.rollback.RollbackBed.Result;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database as a source: the app's migration-history tables, read read-only with psql through
 * its DATABASE_URL on the sandbox's real PostgreSQL, against the target release's creation time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollbackHistoryTablesTest {
    RollbackBed bed;
    Map<String, Instant> booted;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        bed = new RollbackBed(tmp, APP, true);
        bed.deploy("the shop", Map.of("app.rb", "puts 'shop'\n"));
        bed.deploy("prices", Map.of("app.rb", "puts 'prices'\n")); // no migration file: only the database can tell
        booted = bed.bootTimes();
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    @BeforeEach
    void history() throws Exception {
        bed.sql("DROP TABLE IF EXISTS django_migrations; DROP TABLE IF EXISTS flyway_schema_history;"
                + " CREATE TABLE django_migrations (id serial, app varchar(255), name varchar(255), applied timestamptz NOT NULL);"
                + " INSERT INTO django_migrations (app, name, applied) VALUES ('shop', '0001_initial', now() - interval '1 day')");
    }

    void assertNothingChanged(Result r) {
        assertEquals(0, bed.rollbacksPosted(), r.toString());
        assertEquals(4, bed.app.currentVersion()); // v1, v2 the add-on, v3 and v4 the pushes
        assertEquals(booted, bed.bootTimes(), "no dyno restarted");
    }

    @Test
    void aMigrationTheHistoryRecordsAfterTheTargetRefusesAndIsNamed() throws Exception {
        bed.sql("INSERT INTO django_migrations (app, name, applied) VALUES ('shop', '0002_price', now());"
                + " CREATE TABLE flyway_schema_history (installed_rank int, version varchar(50), script varchar(1000), installed_on timestamp NOT NULL);"
                + " INSERT INTO flyway_schema_history VALUES (1, '1', 'V1__init.sql', (now() - interval '1 day')::timestamp),"
                + " (2, '2', 'V2__prices.sql', (now() + interval '1 second')::timestamp)");
        Result r = bed.parity("production", "rollback", "--confirm", APP);
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().matches("(?s).*the database's migration history: found \\(2 after \\S+ in (Django applied, Flyway installed_on|"
                + "Flyway installed_on, Django applied)\\).*"), r.err());
        assertTrue(r.err().contains("v3's code does not know them: shop.0002_price (Django applied), V2__prices.sql (Flyway installed_on)."),
                r.err());
        assertNothingChanged(r);
    }

    @Test
    void aHistoryWithNothingAfterTheTargetLetsTheRollbackGoOn() throws Exception {
        Result r = bed.parity("production", "rollback"); // stops at the confirmation: stdin is closed
        assertTrue(r.err().matches("(?s).*the database's migration history: none \\(Django applied: nothing after \\S+\\).*"), r.err());
        assertTrue(r.err().contains("parity: no migration after v3 was found"), r.err());
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("no terminal to confirm on"), r.err());
        assertNothingChanged(r);
    }
}
