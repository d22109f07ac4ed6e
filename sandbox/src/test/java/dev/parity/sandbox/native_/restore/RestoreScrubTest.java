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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code development restore production} with scrub rules: the temporary database is scrubbed
 * before the swap, so no original value of a personal column reaches the development database;
 * rules that do not fit, or a personal column without a rule, stop before the swap and leave the
 * development database as it was.
 */
class RestoreScrubTest {
    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App production;
    /** Every value production's personal columns hold. */
    static List<String> originals;

    static final String PEOPLE = """
            CREATE TABLE people (id serial PRIMARY KEY, email text NOT NULL, first_name text, phone text, signup_ip inet,
                                 api_token text, created_at date NOT NULL DEFAULT '2026-01-01');
            CREATE UNIQUE INDEX people_email_idx ON people (email);
            INSERT INTO people (email, first_name, phone, signup_ip, api_token)
                SELECT 'person' || g || '@mail.example', 'Firstname' || g, '+1 555 01' || lpad(g::text, 2, '0'), ('10.0.0.' || g)::inet, 'secret-token-' || g
                FROM generate_series(1, 30) g;
            CREATE TABLE accounts (owner_email text PRIMARY KEY, plan text NOT NULL);
            INSERT INTO accounts SELECT 'owner' || g || '@corp.example', 'plan ' || g % 3 FROM generate_series(1, 10) g;
            CREATE TABLE invoices (id serial PRIMARY KEY, owner_email text NOT NULL REFERENCES accounts (owner_email), amount int NOT NULL);
            INSERT INTO invoices (owner_email, amount) SELECT 'owner' || (1 + g % 10) || '@corp.example', g FROM generate_series(1, 40) g;
            CREATE TABLE events (id serial PRIMARY KEY, actor_email text, detail text);
            INSERT INTO events (actor_email, detail) SELECT 'person' || g || '@mail.example', 'signed in' FROM generate_series(1, 5) g;
            """;

    static final String RULES = """
            scrub:
              people:
                email: email
                first_name: name
                phone: {constant: "555-0100"}
                signup_ip: {sql: "'0.0.0.0'::inet"}
                api_token: nullify
                created_at: keep
              accounts:
                owner_email: hash
              invoices:
                owner_email: hash
              events: truncate
            """;

    @BeforeAll
    static void production() throws Exception {
        s = RestoreSandbox.start(tmp);
        production = s.app("production", "shop-production");
        s.sql(production, PEOPLE);
        originals = new java.util.ArrayList<>(List.of(s.sql(production, "SELECT string_agg(concat_ws(E'\\n', email, first_name, phone, host(signup_ip), api_token), E'\\n')"
                        + " FROM people").split("\n")));
        originals.addAll(List.of(s.sql(production, "SELECT string_agg(owner_email, E'\\n') FROM accounts").split("\n")));
        assertEquals(30 * 5 + 10, originals.size());
        assertEquals("b001", s.capture(production));
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @BeforeEach
    void developerWasWorkingLocally() {
        s.localWork();
    }

    void rules(String scrub) throws Exception {
        Files.writeString(s.repo.resolve(".parity.yml"), "development:\n  database: " + DEV_DB + "\n" + scrub);
    }

    /** Every row of every table of {@code database}, each as text: what a search through every column sees. */
    String everything(String database) {
        StringBuilder all = new StringBuilder();
        for (String table : s.sql(database, "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'").split(",")) {
            all.append(s.sql(database, "SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM " + table + " t")).append('\n');
        }
        return all.toString();
    }

    @Test
    void theRestoredDatabaseHoldsNoOriginalPersonalValue() throws Exception {
        rules(RULES);
        Outcome r = s.parity("development", "restore", "production");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("scrubbed people: 30 rows (email, first_name, phone, signup_ip, api_token)"), r.err());
        assertTrue(r.err().contains("scrubbed accounts: 10 rows (owner_email)"), r.err());
        assertTrue(r.err().contains("scrubbed invoices: 40 rows (owner_email)"), r.err());
        assertTrue(r.err().contains("scrubbed events: 5 rows (truncated)"), r.err());
        // the rows are scrubbed before the indexes, constraints and triggers are built, then all is verified
        int scrubbed = r.err().indexOf("] scrub " + TEMPORARY);
        int built = r.err().indexOf("] build the indexes, constraints and triggers of " + TEMPORARY);
        int verified = r.err().indexOf("] verify the restored database");
        assertTrue(0 < scrubbed && scrubbed < built && built < verified, r.err());
        assertEquals("people_email_idx invoices_owner_email_fkey", s.sql(DEV_DB, "SELECT (SELECT indexname FROM pg_indexes WHERE indexname = 'people_email_idx')"
                + " || ' ' || (SELECT conname FROM pg_constraint WHERE contype = 'f')"));

        String all = everything(DEV_DB);
        for (String original : originals) assertFalse(all.contains(original), original + " reached " + DEV_DB);
        // uniqueness kept (the unique index still holds), joins between hashed columns still match every row
        assertEquals("30 30", s.sql(DEV_DB, "SELECT count(DISTINCT email) || ' ' || count(*) FROM people"));
        assertEquals("40", s.sql(DEV_DB, "SELECT count(*) FROM invoices JOIN accounts USING (owner_email)"));
        assertEquals("1 555-0100 0.0.0.0 0 2026-01-01", s.sql(DEV_DB, "SELECT count(DISTINCT phone) || ' ' || min(phone) || ' ' || host(min(signup_ip))"
                + " || ' ' || count(api_token) || ' ' || min(created_at) FROM people"));
        assertEquals("0", s.sql(DEV_DB, "SELECT count(*) FROM events"));
        assertEquals("my unsaved experiment", s.sql(PREVIOUS, "SELECT note FROM local_work"));
        assertFalse(s.exists(TEMPORARY));
    }

