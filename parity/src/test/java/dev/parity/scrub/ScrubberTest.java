package dev.parity.scrub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.config.ParityConfig;
import dev.parity.db.DevDatabase;
import dev.parity.db.JdbcLocalSql;
import dev.parity.pgcluster.PostgresCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrub rules on a real server: every rule kind gives the promised values, no original value of a
 * personal column is left anywhere, the unique index on email and a foreign key between hashed
 * columns survive; rules that do not fit the schema, or a personal column without a rule, change nothing.
 */
class ScrubberTest {
    @TempDir
    static Path tmp;
    static PostgresCluster pg;
    static final AtomicInteger N = new AtomicInteger();

    static final String SCHEMA = """
            CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, first_name text, phone text, api_token text,
              signup_ip inet, created_at date, referrer_email text);
            CREATE UNIQUE INDEX users_email ON users (email);
            INSERT INTO users (email, first_name, phone, api_token, signup_ip, created_at, referrer_email) VALUES
              ('ada@lovelace.example', 'Ada', '+44 20 7946 0001', 'tok-ada-secret', '81.2.69.160', '2020-01-02', NULL),
              ('alan@turing.example', 'Alan', '+44 20 7946 0002', 'tok-alan-secret', '81.2.69.161', '2020-01-03', 'ada@lovelace.example');
            CREATE TABLE customers (contact_email text PRIMARY KEY, full_name text);
            CREATE TABLE invoices (id serial PRIMARY KEY, contact_email text REFERENCES customers (contact_email), amount int);
            INSERT INTO customers VALUES ('grace@hopper.example', 'Grace Hopper'), ('edsger@dijkstra.example', 'Edsger Dijkstra');
            INSERT INTO invoices (contact_email, amount) VALUES ('grace@hopper.example', 10), ('grace@hopper.example', 20), ('edsger@dijkstra.example', 30);
            CREATE TABLE audit_events (id serial PRIMARY KEY, actor_email text, payload text);
            INSERT INTO audit_events (actor_email, payload) VALUES ('ada@lovelace.example', 'logged in from 81.2.69.160');
            """;

    static final String RULES = """
            scrub:
              users:
                email: email
                first_name: name
                phone: {constant: "555-0100"}
                api_token: nullify
                signup_ip: {sql: "'0.0.0.0'::inet"}
                created_at: keep
                referrer_email: hash
              customers:
                contact_email: hash
                full_name: name
              invoices:
                contact_email: hash
              audit_events: truncate
            """;

    static final List<String> ORIGINALS = List.of("ada@lovelace.example", "alan@turing.example", "Ada", "Alan", "+44 20 7946 0001",
            "+44 20 7946 0002", "tok-ada-secret", "tok-alan-secret", "81.2.69.160", "81.2.69.161", "grace@hopper.example",
            "edsger@dijkstra.example", "Grace Hopper", "Edsger Dijkstra");

