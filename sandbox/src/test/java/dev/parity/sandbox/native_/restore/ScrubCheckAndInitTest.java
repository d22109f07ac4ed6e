package dev.parity.sandbox.native_.restore;

import static dev.parity.sandbox.native_.restore.RestoreSandbox.DEV_DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.native_.restore.RestoreSandbox.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code parity scrub check} and {@code parity scrub init} against production's latest backup on
 * the sandbox, read from its table of contents only; and the line a restore without a scrub:
 * section ends with. The schema has a quoted column name, a partitioned table (its partition is
 * reached through the parent) and an inheriting table (its parent's columns count as its own).
 */
class ScrubCheckAndInitTest {
    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App production;
    static App staging;
    /** Every value production's personal columns hold. */
    static List<String> originals;

    static final String SCHEMA = """
            CREATE TABLE people (id serial PRIMARY KEY, email text NOT NULL, first_name text, phone text, signup_ip inet,
                                 api_token text, "Home Address" text, encrypted_password text NOT NULL, created_at date NOT NULL DEFAULT '2026-01-01');
            CREATE UNIQUE INDEX people_email_idx ON people (email);
            INSERT INTO people (email, first_name, phone, signup_ip, api_token, "Home Address", encrypted_password)
                SELECT 'person' || g || '@mail.example', 'Firstname' || g, '+1 555 01' || lpad(g::text, 2, '0'), ('10.0.0.' || g)::inet,
                       'secret-token-' || g, g || ' Secret Street', 'pw-hash-' || g
                FROM generate_series(1, 20) g;
            CREATE TABLE accounts (owner_email text PRIMARY KEY, plan text NOT NULL);
            INSERT INTO accounts SELECT 'owner' || g || '@corp.example', 'plan ' || g % 3 FROM generate_series(1, 10) g;
            CREATE TABLE invoices (id serial PRIMARY KEY, owner_email text NOT NULL REFERENCES accounts (owner_email), amount int NOT NULL);
            INSERT INTO invoices (owner_email, amount) SELECT 'owner' || (1 + g % 10) || '@corp.example', g FROM generate_series(1, 30) g;
            CREATE TABLE events (id serial, actor_email text, at date NOT NULL) PARTITION BY RANGE (at);
            CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            INSERT INTO events (actor_email, at) SELECT 'actor' || g || '@mail.example', '2026-03-01' FROM generate_series(1, 5) g;
            CREATE TABLE staff (id int PRIMARY KEY, work_phone text);
            CREATE TABLE contractors (agency_name text) INHERITS (staff);
            INSERT INTO contractors VALUES (1, '+1 555 0999', 'Agency of Secrets');
            CREATE VIEW people_emails AS SELECT email FROM people;
            """;

    /** people 7, accounts 1, invoices 1, events 1 (not its partition), staff 1, contractors 2 (work_phone inherited). */
    static final int PERSONAL = 13;

    static final String COVERING = """
            scrub:
              people:
                email: email
                first_name: name
                phone: {constant: "555-0100"}
                signup_ip: {sql: "'0.0.0.0'::inet"}
                api_token: nullify
                "Home Address": hash
                encrypted_password: hash
              accounts: {owner_email: hash}
              invoices: {owner_email: hash}
              events: truncate
              staff: {work_phone: nullify}
              contractors: {work_phone: nullify, agency_name: name}
            """;

    static final String BASE = "# the shop's parity settings\ndevelopment:\n  database: " + DEV_DB + "   # local copy\n";

    @BeforeAll
    static void production() throws Exception {
        s = RestoreSandbox.start(tmp);
        production = s.app("production", "shop-production");
        staging = s.app("staging", "shop-staging"); // no backup ever captured
        s.sql(production, SCHEMA);
        originals = new ArrayList<>(List.of(s.sql(production, "SELECT string_agg(concat_ws(E'\\n', email, first_name, phone, host(signup_ip),"
                + " api_token, \"Home Address\", encrypted_password), E'\\n') FROM people").split("\n")));
        originals.addAll(List.of(s.sql(production, "SELECT string_agg(owner_email, E'\\n') FROM accounts").split("\n")));
        originals.addAll(List.of("+1 555 0999", "Agency of Secrets", "actor1@mail.example"));
        assertEquals("b001", s.capture(production));
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @BeforeEach
    void developerWasWorkingLocally() throws Exception {
        s.localWork();
        config(BASE);
    }

    @AfterEach
    void noFaultsLeft() {
        s.clearFaults();
    }

    static void config(String yaml) throws Exception {
        Files.writeString(s.repo.resolve(".parity.yml"), yaml);
    }

    static String config() throws Exception {
        return Files.readString(s.repo.resolve(".parity.yml"));
    }

    /** Nothing but the table of contents was read: no download step, no dump in the cache, no URL printed, the local database as it was. */
    static void onlyTheTableOfContentsWasRead(Outcome r) throws Exception {
        assertFalse(r.err().contains("[3/"), "a third step ran\n" + r);
        assertFalse((r.out() + r.err()).contains("download"), r.toString());
        s.assertNoDumpLeft();
        RestoreSandbox.assertNoBackupUrl(r);
        s.assertLocalWorkUntouched();
    }

    @Test
    void checkWithoutAScrubSectionListsEveryPersonalColumnAsUncoveredAndPointsToInit() throws Exception {
        Outcome r = s.parity("scrub", "check");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("Scrub rules against production (shop-production)'s latest backup (shop-production::b001):\n"), r.out());
        assertEquals(PERSONAL, r.out().lines().filter(l -> l.endsWith("  NO RULE")).count(), r.out());
        assertTrue(r.out().contains("\n  people\n    email               NO RULE\n"), r.out());
        assertTrue(r.out().contains("\n    Home Address        NO RULE\n"), r.out());
        assertTrue(r.out().contains("\n  contractors\n    work_phone          NO RULE\n    agency_name         NO RULE\n"), r.out());
        assertFalse(r.out().contains("events_2026"), "a partition is scrubbed through its parent\n" + r.out());
        assertFalse(r.out().contains("people_emails"), "a view holds no data of its own\n" + r.out());
        assertTrue(r.out().contains("Not covered: .parity.yml has no scrub: section, so these 13 personal-looking columns would arrive"
                + " unscrubbed. `parity scrub init` writes a starting scrub: section for them."), r.out());
        onlyTheTableOfContentsWasRead(r);
    }

    @Test
    void checkWithCoveringRulesPassesAndNamesTheRuleOfEachColumn() throws Exception {
        config(BASE + COVERING);
        Outcome r = s.parity("scrub", "check", "production");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("\n    phone               {constant: \"555-0100\"}\n"), r.out());
        assertTrue(r.out().contains("\n  events\n    actor_email         truncate\n"), r.out());
        assertTrue(r.out().endsWith("Covered: every personal-looking column has a rule.\n"), r.out());
        onlyTheTableOfContentsWasRead(r);
    }

    @Test
    void checkWithAnUncoveredColumnFailsWithTheRulesToAdd() throws Exception {
        config(BASE + COVERING.replace("    api_token: nullify\n", "").replace("  staff: {work_phone: nullify}\n", ""));
        Outcome r = s.parity("scrub", "check");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.out().contains("\n    api_token           NO RULE\n"), r.out());
        assertTrue(r.out().contains("Not covered: 2 personal-looking columns have no rule; a restore would stop before the swap."
                + " Rules to add (keep is a rule too):\nscrub:\n  people:\n    api_token: nullify\n  staff:\n    work_phone: nullify\n"), r.out());
        onlyTheTableOfContentsWasRead(r);
    }

    @Test
    void checkWithARuleForAMissingColumnIsBadRulesExit2() throws Exception {
        config(BASE + COVERING.replace("    api_token: nullify\n", "    api_token: nullify\n    mobile: nullify\n") + "  ghosts: truncate\n");
        Outcome r = s.parity("scrub", "check");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Rules naming what the backup does not have:\n"
                + "  .parity.yml: scrub.people.mobile: table public.people has no column mobile\n"
                + "  .parity.yml: scrub.ghosts: production (shop-production)'s latest backup has no table public.ghosts\n"), r.out());
        assertTrue(r.out().contains("Bad rules: 2 rules name what the backup does not have"), r.out());
        onlyTheTableOfContentsWasRead(r);
    }

    @Test
    void anUnreadableRuleIsOneLineExit2BeforeAnythingIsAsked() throws Exception {
        config(BASE + COVERING.replace("api_token: nullify", "api_token: scramble"));
        int before = s.f.sandbox().requests().count("GET", "/client/v11/apps/shop-production/transfers");
        Outcome r = s.parity("scrub", "check");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("parity: .parity.yml: 'scrub.people.api_token': unknown rule 'scramble' (known: email, name, nullify, hash, keep,"
                + " {constant: VALUE}, {sql: EXPRESSION})\n", r.err());
        assertEquals("", r.out());
        assertEquals(before, s.f.sandbox().requests().count("GET", "/client/v11/apps/shop-production/transfers"), "the API was asked");
        onlyTheTableOfContentsWasRead(r);
    }

    @Test
    void checkAsJson() throws Exception {
        config(BASE + COVERING.replace("    api_token: nullify\n", ""));
        Outcome r = s.parity("scrub", "check", "--json");
        assertEquals(1, r.exitCode(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("uncovered", json.path("verdict").asText());
        assertEquals(1, json.path("uncovered").asInt());
        assertEquals("shop-production", json.path("app").asText());
        JsonNode people = json.path("tables").get(4); // accounts, contractors, events, invoices, people, staff
        assertEquals("people", people.path("table").asText());
        assertEquals("email", people.path("columns").get(0).path("rule").asText());
        assertTrue(people.path("columns").get(4).path("rule").isNull(), people.toString());
        assertEquals(PERSONAL, json.path("tables").findValues("column").size());
        RestoreSandbox.assertNoBackupUrl(r);
    }

    @Test
    void anAppWithoutBackupsSaysHowToCaptureOne() throws Exception {
        Outcome r = s.parity("scrub", "check", "staging");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'find the latest backup of staging (shop-staging)' failed: no backups on shop-staging;"
                + " capture one with: staging backup"), r.err());
        assertEquals("", r.out());
        onlyTheTableOfContentsWasRead(r);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource(delimiter = '|', value = {
            "401|the Heroku API refused the credentials from HEROKU_API_KEY",
            "404|(GET /client/v11/apps/shop-production/transfers, HTTP 404",
            "503|The API is temporarily unavailable. (GET /client/v11/apps/shop-production/transfers, HTTP 503, service_unavailable) (gave up after 4 attempts)"})
    void anApiFailureIsOneLineExit2(int status, String says) throws Exception {
        s.f.sandbox().faults().failNext(4, status, 0);
        Outcome r = s.parity("scrub", "check");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'find the latest backup of production (shop-production)' failed: "), r.err());
        assertTrue(r.err().contains(says), r.err());
        assertEquals("", r.out());
        onlyTheTableOfContentsWasRead(r);
    }

    @Test
    void initAppendsRulesThatCheckAcceptsAndARestoreUses() throws Exception {
        Outcome init = s.parity("scrub", "init");
        assertEquals(0, init.exitCode(), init.toString());
        assertEquals("wrote a scrub: section with 13 rules to .parity.yml; review every rule, then: parity scrub check production\n", init.out());
        String written = config();
        assertTrue(written.startsWith(BASE + "\n# Generated by `parity scrub init` from production (shop-production)'s latest backup"
                + " (shop-production::b001).\n# Review every rule"), written);
        assertTrue(written.contains("\n  people:\n    email: email\n    first_name: name\n    phone: {constant: \"555-0100\"}\n"
                + "    signup_ip: {constant: \"0.0.0.0\"}\n    api_token: nullify\n    \"Home Address\": hash\n    encrypted_password: hash\n"), written);
        assertTrue(written.contains("\nscrub:\n  accounts:\n    owner_email: email\n  contractors:\n    work_phone: {constant: \"555-0100\"}\n"
                + "    agency_name: name\n  events:\n    actor_email: email\n"), written);
        onlyTheTableOfContentsWasRead(init);

        Outcome again = s.parity("scrub", "init");
        assertEquals(2, again.exitCode(), again.toString());
        assertTrue(again.err().contains(".parity.yml already has a scrub: section; scrub init does not overwrite it"), again.err());
        assertEquals(written, config(), "the second init changed the file");

        Outcome check = s.parity("scrub", "check");
        assertEquals(0, check.exitCode(), check.toString());

        Outcome restore = s.parity("development", "restore", "production");
        assertEquals(0, restore.exitCode(), restore.toString());
        assertTrue(restore.err().contains("parity: scrubbed people: 20 rows (email, first_name, phone, signup_ip, api_token, Home Address,"
                + " encrypted_password)"), restore.err());
        StringBuilder all = new StringBuilder();
        for (String table : List.of("people", "accounts", "invoices", "events", "staff", "contractors")) {
            all.append(s.sql(DEV_DB, "SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM " + table + " t")).append('\n');
        }
        for (String original : originals) assertFalse(all.toString().contains(original), original + " reached " + DEV_DB);
        assertEquals("30", s.sql(DEV_DB, "SELECT count(*) FROM invoices JOIN accounts USING (owner_email)"), "joins between scrubbed emails hold");
        assertFalse(restore.err().contains("arrived unscrubbed"), restore.err());
    }

    @Test
    void initToStdoutWritesNothing() throws Exception {
        Outcome r = s.parity("scrub", "init", "--stdout");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("# Generated by `parity scrub init`"), r.out());
        assertTrue(r.out().contains("\nscrub:\n  accounts:\n    owner_email: email\n"), r.out());
        assertEquals(BASE, config());
    }

    @Test
    void aRestoreWithoutAScrubSectionEndsWithTheCountOfUnscrubbedPersonalColumns() throws Exception {
        Outcome r = s.parity("development", "restore", "production");
        assertEquals(0, r.exitCode(), r.toString());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("parity: " + PERSONAL + " personal-looking columns (in 6 tables) arrived unscrubbed;"
                + " `parity scrub init` writes a starting scrub: section for them", last, r.err());
        // the same count, read independently from the restored database's catalog
        assertEquals(String.valueOf(PERSONAL), s.sql(DEV_DB, "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                + " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0"
                + " AND a.attname ~* '(email|phone|_name$|address|ssn|birth|_ip$|token|password)'"));
    }

    @Test
    void dryRunSaysTheLineWillBePrintedWithoutACount() throws Exception {
        Outcome r = s.parity("development", "restore", "production", "--dry-run");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("then one line: how many personal-looking columns arrived unscrubbed, and that"
                + " `parity scrub init` writes a starting scrub: section for them"), r.out());
        assertFalse((r.out() + r.err()).matches("(?s).*\\d+ personal-looking column.*"), r.toString());
        s.assertLocalWorkUntouched();
    }
}
