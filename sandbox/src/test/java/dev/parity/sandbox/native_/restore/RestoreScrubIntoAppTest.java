package dev.parity.sandbox.native_.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.native_.restore.RestoreSandbox.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrub rules in a restore into an app ({@code pr_app 12 restore production},
 * {@code staging restore production}): the rules run in the app's database right after the
 * restore, through its DATABASE_URL, as a role without superuser (as on Heroku). A rule set that
 * does not fit, or a failing rule, scrubs nothing and says the app holds the data unscrubbed;
 * production is never scrubbed; the database password never appears.
 */
class RestoreScrubIntoAppTest {
    static final String ROLE = "shop_app";
    static final String PASSWORD = "Pw-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App production;
    static App staging;
    static App review;
    /** Every value production's personal columns hold. */
    static List<String> originals;
    /** Production's foreign keys, as pg_get_constraintdef shows them. */
    static String productionKeys;
    /** Production's backup b001: its fingerprint and every row (production itself changes in one test). */
    static String b001Fingerprint;
    static String b001Rows;

    static final String KEYS = "SELECT string_agg(conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid), E'\\n' ORDER BY conname)"
            + " FROM pg_constraint WHERE contype = 'f'";

    @BeforeAll
    static void productionAndTwoApps() throws Exception {
        s = RestoreSandbox.start(tmp);
        production = s.app("production", "shop-production");
        staging = s.app("staging", "shop-staging");
        review = s.app("review", "shop-staging-pr-12"); // pr_app 12, by the original's naming
        s.sql(production, RestoreScrubTest.PEOPLE);
        originals = new java.util.ArrayList<>(List.of(s.sql(production, "SELECT string_agg(concat_ws(E'\\n', email, first_name, phone,"
                + " host(signup_ip), api_token), E'\\n') FROM people").split("\n")));
        originals.addAll(List.of(s.sql(production, "SELECT string_agg(owner_email, E'\\n') FROM accounts").split("\n")));
        productionKeys = s.sql(production, KEYS);
        assertTrue(productionKeys.contains("invoices_owner_email_fkey FOREIGN KEY (owner_email) REFERENCES accounts(owner_email)"), productionKeys);
        assertEquals("b001", s.capture(production));
        b001Fingerprint = s.fingerprint(production);
        // the apps' DATABASE_URL names a login role that owns the tables (through membership) but is no superuser, with a password
        s.sql("postgres", "CREATE ROLE " + ROLE + " LOGIN NOSUPERUSER PASSWORD '" + PASSWORD + "'; GRANT postgres TO " + ROLE);
        b001Rows = new RestoreScrubIntoAppTest().everything(production);
        for (App app : List.of(staging, review)) databaseUrl(app, s.cluster.databaseUrl(app.databaseName).replace("postgres@", ROLE + ":" + PASSWORD + "@"));
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @BeforeEach
    void appsHaveTheirOwnData() throws Exception {
        s.ownData(staging, "staging_only", 7);
        s.ownData(review, "review_only", 3);
        rules(RestoreScrubTest.RULES);
    }

    @AfterEach
    void noFaultsLeft() {
        s.clearFaults();
    }

    static void databaseUrl(App app, String url) {
        synchronized (app) {
            if (url == null) app.configVars.remove("DATABASE_URL");
            else app.configVars.put("DATABASE_URL", url);
        }
    }

    void rules(String scrub) throws Exception {
        Files.writeString(s.repo.resolve(".parity.yml"), "development:\n  database: " + RestoreSandbox.DEV_DB + "\n" + scrub);
    }

    Outcome parity(String... args) throws Exception {
        Outcome r = s.parity(args);
        assertFalse((r.out() + r.err()).contains(PASSWORD), "the database password was printed\n" + r);
        return r;
    }

    /** Every row of every table of {@code app}'s database, each as text: what a search through every text column sees. */
    String everything(App app) {
        StringBuilder all = new StringBuilder();
        for (String table : s.sql(app, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'").split(",")) {
            all.append(s.sql(app, "SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM " + table + " t")).append('\n');
        }
        return all.toString();
    }

    @Test
    void aReviewAppGetsEveryRuleAppliedAndNoOriginalPersonalValueStays() throws Exception {
        Outcome r = parity("pr_app", "12", "restore", "production", "--backup-id", "b001");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("scrubbed people: 30 rows (email, first_name, phone, signup_ip, api_token)"), r.err());
        assertTrue(r.err().contains("scrubbed accounts: 10 rows (owner_email)"), r.err());
        assertTrue(r.err().contains("scrubbed invoices: 40 rows (owner_email)"), r.err());
        assertTrue(r.err().contains("scrubbed events: 5 rows (truncated)"), r.err());
        assertTrue(r.err().contains("the data passed through Heroku unscrubbed (it was restored into pr_app 12 (shop-staging-pr-12) first,"
                + " then scrubbed there)"), r.err());

        String all = everything(review);
        for (String original : originals) assertFalse(all.contains(original), original + " stayed in the review app");
        assertEquals("30 30", s.sql(review, "SELECT count(DISTINCT email) || ' ' || count(*) FROM people"));
        assertEquals("1 555-0100 0.0.0.0 0 2026-01-01", s.sql(review, "SELECT count(DISTINCT phone) || ' ' || min(phone) || ' ' || host(min(signup_ip))"
                + " || ' ' || count(api_token) || ' ' || min(created_at) FROM people"));
        assertEquals("0", s.sql(review, "SELECT count(*) FROM events"));
        // the foreign key between the hashed columns is back as it was, and every invoice still finds its account
        assertEquals(productionKeys, s.sql(review, KEYS));
        assertEquals("40", s.sql(review, "SELECT count(*) FROM invoices JOIN accounts USING (owner_email)"));
        s.assertOwnData(staging, "staging_only", 7);
    }

    @Test
    void aPushOfTheLocalDatabaseIsScrubbedInTheAppToo() throws Exception {
        s.recreate(RestoreSandbox.DEV_DB);
        s.sql(RestoreSandbox.DEV_DB, RestoreScrubTest.PEOPLE);
        Outcome r = parity("staging", "restore", "development", "--no-backup");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("scrubbed people: 30 rows (email, first_name, phone, signup_ip, api_token)"), r.err());
        assertTrue(r.err().contains("the data passed through Heroku unscrubbed"), r.err());
        String all = everything(staging);
        for (String original : originals) assertFalse(all.contains(original), original + " stayed in staging");
        assertEquals(productionKeys, s.sql(staging, KEYS));
        assertTrue(s.sql(RestoreSandbox.DEV_DB, "SELECT string_agg(email, ',') FROM people").contains("person1@mail.example"),
                "the local database itself is not touched");
    }

