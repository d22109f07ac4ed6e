package dev.parity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.pgcluster.PostgresCluster;
import dev.parity.process.Command;
import dev.parity.process.Result;
import dev.parity.process.SystemProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TocFilter} on a real dump: each subset is restored with {@code pg_restore --use-list} as
 * parity does, must restore without serious errors, hold exactly the rows it promises, and pass
 * {@link RestoreVerification} against the filtered listing (not the whole dump's).
 */
class TocFilterRoundTripTest {
    static final String SCHEMA = """
            CREATE TABLE users (id bigserial PRIMARY KEY, email text UNIQUE NOT NULL);
            CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint CONSTRAINT orders_user REFERENCES users (id), total int DEFAULT 0);
            CREATE INDEX orders_user_id ON orders (user_id);
            CREATE TABLE events (id bigserial PRIMARY KEY, user_id bigint CONSTRAINT events_user REFERENCES users (id), payload text);
            CREATE INDEX events_payload ON events (payload);
            CREATE TABLE notes (id serial PRIMARY KEY, body text);
            CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 10;
            CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2';
            CREATE TABLE measurements (at date NOT NULL, value int) PARTITION BY RANGE (at);
            CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            INSERT INTO measurements VALUES ('2025-05-01', 1), ('2025-06-01', 2);
            INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com');
            INSERT INTO orders (user_id, total) VALUES (1, 5), (2, 50);
            INSERT INTO events (user_id, payload) VALUES (1, 'x'), (1, 'y'), (2, 'z');
            INSERT INTO notes (body) VALUES ('n');
            """;

    @TempDir
    static Path tmp;
    static PostgresCluster pg;
    static SystemProcessRunner runner;
    static Map<String, String> env;
    static Path dump;
    static String listing;
    static DumpToc toc;

    @BeforeAll
    static void dumpProduction() throws Exception {
        pg = PostgresCluster.start(tmp.resolve("clusters"));
        env = new HashMap<>(System.getenv());
        env.putAll(pg.libpqEnv());
        env.put("PATH", pg.binDir() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        runner = new SystemProcessRunner(env, tmp);
        pg.createDatabase("production");
        pg.psql("production", SCHEMA);
        dump = tmp.resolve("production.dump");
        assertEquals(0, runner.run(Command.of("pg_dump", "--format=custom", "--file", dump.toString(), "production")).exitCode());
        Result r = runner.run(Command.of("pg_restore", "--list", dump.toString()).captured());
        assertEquals(0, r.exitCode());
        listing = r.stdout();
        toc = TocFilter.readToc(dump);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    static int counter;

    /** Restores the filtered listing into a new database as parity does; returns its name. */
    static String restore(TocFilter.Filtered f) throws Exception {
        String db = "subset" + (++counter);
        pg.createDatabase(db);
        Path list = tmp.resolve(db + ".list");
        Files.writeString(list, f.listing());
        Path errors = tmp.resolve(db + ".errors");
        Result r = runner.run(Command.of("pg_restore", "--no-acl", "--no-owner", "--jobs=2", "--use-list", list.toString(),
                "--dbname", db, dump.toString()).errorsTo(errors));
        assertEquals(0, r.exitCode(), Files.readString(errors));
        assertEquals(List.of(), RestoreErrors.read(Files.readString(errors)).serious());
        String catalog = catalog(db);
        RestoreVerification.Outcome outcome = RestoreVerification.compare(f.listing(), catalog);
        assertTrue(outcome.ok(), outcome.missing().toString());
        return db;
    }

    static String query(String db, String sql) {
        return pg.psql(db, sql);
    }

    /** The catalog as parity reads it (tab-separated). */
    static String catalog(String db) throws Exception {
        return LocalDatabases.open(new DevDatabase(db, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "test"), runner, env)
                .run("read the catalog", db, RestoreVerification.CATALOG_SQL);
    }

    static TocFilter.Filtered filter(List<String> only, List<String> exclude, List<String> excludeData) throws Exception {
        return TocFilter.filter(listing, toc, new TocFilter.Subset(only, exclude, excludeData));
    }

    @Test
    void excludeDataOfATableNothingReferencesKeepsItsSchemaAndEveryForeignKey() throws Exception {
        TocFilter.Filtered f = filter(List.of(), List.of(), List.of("events"));
        assertEquals(List.of(), f.droppedForeignKeys());
        String db = restore(f);
        assertEquals("0", query(db, "SELECT count(*) FROM events"));
        assertEquals("2", query(db, "SELECT count(*) FROM users"));
        assertEquals("2", query(db, "SELECT count(*) FROM orders"));
        assertEquals("2", query(db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"));
        assertEquals("events_payload", query(db, "SELECT indexname FROM pg_indexes WHERE indexname = 'events_payload'"));
        // the sequence still hands out ids past production's
        assertEquals("4", query(db, "SELECT nextval('events_id_seq')"));
    }

    @Test
    void excludeDataOfAReferencedTableDropsTheForeignKeysIntoItAndNamesThem() throws Exception {
        TocFilter.Filtered f = filter(List.of(), List.of(), List.of("users"));
        assertEquals(List.of("public.events events_user", "public.orders orders_user"), f.droppedForeignKeys().stream().sorted().toList());
        String db = restore(f);
        assertEquals("0", query(db, "SELECT count(*) FROM users"));
        assertEquals("3", query(db, "SELECT count(*) FROM events"));
        assertEquals("0", query(db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"));
        assertEquals("users_email_key", query(db, "SELECT conname FROM pg_constraint WHERE conname = 'users_email_key'"));
        // verifying the subset against the whole dump would call the dropped keys missing: the filtered listing is what counts
        String catalog = catalog(db);
        assertFalse(RestoreVerification.compare(listing, catalog).ok());
    }

    @Test
    void onlyTablesLeaveTheRestOutWithWhatNeedsThem() throws Exception {
        TocFilter.Filtered f = filter(List.of("orders", "public.notes"), List.of(), List.of());
        // every foreign key touching a left-out table is named: orders' into users, and events' own
        assertEquals(List.of("public.events events_user", "public.orders orders_user"), f.droppedForeignKeys().stream().sorted().toList());
        String db = restore(f);
        assertEquals("notes,orders", query(db, "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"));
        assertEquals("2", query(db, "SELECT count(*) FROM orders"));
        assertEquals("3", query(db, "SELECT nextval('orders_id_seq')"));
        assertEquals("1", query(db, "SELECT count(*) FROM pg_views WHERE viewname = 'big_orders'"));
        assertEquals("4", query(db, "SELECT twice(2)"));
        assertEquals("orders_user_id", query(db, "SELECT indexname FROM pg_indexes WHERE indexname = 'orders_user_id'"));
    }

    @Test
    void excludeATableWithoutForeignKeysIntoItDropsNone() throws Exception {
        TocFilter.Filtered f = filter(List.of(), List.of("notes"), List.of());
        assertEquals(List.of(), f.droppedForeignKeys());
        String db = restore(f);
        assertEquals("", query(db, "SELECT relname FROM pg_class WHERE relname IN ('notes', 'notes_id_seq', 'notes_pkey')"));
        assertEquals("2", query(db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"));
        assertEquals("3", query(db, "SELECT count(*) FROM events"));
    }

    @Test
    void excludeAReferencedTableDropsItsForeignKeysAndViews() throws Exception {
        TocFilter.Filtered f = filter(List.of(), List.of("users", "orders"), List.of());
        assertEquals(List.of("public.events events_user", "public.orders orders_user"), f.droppedForeignKeys().stream().sorted().toList());
        String db = restore(f);
        assertEquals("0", query(db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"));
        assertEquals("0", query(db, "SELECT count(*) FROM pg_views WHERE viewname = 'big_orders'"));
        assertEquals("3", query(db, "SELECT count(*) FROM events"));
    }

    @Test
    void excludeDataOfAPartitionedTableEmptiesItsPartitions() throws Exception {
        TocFilter.Filtered f = filter(List.of(), List.of(), List.of("measurements"));
        String db = restore(f);
        assertEquals("0", query(db, "SELECT count(*) FROM measurements"));
        assertEquals("measurements_2025", query(db, "SELECT relname FROM pg_class WHERE relname = 'measurements_2025'"));
        assertEquals("3", query(db, "SELECT count(*) FROM events"));
    }

    @Test
    void unknownTableNamesAreOneLineNamingThem() {
        TocFilter.UnknownTable e = assertThrows(TocFilter.UnknownTable.class, () -> filter(List.of(), List.of(), List.of("evnts", "events", "public.nope")));
        assertEquals("--exclude-data names tables the dump does not have: evnts, public.nope (names are schema.table or table, as in the database)",
                e.getMessage());
        assertThrows(TocFilter.UnknownTable.class, () -> filter(List.of("other.users"), List.of(), List.of()));
    }
}
