package dev.parity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** pg_restore arguments that would choose another target or mode are found however they are spelled. */
class PgRestoreOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"-d devdb", "-ddevdb", "--dbname devdb", "--dbname=devdb", "--dbn=devdb", "-vd devdb", "-f out.sql",
            "--file=out.sql", "-C", "--create", "-c", "--clean", "--cle", "-1", "--single-transaction", "-l", "--list", "-h otherhost",
            "--host=otherhost", "-p 5433", "--port=5433", "-U postgres", "--username=postgres", "-j 1000", "--jobs=8", "-a",
            "--data-only", "-vc", "-O1", "extra.dump", "-- -d devdb"})
    void refused(String spelled) {
        List<String> args = List.of(spelled.split(" "));
        assertEquals(false, PgRestoreOptions.refused(args).isEmpty(), spelled);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-n public", "--schema=public", "-t users", "--table users", "-T trigger", "-s", "--schema-only", "-v",
            "--verbose", "-e", "--exit-on-error", "-x", "--no-privileges", "-O", "--no-owner", "--section=pre-data", "-L list.txt",
            "--use-list=list.txt", "--if-exists", "--disable-triggers", "-t -d", "-n -c", "--table=-d", "--role=dev", "-Sd"})
    void passes(String spelled) {
        // a value that looks like an option is the value of the one before ("-t -d" restores a table named -d)
        assertEquals(List.of(), PgRestoreOptions.refused(List.of(spelled.split(" "))), spelled);
    }

    @Test
    void eachRefusedOptionIsNamedOnceAsTyped() {
        assertEquals(List.of("-d", "--clean"), PgRestoreOptions.refused(List.of("-n", "public", "-d", "devdb", "--clean", "-v")));
    }

    /** Seeded random mixes of passing arguments with one refused option hidden among them: it is always found. */
    @Test
    void aRefusedOptionHiddenAmongOthersIsFound() {
        List<List<String>> harmless = List.of(List.of("-n", "public"), List.of("-v"), List.of("--table=users"), List.of("-t", "posts"),
                List.of("--no-owner"), List.of("-e"), List.of("--section", "data"));
        List<List<String>> refused = List.of(List.of("-d", "x"), List.of("--dbname=x"), List.of("-c"), List.of("--create"), List.of("-1"),
                List.of("-f", "f"), List.of("--host", "h"), List.of("-vl"));
        Random random = new Random(9);
        for (int i = 0; i < 500; i++) {
            List<String> args = new ArrayList<>();
            int n = random.nextInt(5);
            List<String> hidden = refused.get(random.nextInt(refused.size()));
            int at = random.nextInt(n + 1);
            for (int k = 0; k <= n; k++) {
                if (k == at) args.addAll(hidden);
                else args.addAll(harmless.get(random.nextInt(harmless.size())));
            }
            assertEquals(List.of(hidden.get(0)), PgRestoreOptions.refused(args), args.toString());
        }
    }
}