    @BeforeAll
    static void start() {
        pg = PostgresCluster.start(tmp.resolve("clusters"));
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    /** A fresh database with the production-like schema; its name. */
    static String database() {
        String name = "scrub_" + N.incrementAndGet();
        pg.createDatabase(name);
        pg.psql(name, SCHEMA);
        return name;
    }

    static JdbcLocalSql connect(String name) {
        return new JdbcLocalSql(new DevDatabase(name, Optional.empty(), Optional.of(Integer.toString(pg.port())), Optional.of("postgres"),
                Optional.empty(), "test"), pg.libpqEnv());
    }

    static Scrubber.Sql on(JdbcLocalSql sql, String name) {
        return (doing, statements) -> sql.run(doing, name, statements);
    }

    /** Every row of every table as text, the way a search through every column would see it. */
    static String everything(JdbcLocalSql sql, String name) throws Exception {
        return sql.run("read", name, "SELECT u::text FROM users u", "SELECT c::text FROM customers c", "SELECT i::text FROM invoices i",
                "SELECT a::text FROM audit_events a");
    }

    @Test
    void everyRuleKindScrubsAndNothingPersonalRemains() throws Exception {
        String name = database();
        try (JdbcLocalSql sql = connect(name)) {
            List<Scrubber.Touched> touched = new Scrubber(ParityConfig.parse(RULES).scrub()).scrub(on(sql, name));
            assertEquals(List.of(new Scrubber.Touched("users", 2, "email, first_name, phone, api_token, signup_ip, referrer_email"),
                    new Scrubber.Touched("customers", 2, "contact_email, full_name"), new Scrubber.Touched("invoices", 3, "contact_email"),
                    new Scrubber.Touched("audit_events", 1, "truncated")), touched);

            String all = everything(sql, name);
            for (String original : ORIGINALS) assertFalse(all.contains(original), original + " is still in the database");

            String users = sql.run("read", name, "SELECT email, first_name, phone, coalesce(api_token, '<null>'), signup_ip, created_at,"
                    + " coalesce(referrer_email, '<null>') FROM users ORDER BY id");
            String[] ada = users.split("\n")[0].split("\t");
            String[] alan = users.split("\n")[1].split("\t");
            assertTrue(ada[0].matches("user-[0-9a-f]{20}@example\\.invalid"), ada[0]);
            assertTrue(ada[1].matches("Name [0-9A-F]{8}"), ada[1]);
            assertEquals("555-0100", ada[2]);
            assertEquals("<null>", ada[3]);
            assertEquals("0.0.0.0", ada[4]);
            assertEquals("2020-01-02", ada[5]); // keep
            assertEquals("<null>", ada[6]); // NULL stays NULL
            assertTrue(alan[6].matches("[0-9a-f]{32}"), alan[6]);
            // uniqueness kept: the unique index held through the UPDATE and still holds
            assertEquals("2\t2\n", sql.run("read", name, "SELECT count(DISTINCT email), count(*) FROM users"));
            // the foreign key between hashed columns still joins every row, and still holds
            assertEquals("3\n", sql.run("read", name, "SELECT count(*) FROM invoices JOIN customers USING (contact_email)"));
            assertEquals("2\n", sql.run("read", name, "SELECT count(*) FROM invoices JOIN customers USING (contact_email) WHERE amount IN (10, 20)"
                    + " GROUP BY contact_email"));
            assertEquals("0\n", sql.run("read", name, "SELECT count(*) FROM audit_events"));
        }
    }

    @Test
    void anUncoveredPersonalColumnStopsWithTheRulesToPasteAndChangesNothing() throws Exception {
        String name = database();
        pg.psql(name, "CREATE TABLE newsletter (id int, subscriber_email text, home_address text, last_name text); "
                + "INSERT INTO newsletter VALUES (1, 'ada@lovelace.example', '12 St James Square', 'Lovelace')");
        try (JdbcLocalSql sql = connect(name)) {
            String before = everything(sql, name);
            Scrubber.Mismatch e = assertThrows(Scrubber.Mismatch.class, () -> new Scrubber(ParityConfig.parse(RULES).scrub()).scrub(on(sql, name)));
            assertFalse(e.unknownNames());
            assertEquals("""
                    3 personal-looking columns have no scrub rule; add rules for them (keep is a rule too) to .parity.yml:
                    scrub:
                      newsletter:
                        subscriber_email: email
                        home_address: nullify
                        last_name: name""", e.getMessage());
            assertEquals(before, everything(sql, name));
            assertTrue(before.contains("ada@lovelace.example"));
        }
    }

    @Test
    void rulesForMissingTablesOrColumnsAreOneLineEachAndChangeNothing() throws Exception {
        String name = database();
        try (JdbcLocalSql sql = connect(name)) {
            String before = everything(sql, name);
            ScrubRules rules = ParityConfig.parse(RULES + "  userz:\n    email: email\n  customers_extra: truncate\n").scrub();
            ScrubRules wrongColumn = ParityConfig.parse(RULES.replace("created_at: keep", "created_at: keep\n    mobile: nullify")).scrub();
            Scrubber.Mismatch e = assertThrows(Scrubber.Mismatch.class, () -> new Scrubber(rules).scrub(on(sql, name)));
            assertTrue(e.unknownNames());
            assertEquals(".parity.yml: scrub.userz: the restored database has no table public.userz\n"
                    + ".parity.yml: scrub.customers_extra: the restored database has no table public.customers_extra", e.getMessage());
            Scrubber.Mismatch c = assertThrows(Scrubber.Mismatch.class, () -> new Scrubber(wrongColumn).scrub(on(sql, name)));
            assertEquals(".parity.yml: scrub.users.mobile: table public.users has no column mobile", c.getMessage());
            assertEquals(before, everything(sql, name));
        }
    }

    /** A fresh database whose tables belong to {@code role}, a login role without superuser (as on Heroku); its name. */
    static String ownedBy(String role, String extra) {
        String name = "scrub_" + N.incrementAndGet();
        pg.psql("postgres", "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE " + role
                + " LOGIN NOSUPERUSER; END IF; END$$");
        pg.createDatabase(name);
        pg.psql("postgres", "ALTER DATABASE " + name + " OWNER TO " + role);
        pg.psql(name, "SET ROLE " + role + ";\n" + SCHEMA + extra);
        return name;
    }

    static JdbcLocalSql connectAs(String name, String role) {
        return new JdbcLocalSql(new DevDatabase(name, Optional.empty(), Optional.of(Integer.toString(pg.port())), Optional.of(role),
                Optional.empty(), "test"), pg.libpqEnv());
    }

    /** An audit trigger that would copy every old email into another table if it fired during the scrub. */
    static final String EMAIL_AUDIT = """
            CREATE TABLE email_changes (old_value text);
            CREATE FUNCTION remember_email() RETURNS trigger LANGUAGE plpgsql AS
              $f$BEGIN INSERT INTO email_changes VALUES (OLD.email); RETURN NEW; END$f$;
            CREATE TRIGGER users_email_audit AFTER UPDATE ON users FOR EACH ROW EXECUTE FUNCTION remember_email();
            """;

    static final String CONSTRAINTS = "SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), E'\\n' ORDER BY conname) FROM pg_constraint"
            + " WHERE contype = 'f' UNION ALL SELECT string_agg(tgname || ' ' || tgenabled::text, ',') FROM pg_trigger WHERE NOT tgisinternal";

    @Test
    void theTablesOwnerScrubsWithoutSuperuserAndKeysAndTriggersComeBackAsTheyWere() throws Exception {
        String name = ownedBy("app_owner", EMAIL_AUDIT);
        try (JdbcLocalSql sql = connectAs(name, "app_owner")) {
            assertEquals("f\n", sql.run("read", name, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
            String before = sql.run("read", name, CONSTRAINTS);
            new Scrubber(ParityConfig.parse(RULES).scrub()).scrub(on(sql, name));
            assertEquals(before, sql.run("read", name, CONSTRAINTS), "the foreign key and the trigger are back, as they were");
            assertEquals("0\n", sql.run("read", name, "SELECT count(*) FROM email_changes"), "the audit trigger did not fire during the scrub");
            String all = everything(sql, name);
            for (String original : ORIGINALS) assertFalse(all.contains(original), original + " is still in the database");
            assertEquals("3\n", sql.run("read", name, "SELECT count(*) FROM invoices JOIN customers USING (contact_email)"));
        }
    }

    @Test
    void aForeignKeyBrokenByHashingOneSideRollsTheWholeScrubBack() throws Exception {
        assertRolledBack("", RULES.replace("    contact_email: hash\n    full_name: name", "    contact_email: keep\n    full_name: name"),
                CONSTRAINTS, "invoices_contact_email_fkey");
    }

    /** The scrub with {@code rules} fails naming {@code culprit}; the rows and {@code catalog}'s answer are as they were. */
    private static void assertRolledBack(String extraSchema, String rules, String catalog, String culprit) throws Exception {
        String name = ownedBy("app_owner", extraSchema);
        try (JdbcLocalSql sql = connectAs(name, "app_owner")) {
            String before = everything(sql, name) + sql.run("read", name, catalog);
            ScrubRules parsed = ParityConfig.parse(rules).scrub();
            Exception e = assertThrows(Exception.class, () -> new Scrubber(parsed).scrub(on(sql, name)));
            assertTrue(e.getMessage().contains(culprit), e.getMessage());
            assertEquals(before, everything(sql, name) + sql.run("read", name, catalog), "nothing changed: the transaction rolled back");
        }
    }

    /** Every index with its definition, validity, comment, clustering and replica identity, one per line. */
    static final String INDEXES = "SELECT string_agg(x.relname || ' ' || pg_get_indexdef(x.oid) || ' valid=' || i.indisvalid"
            + " || ' clustered=' || i.indisclustered || ' replident=' || i.indisreplident"
            + " || ' comment=' || coalesce(obj_description(x.oid, 'pg_class'), '-'), E'\\n' ORDER BY x.relname)"
            + " FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_namespace n ON n.oid = x.relnamespace WHERE n.nspname = 'public'";

    static final String MORE_INDEXES = """
            ALTER TABLE users ADD COLUMN profile jsonb DEFAULT '{"plan": "pro"}';
            CREATE INDEX users_profile ON users USING gin (profile jsonb_path_ops);
            CREATE INDEX users_lower_email ON users (lower(email)) WHERE phone IS NOT NULL;
            CREATE INDEX users_signup_ip ON users (signup_ip);
            COMMENT ON INDEX users_signup_ip IS 'for the abuse report';
            CREATE INDEX users_created_at ON users (created_at);
            CLUSTER users USING users_created_at;
            CREATE UNIQUE INDEX users_api_token ON users (api_token);
            ALTER TABLE users REPLICA IDENTITY USING INDEX users_pkey;
            CREATE UNIQUE INDEX customers_name ON customers (full_name);
            """;

    @Test
    void indexesOfUpdatedTablesAreBuiltAgainAsTheyWere() throws Exception {
        String name = ownedBy("app_owner", MORE_INDEXES);
        try (JdbcLocalSql sql = connectAs(name, "app_owner")) {
            String before = sql.run("read", name, INDEXES);
            String oids = "SELECT string_agg(relname || '=' || oid, ',' ORDER BY relname) FROM pg_class WHERE relkind = 'i'"
                    + " AND relname IN ('users_profile', 'users_lower_email', 'users_api_token', 'users_email', 'customers_name',"
                    + " 'users_signup_ip', 'users_created_at', 'users_pkey', 'customers_pkey', 'audit_events_pkey')";
            Map<String, String> oidsBefore = pairs(sql.run("read", name, oids));
            new Scrubber(ParityConfig.parse(RULES).scrub()).scrub(on(sql, name));
            assertEquals(before, sql.run("read", name, INDEXES), "every index is back, valid, with its comment and flags");
            Map<String, String> oidsAfter = pairs(sql.run("read", name, oids));
            for (String rebuilt : List.of("users_profile", "users_lower_email", "users_api_token", "users_email", "customers_name")) {
                assertNotEquals(oidsBefore.get(rebuilt), oidsAfter.get(rebuilt), rebuilt + " was dropped and built again");
            }
            for (String kept : List.of("users_signup_ip", "users_created_at", "users_pkey", "customers_pkey", "audit_events_pkey")) {
                assertEquals(oidsBefore.get(kept), oidsAfter.get(kept), kept + " (a comment, clustering, a constraint) stayed");
            }
            String all = everything(sql, name);
            for (String original : ORIGINALS) assertFalse(all.contains(original), original + " is still in the database");
            // the rebuilt indexes hold the scrubbed values: a lookup through each finds the row
            assertEquals("2\n", sql.run("read", name, "SET enable_seqscan = off",
                    "SELECT count(*) FROM users WHERE profile @> '{\"plan\": \"pro\"}'"));
            String email = sql.run("read", name, "SELECT email FROM users ORDER BY id LIMIT 1").strip();
            assertEquals("1\n", sql.run("read", name, "SET enable_seqscan = off", "SELECT count(*) FROM users WHERE email = " + ScrubSql.literal(email)));
        }
    }

    private static Map<String, String> pairs(String line) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (String p : line.strip().split(",")) m.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        return m;
    }

    @Test
    void aUniqueIndexTheScrubWouldBreakRollsTheWholeScrubBack() throws Exception {
        // full_name is unique (an index, not a constraint): a constant for it cannot be built back
        assertRolledBack(MORE_INDEXES, RULES.replace("    full_name: name", "    full_name: {constant: \"Someone\"}"), INDEXES, "customers_name");
    }

    @Test
    void identifiersAndConstantsAreQuoted() {
        assertEquals("\"we\"\"ird\"", ScrubSql.ident("we\"ird"));
        assertEquals("'O''Brien'", ScrubSql.literal("O'Brien"));
    }
}
