package dev.parity.scrub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parity.db.DevDatabase;
import dev.parity.db.DumpToc;
import dev.parity.db.JdbcLocalSql;
import dev.parity.pgcluster.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tables and columns read from a real pg_dump's table of contents are exactly those the
 * restore's scrub reads from the database itself: what scrub check reports is what a restore
 * would check. Quoted names, another schema, inheritance (also a column added to the parent
 * later), partitions (also of a partition), views, an unlogged table and a dropped column.
 */
class BackupSchemaTest {
    @TempDir
    static Path tmp;
    static PostgresCluster pg;

    static final String SCHEMA = """
            CREATE SCHEMA "Billing";
            CREATE TABLE "Billing"."Cards" ("Holder Name" text NOT NULL, "a""b" text, card_iban text);
            CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, "user" text, dropped_phone text, first_name text);
            ALTER TABLE users DROP COLUMN dropped_phone;
            CREATE TABLE staff (id int PRIMARY KEY, work_phone text);
            CREATE TABLE contractors (agency_name text) INHERITS (staff);
            CREATE TABLE subcontractors (home_address text) INHERITS (contractors);
            ALTER TABLE staff ADD COLUMN badge_token text;
            CREATE TABLE events (id serial, actor_email text, at date NOT NULL, region text NOT NULL) PARTITION BY RANGE (at);
            CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (region);
            CREATE TABLE events_2026_eu PARTITION OF events_2026 FOR VALUES IN ('eu');
            CREATE UNLOGGED TABLE sessions (session_token text);
            CREATE VIEW user_emails AS SELECT email FROM users;
            CREATE MATERIALIZED VIEW user_names AS SELECT first_name FROM users;
            """;

    @BeforeAll
    static void start() {
        pg = PostgresCluster.start(tmp.resolve("clusters"));
        pg.createDatabase("shop");
        pg.psql("shop", SCHEMA);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    static Map<String, List<String>> sorted(Map<String, List<String>> tables) {
        Map<String, List<String>> out = new TreeMap<>();
        tables.forEach((t, cols) -> out.put(t, cols.stream().sorted().toList()));
        return out;
    }

    @Test
    void theTableOfContentsListsTheColumnsTheRestoredDatabaseHas() throws Exception {
        Path file = tmp.resolve("shop.dump");
        ProcessBuilder pb = new ProcessBuilder(pg.program("pg_dump"), "--format=custom", "--file", file.toString(), "shop");
        pb.environment().putAll(pg.libpqEnv());
        assertEquals(0, pb.inheritIO().start().waitFor());
        byte[] dump = Files.readAllBytes(file);
        Map<String, List<TableDefinition.Column>> fromToc = BackupSchema.of(DumpToc.parse(dump, dump.length));

        Map<String, List<String>> live;
        try (JdbcLocalSql sql = new JdbcLocalSql(new DevDatabase("shop", Optional.empty(), Optional.of(Integer.toString(pg.port())),
                Optional.of("postgres"), Optional.empty(), "test"), pg.libpqEnv())) {
            live = Scrubber.columns((doing, statements) -> sql.run(doing, "shop", statements));
        }
        assertEquals(sorted(live), sorted(BackupSchema.names(fromToc)));
        assertEquals(List.of("Billing.Cards", "public.contractors", "public.events", "public.sessions", "public.staff", "public.subcontractors",
                "public.users"), List.copyOf(fromToc.keySet()));
        assertEquals(List.of("id", "work_phone", "badge_token", "agency_name", "home_address"),
                BackupSchema.names(fromToc).get("public.subcontractors"));
        assertEquals(true, fromToc.get("Billing.Cards").get(0).notNull());
    }
}