    @Test
    void anUncoveredPersonalColumnScrubsNothingSaysSoAndPrintsTheRulesToPaste() throws Exception {
        rules(RestoreScrubTest.RULES.replace("    phone: {constant: \"555-0100\"}\n", "").replace("    api_token: nullify\n", ""));
        Outcome r = parity("staging", "restore", "production", "--backup-id", "b001", "--no-backup");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("2 personal-looking columns have no scrub rule; add rules for them (keep is a rule too) to .parity.yml:\n"
                + "scrub:\n  people:\n    phone: nullify\n    api_token: nullify\n"), r.err());
        assertTrue(r.err().contains("nothing was scrubbed: staging (shop-staging) holds the restored data unscrubbed (it was restored there first);"
                + " it stays there (--no-backup: nothing to put back) until you scrub it or reset it: heroku pg:reset --app shop-staging"), r.err());
        // nothing else changed: staging holds exactly production's backup, originals included
        assertEquals(b001Fingerprint, s.fingerprint(staging));
        assertEquals(b001Rows, everything(staging));
    }

    @Test
    void anUncoveredPersonalColumnWithTheSafetyBackupPutsTheAppsOwnDataBack() throws Exception {
        rules(RestoreScrubTest.RULES.replace("    api_token: nullify\n", ""));
        Outcome r = parity("staging", "restore", "production", "--backup-id", "b001");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("scrub:\n  people:\n    api_token: nullify\n"), r.err());
        assertTrue(r.err().contains("holds the restored data unscrubbed (it was restored there first); its backup from before the restore ("), r.err());
        assertTrue(r.err().contains("staging (shop-staging) has its database from before the restore again"), r.err());
        s.assertOwnData(staging, "staging_only", 7);
    }

    @Test
    void aRuleFailingMidwayRollsTheWholeScrubBackAndSaysTheDataIsUnscrubbed() throws Exception {
        // people and accounts are updated first; invoices' rule fails when it runs
        rules(RestoreScrubTest.RULES.replace("  invoices:\n    owner_email: hash\n", "  invoices:\n    owner_email: {sql: \"(1 / (id - id))::text\"}\n"));
        Outcome r = parity("staging", "restore", "production", "--backup-id", "b001", "--no-backup");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("division by zero"), r.err());
        assertTrue(r.err().contains("nothing was scrubbed (its transaction was rolled back): staging (shop-staging) holds the restored data unscrubbed"), r.err());
        assertEquals(b001Rows, everything(staging));
        assertEquals(productionKeys, s.sql(staging, KEYS));
        assertFalse(r.err().contains("scrubbed people"), r.err());
    }

    @Test
    void withoutADatabaseUrlNothingIsRestored() throws Exception {
        String url = staging.configVars.get("DATABASE_URL");
        databaseUrl(staging, null);
        try {
            Outcome r = parity("staging", "restore", "production", "--backup-id", "b001");
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.err().contains("shop-staging has no DATABASE_URL config var, so the scrub rules in .parity.yml could not run in its"
                    + " database after the restore; nothing was changed"), r.err());
            assertFalse(r.err().contains("] reset the database"), r.err());
        } finally {
            databaseUrl(staging, url);
        }
        s.assertOwnData(staging, "staging_only", 7);
    }

    @Test
    void productionIsNeverScrubbed() throws Exception {
        s.sql(staging, RestoreScrubTest.PEOPLE);
        String backup = s.capture(staging);
        Outcome r = parity("production", "restore", "staging", "--backup-id", backup, "--force", "--confirm", "shop-production", "--no-backup");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("the scrub rules are not applied to production (shop-production): production's data is never scrubbed"), r.err());
        assertFalse(r.err().contains("scrubbed people"), r.err());
        assertEquals("person1@mail.example", s.sql(production, "SELECT email FROM people WHERE id = 1"));
    }

    @Test
    void dryRunShowsTheRulesAndWhereTheyRun() throws Exception {
        Outcome r = parity("pr_app", "12", "restore", "production", "--dry-run");
        assertEquals(0, r.exitCode(), r.toString());
        String plan = r.out() + r.err();
        assertTrue(plan.contains("find the database of pr_app 12 (shop-staging-pr-12) to scrub"), plan);
        assertTrue(plan.contains("scrub pr_app 12 (shop-staging-pr-12)"), plan);
        assertTrue(plan.contains("people: email: email, first_name: name"), plan);
        assertTrue(plan.contains("The data passes through Heroku unscrubbed: it is restored into pr_app 12 (shop-staging-pr-12) first, then scrubbed there"), plan);
        s.assertOwnData(review, "review_only", 3);
    }
}
