package dev.parity.db;

import dev.parity.pgcluster.PostgresCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.process.Command;
import dev.parity.process.Result;
import dev.parity.process.SystemProcessRunner;
import dev.parity.support.DumpServer;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link RestoreVerification} on real dumps: a database with every kind of object is dumped with
 * pg_dump, restored with pg_restore as parity does, its catalog read with {@link RestoreVerification#CATALOG_SQL},
 * and the comparison must pass; then objects are dropped from the restored copy (in a transaction
 * that is rolled back) and each must be named as missing.
 */
class RestoreVerificationRoundTripTest {
    /** Everything a Rails/Heroku database has, and the awkward names people give things. */
    static final String SCHEMA = """
            CREATE EXTENSION citext;
            CREATE EXTENSION hstore;
            CREATE TABLE users (id bigserial PRIMARY KEY, email citext UNIQUE NOT NULL, name text,
              CONSTRAINT name_length CHECK (length(name) < 100));
            CREATE TABLE posts (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint REFERENCES users (id),
              title text NOT NULL, props hstore);
            CREATE INDEX posts_user_id ON posts (user_id);
            CREATE UNIQUE INDEX posts_title_lower ON posts (lower(title));
            CREATE SEQUENCE invoice_numbers START 1000;
            CREATE VIEW active_users AS SELECT * FROM users WHERE name IS NOT NULL;
            CREATE MATERIALIZED VIEW post_counts AS SELECT user_id, count(*) AS n FROM posts GROUP BY user_id;
            CREATE INDEX post_counts_user ON post_counts (user_id);
            CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';
            CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql AS 'SELECT a || b';
            CREATE PROCEDURE archive_posts(before int) LANGUAGE sql AS 'DELETE FROM posts WHERE id < before';
            CREATE TABLE measurements (at date NOT NULL, value numeric, PRIMARY KEY (at)) PARTITION BY RANGE (at);
            CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE INDEX measurements_value ON measurements (value);
            CREATE TABLE "line items" ("order id" int PRIMARY KEY, "user" bigint CONSTRAINT "line items user" REFERENCES users (id));
            CREATE TABLE "it's ""quoted""\" (id int PRIMARY KEY);
            CREATE SCHEMA audit;
            CREATE TABLE audit.events (id bigserial PRIMARY KEY, at timestamptz DEFAULT now());
            CREATE FUNCTION audit."touch it"() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.at := now(); RETURN NEW; END$$;
            CREATE TRIGGER touch BEFORE INSERT ON audit.events FOR EACH ROW EXECUTE FUNCTION audit."touch it"();
            ALTER TABLE users ADD CONSTRAINT email_has_at CHECK (email LIKE '%@%') NOT VALID;
            INSERT INTO users (email, name) VALUES ('a@example.com', 'A'), ('b@example.com', 'B');
            INSERT INTO posts (user_id, title, props) VALUES (1, 'one', 'a=>1'), (2, 'two', NULL);
            INSERT INTO measurements VALUES ('2024-05-01', 1), ('2025-05-01', 2);
            INSERT INTO "line items" VALUES (1, 1);
            INSERT INTO audit.events DEFAULT VALUES;
            REFRESH MATERIALIZED VIEW post_counts;
            COMMENT ON TABLE users IS 'people';
            """;

    @TempDir
    static Path tmp;
    static PostgresCluster pg;
    static SystemProcessRunner runner;
    static Map<String, String> env;
    static LocalDatabases restored;
    static String toc;

    @BeforeAll
    static void dumpAndRestore() throws Exception {
        pg = PostgresCluster.start(tmp.resolve("clusters"));
        env = new HashMap<>(System.getenv());
        env.putAll(pg.libpqEnv());
        env.put("PATH", pg.binDir() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        runner = new SystemProcessRunner(env, tmp);
        pg.createDatabase("production");
        pg.psql("production", SCHEMA);
        Path dump = dump("production");
        toc = list(dump);
        restored = databases("copy");
        restore(dump, "copy");
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    static Path dump(String database) throws Exception {
        Path dump = tmp.resolve(database + ".dump");
        Result r = runner.run(Command.of("pg_dump", "--format=custom", "--file", dump.toString(), database));
        assertEquals(0, r.exitCode(), "pg_dump " + database);
        return dump;
    }

    static String list(Path dump) throws Exception {
        Result r = runner.run(Command.of("pg_restore", "--list", dump.toString()).captured());
        assertEquals(0, r.exitCode());
        return r.stdout();
    }

    /** As parity restores: into a fresh database, no owners or grants, parallel jobs, errors to a file. */
    static void restore(Path dump, String database) throws Exception {
        pg.createDatabase(database);
        Path errors = tmp.resolve(database + ".errors");
        Result r = runner.run(Command.of("pg_restore", "--no-acl", "--no-owner", "--jobs=2", "--dbname", database, dump.toString())
                .errorsTo(errors));
        assertEquals(0, r.exitCode(), Files.readString(errors));
        assertEquals(List.of(), RestoreErrors.read(Files.readString(errors)).serious());
    }

    static LocalDatabases databases(String name) {
        return LocalDatabases.open(new DevDatabase(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "test"),
                runner, env);
    }

    /** The catalog as parity reads it, after {@code statements} in the same (rolled back) transaction. */
    static String catalogAfter(String... statements) throws Exception {
        String[] all = new String[statements.length + 3];
        all[0] = "BEGIN";
        System.arraycopy(statements, 0, all, 1, statements.length);
        all[all.length - 2] = RestoreVerification.CATALOG_SQL;
        all[all.length - 1] = "ROLLBACK";
        return restored.run("read the catalog", restored.current(), all);
    }

    @Test
    void theDumpListsEveryKindOfObject() {
        for (String entry : List.of(" TABLE public users ", " TABLE public line items ", " TABLE public it's \"quoted\" ",
                " TABLE public measurements_2024 ", " INDEX public posts_user_id ", " CONSTRAINT public users users_email_key ",
                " FK CONSTRAINT public line items line items user ", " SEQUENCE public invoice_numbers ", " SEQUENCE public posts_id_seq ",
                " VIEW public active_users ", " MATERIALIZED VIEW public post_counts ", " FUNCTION public add(integer, integer) ",
                " FUNCTION public add(text, text) ", " PROCEDURE public archive_posts(integer) ", " FUNCTION audit touch it() ",
                " CHECK CONSTRAINT public users email_has_at ", " EXTENSION - citext ", " TABLE DATA public users ",
                " SEQUENCE SET public users_id_seq ", " INDEX ATTACH public measurements_2024_pkey ")) {
            assertTrue(toc.contains(entry), "pg_dump lists" + entry + "\n" + toc);
        }
    }

    @Test
    void aCompleteRestoreMatchesItsDump() throws Exception {
        String catalog = restored.run("read the catalog", restored.current(), RestoreVerification.CATALOG_SQL);
        RestoreVerification.Outcome o = RestoreVerification.compare(toc, catalog);
        assertTrue(o.ok(), o.missing() + "\n" + toc + "\n" + catalog);
        assertEquals(Map.of("TABLE", 8, "INDEX", 6, "CONSTRAINT", 9, "FK CONSTRAINT", 2, "SEQUENCE", 4, "VIEW", 1,
                "MATERIALIZED VIEW", 1, "FUNCTION", 3, "PROCEDURE", 1), o.expected());
        assertEquals("8 tables, 6 indexes, 9 constraints, 2 foreign keys, 4 sequences, 1 view, 1 materialized view, "
                + "3 functions, 1 procedure", o.counts());
    }

    @Test
    void theRollbackLeavesTheCopyWhole() throws Exception {
        catalogAfter("DROP TABLE posts CASCADE");
        assertTrue(RestoreVerification.compare(toc, catalogAfter()).ok());
        assertEquals("2", pg.psql("copy", "SELECT count(*) FROM posts"));
    }

    /** statement | line expected among the missing ones */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "DROP INDEX posts_user_id                                  | 1 of 6 indexes: public.posts_user_id",
        "DROP INDEX post_counts_user                               | 1 of 6 indexes: public.post_counts_user",
        "ALTER TABLE posts DROP CONSTRAINT posts_user_id_fkey      | 1 of 2 foreign keys: public.posts posts_user_id_fkey",
        "ALTER TABLE \"line items\" DROP CONSTRAINT \"line items user\" | 1 of 2 foreign keys: public.line items line items user",
        "ALTER TABLE users DROP CONSTRAINT users_email_key         | 1 of 9 constraints: public.users users_email_key",
        "DROP VIEW active_users                                    | 1 of 1 view: public.active_users",
        "DROP MATERIALIZED VIEW post_counts                        | 1 of 1 materialized view: public.post_counts",
        "DROP FUNCTION add(text, text)                             | 1 of 3 functions: public.add",
        "DROP FUNCTION audit.\"touch it\"() CASCADE                  | 1 of 3 functions: audit.touch it",
        "DROP PROCEDURE archive_posts                              | 1 of 1 procedure: public.archive_posts",
        "DROP SEQUENCE invoice_numbers                             | 1 of 4 sequences: public.invoice_numbers",
        "DROP TABLE \"it's \"\"quoted\"\"\"                            | 1 of 8 tables: public.it's \"quoted\"",
        "DROP TABLE measurements_2024                              | 1 of 8 tables: public.measurements_2024",
    })
    void eachLostObjectIsNamed(String statement, String line) throws Exception {
        RestoreVerification.Outcome o = RestoreVerification.compare(toc, catalogAfter(statement));
        assertFalse(o.ok(), statement);
        assertTrue(o.missing().contains(line), statement + " → " + o.missing());
    }

    @Test
    void aParallelRestoreThatLostIndexesAndForeignKeysIsCaught() throws Exception {
        // what the original's users saw: tables and data there, indexes and foreign keys silently gone
        RestoreVerification.Outcome o = RestoreVerification.compare(toc, catalogAfter(
                "DROP INDEX posts_user_id", "DROP INDEX posts_title_lower",
                "ALTER TABLE posts DROP CONSTRAINT posts_user_id_fkey", "ALTER TABLE \"line items\" DROP CONSTRAINT \"line items user\""));
        assertEquals(List.of("2 of 6 indexes: public.posts_title_lower, public.posts_user_id",
                "2 of 2 foreign keys: public.line items line items user, public.posts posts_user_id_fkey"), sorted(o.missing()));
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().map(l -> {
            String[] parts = l.split(": ", 2);
            return parts[0] + ": " + String.join(", ", java.util.Arrays.stream(parts[1].split(", ")).sorted().toList());
        }).toList();
    }

    @Test
    void selectingPartOfTheDumpExpectsOnlyThatPart() throws Exception {
        Path dump = tmp.resolve("production.dump");
        Result r = runner.run(Command.of("pg_restore", "--list", "--schema", "audit", dump.toString()).captured());
        RestoreVerification.Outcome o = RestoreVerification.compare(r.stdout(), catalogAfter("DROP TABLE posts CASCADE"));
        assertTrue(o.ok(), o.toString());
        assertEquals("1 table, 1 constraint, 1 sequence, 1 function", o.counts());
    }

    /** A schema whose name has a space, and a table whose name ends in one: pg_restore --list prints them unquoted. */
    @Test
    void namesWithSpacesAtTheirEdgesOrInTheSchemaMatchToo() throws Exception {
        pg.createDatabase("spaced");
        pg.psql("spaced", """
                CREATE SCHEMA "my schema";
                CREATE TABLE "my schema".accounts (id int PRIMARY KEY, parent int REFERENCES "my schema".accounts (id));
                CREATE INDEX accounts_parent ON "my schema".accounts (parent);
                CREATE FUNCTION "my schema".balance(int) RETURNS int LANGUAGE sql AS 'SELECT 1';
                CREATE TABLE public."trailing " (id int);
                """);
        Path dump = dump("spaced");
        String spacedToc = list(dump);
        restore(dump, "spaced_copy");
        LocalDatabases copy = databases("spaced_copy");
        RestoreVerification.Outcome o = RestoreVerification.compare(spacedToc,
                copy.run("read the catalog", copy.current(), RestoreVerification.CATALOG_SQL));
        assertTrue(o.ok(), o.missing() + "\n" + spacedToc);
        assertEquals("2 tables, 1 index, 1 constraint, 1 foreign key, 1 function", o.counts());

        String dropped = copy.run("read the catalog", copy.current(), "BEGIN", "DROP INDEX \"my schema\".accounts_parent",
                "DROP TABLE public.\"trailing \"", RestoreVerification.CATALOG_SQL, "ROLLBACK");
        RestoreVerification.Outcome lost = RestoreVerification.compare(spacedToc, dropped);
        assertEquals(2, lost.missing().size(), lost.toString());
        assertTrue(lost.missing().get(0).startsWith("1 of 2 tables: public.trailing"), lost.toString());
        assertTrue(lost.missing().get(1).startsWith("1 of 1 index: my schema"), lost.toString());
    }

    /**
     * Restores between Heroku apps count the backup's tables from its table of contents, read from
     * the first bytes only: a real dump much larger than that prefix lists the same as the whole file.
     */
    @Test
    void theTableOfContentsOfARemoteDumpComesFromItsFirstBytes() throws Exception {
        pg.createDatabase("big");
        pg.psql("big", SCHEMA + "CREATE TABLE blobs AS SELECT g, md5(random()::text) || md5(random()::text) AS t"
                + " FROM generate_series(1, 40000) g;");
        Path dump = dump("big");
        byte[] bytes = Files.readAllBytes(dump);
        assertTrue(bytes.length > 2 * BackupDownload.TOC_PREFIX, "a dump larger than the prefix: " + bytes.length);
        try (DumpServer server = new DumpServer().serve(bytes)) {
            java.util.Optional<String> listed = BackupDownload.tableOfContents(runner, server.url());
            assertEquals(java.util.Optional.of(list(dump)), listed);
            assertEquals(BackupDownload.TOC_PREFIX, server.bytesSent(), "only the first " + BackupDownload.TOC_PREFIX + " bytes");
            assertEquals(9, RestoreVerification.tables(listed.get()), "the 8 tables of the schema and blobs");
        }
    }
}
