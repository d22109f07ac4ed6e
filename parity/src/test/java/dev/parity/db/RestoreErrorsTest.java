package dev.parity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which of pg_restore's complaints may pass (ownership of what every database has) and which fail a restore. */
class RestoreErrorsTest {

    @Test
    void nothingOnStandardErrorIsNoError() {
        assertEquals(new RestoreErrors(List.of(), List.of()), RestoreErrors.read(""));
        assertEquals(new RestoreErrors(List.of(), List.of()), RestoreErrors.read("\n\n"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "could not execute query: ERROR:  must be owner of extension plpgsql",
        "could not execute query: ERROR:  must be owner of extension pg_stat_statements",
        "could not execute query: ERROR:  must be owner of schema public",
        "could not execute query: ERROR:  schema \"public\" already exists",
        "could not execute query: ERROR:  extension \"plpgsql\" already exists",
    })
    void ownershipOfWhatEveryDatabaseHasIsHarmless(String error) {
        RestoreErrors e = RestoreErrors.read("pg_restore: error: " + error + "\nCommand was: COMMENT ON EXTENSION plpgsql IS 'x';\n");
        assertEquals(List.of(), e.serious());
        assertEquals(1, e.harmless().size(), e.toString());
        assertTrue(e.harmless().get(0).startsWith(error), e.toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "could not execute query: ERROR:  relation \"users\" already exists",
        "could not execute query: ERROR:  must be owner of extension hstore",
        "could not execute query: ERROR:  must be owner of schema heroku_ext",
        "could not execute query: ERROR:  schema \"heroku_ext\" already exists",
        "could not execute query: ERROR:  type \"public.citext\" does not exist",
        "could not execute query: ERROR:  insert or update on table \"posts\" violates foreign key constraint \"posts_user_id_fkey\"",
        "could not open input file \"/tmp/x.dump\": No such file or directory",
        "a worker process died unexpectedly",
        "could not create large object 16400: ERROR:  permission denied",
    })
    void everythingElseIsSerious(String error) {
        RestoreErrors e = RestoreErrors.read("pg_restore: error: " + error + "\n");
        assertEquals(List.of(error), e.serious());
        assertEquals(List.of(), e.harmless());
    }

    @Test
    void linesThatAreNotErrorsAreNotCounted() {
        String stderr = """
                pg_restore: connecting to database for restore
                pg_restore: while PROCESSING TOC:
                pg_restore: from TOC entry 3624; 0 0 COMMENT EXTENSION plpgsql
                pg_restore: warning: errors ignored on restore: 1
                Command was: CREATE TABLE public.users (
                    id bigint NOT NULL
                );
                  pg_restore: error:indented is still an error
                """;
        RestoreErrors e = RestoreErrors.read(stderr);
        assertEquals(List.of("indented is still an error"), e.serious());
        assertEquals(List.of(), e.harmless());
    }

    @Test
    void theStatementAfterAnErrorIsFoldedIntoIt() {
        RestoreErrors e = RestoreErrors.read("""
                pg_restore: error: could not execute query: ERROR:  relation "users" already exists
                Command was: CREATE TABLE public.users (
                    id bigint NOT NULL
                );


                pg_restore: error: could not execute query: ERROR:  must be owner of extension plpgsql
                Command was: COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';


                pg_restore: warning: errors ignored on restore: 2
                """);
        assertEquals(List.of("could not execute query: ERROR:  relation \"users\" already exists (Command was: CREATE TABLE public.users ()"),
                e.serious());
        assertEquals(List.of("could not execute query: ERROR:  must be owner of extension plpgsql"
                + " (Command was: COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';)"), e.harmless());
    }

    @Test
    void aLongStatementIsAbbreviated() {
        String insert = "Command was: INSERT INTO public.t VALUES (" + "1, ".repeat(200) + "1);";
        RestoreErrors e = RestoreErrors.read("pg_restore: error: could not execute query: ERROR:  boom\n" + insert + "\n");
        String folded = e.serious().get(0);
        assertTrue(folded.startsWith("could not execute query: ERROR:  boom (Command was: INSERT INTO public.t VALUES (1, 1, "), folded);
        assertTrue(folded.endsWith("…)"), folded);
        String statement = folded.substring("could not execute query: ERROR:  boom (".length(), folded.length() - 1);
        assertTrue(statement.length() <= 160 && statement.length() >= 150, statement.length() + ": " + statement);
    }

    @Test
    void anErrorWithoutAStatementStaysAsItIs() {
        RestoreErrors e = RestoreErrors.read("pg_restore: error: could not execute query: ERROR:  boom\n"
                + "pg_restore: error: could not execute query: ERROR:  bang\nCommand was: SELECT 2;\n");
        assertEquals(List.of("could not execute query: ERROR:  boom", "could not execute query: ERROR:  bang (Command was: SELECT 2;)"),
                e.serious());
    }

    /**
     * pg_restore 15's own words when the server's error has more lines (LINE, DETAIL, HINT) before
     * "Command was:": the statement still belongs to that error.
     */
    @Test
    void theStatementIsFoldedAlsoAfterTheServersDetailLines() {
        RestoreErrors e = RestoreErrors.read("""
                pg_restore: error: could not execute query: ERROR:  column users.id does not exist
                LINE 2:  SELECT users.id,
                                ^
                Command was: CREATE VIEW public.active_users AS
                 SELECT users.id,
                    users.email
                   FROM public.users;


                pg_restore: error: could not execute query: ERROR:  insert or update on table "posts" violates foreign key constraint "posts_user_id_fkey"
                DETAIL:  Key (user_id)=(5) is not present in table "users".
                Command was: ALTER TABLE ONLY public.posts
                    ADD CONSTRAINT posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


                pg_restore: error: could not execute query: ERROR:  must be owner of extension plpgsql
                HINT:  something a later server might say
                Command was: COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';
                pg_restore: warning: errors ignored on restore: 3
                """);
        assertEquals(List.of(
                "could not execute query: ERROR:  column users.id does not exist (Command was: CREATE VIEW public.active_users AS)",
                "could not execute query: ERROR:  insert or update on table \"posts\" violates foreign key constraint \"posts_user_id_fkey\""
                        + " (Command was: ALTER TABLE ONLY public.posts)"), e.serious());
        assertEquals(List.of("could not execute query: ERROR:  must be owner of extension plpgsql"
                + " (Command was: COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';)"), e.harmless());
    }

    @Test
    void harmlessAndSeriousAreSortedApartInOrder() {
        String stderr = String.join("\n",
                "pg_restore: error: could not execute query: ERROR:  schema \"public\" already exists",
                "Command was: CREATE SCHEMA public;",
                "pg_restore: error: could not execute query: ERROR:  relation \"a\" already exists",
                "pg_restore: error: could not execute query: ERROR:  must be owner of extension plpgsql",
                "pg_restore: error: could not execute query: ERROR:  relation \"b\" already exists",
                "pg_restore: warning: errors ignored on restore: 4");
        RestoreErrors e = RestoreErrors.read(stderr);
        assertEquals(2, e.harmless().size(), e.toString());
        assertEquals(List.of("could not execute query: ERROR:  relation \"a\" already exists",
                "could not execute query: ERROR:  relation \"b\" already exists"), e.serious());
    }
}