    @Test
    void anUncoveredPersonalColumnStopsBeforeTheSwapWithTheRulesToPaste() throws Exception {
        rules(RULES.replace("    phone: {constant: \"555-0100\"}\n", "").replace("    api_token: nullify\n", ""));
        Outcome r = s.parity("development", "restore", "production");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("2 personal-looking columns have no scrub rule; add rules for them (keep is a rule too) to .parity.yml:\n"
                + "scrub:\n  people:\n    phone: nullify\n    api_token: nullify\n"), r.err());
        assertTrue(r.err().contains("stopped before the swap: " + DEV_DB + " was not changed"), r.err());
        s.assertLocalWorkUntouched();
        s.assertNoDumpLeft();
    }

    @Test
    void aConstantForAUniqueColumnFailsWhenItsIndexIsBuiltAndNothingIsSwapped() throws Exception {
        // people.email has a unique index, built after the scrub: thirty equal addresses cannot have it
        rules(RULES.replace("    email: email\n", "    email: {constant: \"someone@example.invalid\"}\n"));
        Outcome r = s.parity("development", "restore", "production");
        assertTrue(r.exitCode() != 0, r.toString());
        assertTrue(r.err().contains("people_email_idx"), r.err());
        assertTrue(r.err().contains(DEV_DB + " was not changed"), r.err());
        s.assertLocalWorkUntouched();
        assertFalse(s.exists(TEMPORARY));
    }

    /**
     * SIGINT before the scrub, before the indexes are built on the scrubbed rows, and before the
     * verification: the development database is as it was, and the half-made temporary one (with
     * unscrubbed or unindexed rows) is gone.
     */
    @ParameterizedTest(name = "SIGINT before ''{0}''")
    @ValueSource(strings = {"scrub ", "build the indexes, constraints and triggers of ", "verify the restored database"})
    void aSignalAroundTheScrubLeavesTheDevelopmentDatabaseAsItWas(String step) throws Exception {
        rules(RULES);
        Outcome first = s.parity("development", "restore", "production");
        assertEquals(0, first.exitCode(), first.toString());
        Matcher m = Pattern.compile("\\[(\\d+)/\\d+\\] " + Pattern.quote(step)).matcher(first.err());
        assertTrue(m.find(), first.err());
        String point = "step:" + m.group(1);
        s.localWork(); // the development database with local work again, no snapshot
        Outcome stopped = s.interruptedAt(point, "development", "restore", "production");
        String said = stopped.err();
        assertEquals(130, stopped.exitCode(), said);
        assertTrue(said.strip().endsWith(DEV_DB + " was not changed"), said);
        s.assertLocalWorkUntouched();
        assertEquals("", s.sql("postgres", "SELECT coalesce(string_agg(datname, ','), '') FROM pg_database WHERE datname LIKE '"
                + DEV_DB + "\\_parity\\_snapshot%'"), "no snapshot was kept of a database that was not finished");
    }

    @Test
    void aRuleForAColumnTheDatabaseLacksStopsBeforeTheSwap() throws Exception {
        rules(RULES.replace("    created_at: keep\n", "    created_at: keep\n    mobile: nullify\n"));
        Outcome r = s.parity("development", "restore", "production");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains(".parity.yml: scrub.people.mobile: table public.people has no column mobile\n"), r.err());
        s.assertLocalWorkUntouched();
    }

    @Test
    void aBadRuleIsOneLineAndNothingIsDownloaded() throws Exception {
        rules(RULES.replace("api_token: nullify", "api_token: scramble"));
        Outcome r = s.parity("development", "restore", "production");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains(".parity.yml: 'scrub.people.api_token': unknown rule 'scramble'"), r.err());
        assertFalse(r.err().contains("download"), r.err());
        s.assertLocalWorkUntouched();
        s.assertNoDumpLeft();
    }

    @Test
    void dryRunShowsTheRules() throws Exception {
        rules(RULES);
        Outcome r = s.parity("development", "restore", "production", "--dry-run");
        assertEquals(0, r.exitCode(), r.toString());
        String plan = r.out() + r.err();
        assertTrue(plan.contains("people: email: email, first_name: name, phone: {constant: \"555-0100\"}, signup_ip: {sql: \"'0.0.0.0'::inet\"},"
                + " api_token: nullify, created_at: keep; accounts: owner_email: hash; invoices: owner_email: hash; events: truncate"), plan);
        s.assertLocalWorkUntouched();
    }
}
