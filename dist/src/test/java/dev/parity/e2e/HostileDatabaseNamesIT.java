package dev.parity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.pgcluster.PostgresCluster;
import dev.parity.support.GitRepo;
import dev.parity.support.Launcher.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Database names libpq or a shell would read as something else (quotes, spaces, '=', a URI, a
 * path, non-ASCII), from a Rails database.yml that also holds a password: restore, --undo and
 * backup act on exactly that database, leave the others alone, and the password never prints
 * nor lands in a file.
 */
class HostileDatabaseNamesIT {
    static final String PASSWORD = "pw-Never-Print-4711";

    @TempDir
    static Path shared;
    static RestoreIT.Production production;

    @TempDir
    Path tmp;
    RestoreIT.Bed bed;

    @BeforeAll
    static void startPostgres() throws Exception {
        production = RestoreIT.Production.start(shared, false);
    }

    @AfterAll
    static void stopPostgres() {
        if (production != null) production.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        bed = new RestoreIT.Bed(production, tmp);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"my app's \"dev\" db", "dev=1 host=nowhere", "postgres://nowhere/x", "développement ü", "back\\slash db"})
    void restoreUndoAndBackupActOnExactlyTheNamedDatabase(String name) throws Exception {
        PostgresCluster c = production.cluster;
        for (String n : List.of(name, name + "_parity_restore", name + "_parity_previous")) {
            c.psql("postgres", "DROP DATABASE IF EXISTS \"" + n.replace("\"", "\"\"") + "\" WITH (FORCE)");
        }
        c.createDatabase(name);
        c.psql(name, "CREATE TABLE precious (note text); INSERT INTO precious VALUES ('hostile local work')");
        String oid = oid(name);
        String otherOid = bed.devOid();
        Files.writeString(bed.repo.dir().resolve("config/database.yml"), "development:\n  adapter: postgresql\n  database: '"
                + name.replace("'", "''") + "'\n  password: " + PASSWORD + "\n");

        Outcome restore = bed.restore();
        assertEquals(0, restore.exitCode(), restore.toString());
        assertEquals(production.fingerprint, c.psql(name, RestoreIT.Production.FINGERPRINT_SQL), "production's rows, in that database");
        assertEquals(oid, oid(name + "_parity_previous"), "the database it had is kept");
        assertEquals(otherOid, bed.devOid(), "no other database was touched");

        Outcome undo = bed.launch("development", "restore", "--undo");
        assertEquals(0, undo.exitCode(), undo.toString());
        assertEquals(oid, oid(name));
        assertEquals("hostile local work", c.psql(name, "SELECT string_agg(note, ',') FROM precious"));

        Outcome backup = bed.launch("development", "backup");
        assertEquals(0, backup.exitCode(), backup.toString());
        Path file = Path.of(backup.out().strip());
        assertTrue(file.startsWith(tmp.resolve("home/.cache/parity/backups")), "inside the private backup directory: " + file);
        String listed = GitRepo.run(tmp, c.program("pg_restore"), "--list", file.toString());
        assertTrue(listed.contains("TABLE public precious"), "a dump of that database: " + listed);

        for (Outcome o : List.of(restore, undo, backup)) {
            assertFalse(o.out().contains(PASSWORD) || o.err().contains(PASSWORD), "the password never prints: " + o);
        }
        try (Stream<Path> files = Files.walk(tmp.resolve("home"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(contains(f, PASSWORD), "the password is in " + f);
            }
        }
    }

    /**
     * database.yml names the server by its socket directory and port while PGHOST and PGPORT point
     * nowhere: parity's own connection and pg_restore both follow the project, the same server.
     */
    @org.junit.jupiter.api.Test
    void aSocketDirectoryAsTheProjectsHostWinsOverPgHost() throws Exception {
        PostgresCluster c = production.cluster;
        String oid = bed.devOid();
        Files.writeString(bed.repo.dir().resolve("config/database.yml"), "development:\n  adapter: postgresql\n  database: "
                + RestoreIT.DEV_DB + "\n  host: " + c.socketDir() + "\n  port: " + c.port() + "\n  username: " + c.user()
                + "\n  password: " + PASSWORD + "\n");
        bed.env.put("PGHOST", tmp.resolve("no-server-here").toString());
        bed.env.put("PGPORT", "1");
        Outcome restore = bed.restore();
        assertEquals(0, restore.exitCode(), restore.toString());
        bed.assertProductionArrived();
        Outcome undo = bed.launch("development", "restore", "--undo");
        assertEquals(0, undo.exitCode(), undo.toString());
        assertEquals(oid, bed.devOid());
        for (Outcome o : List.of(restore, undo)) {
            assertFalse(o.out().contains(PASSWORD) || o.err().contains(PASSWORD), "the password never prints: " + o);
        }
    }

    String oid(String name) {
        return production.cluster.psql("postgres", "SELECT oid FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'");
    }

    static boolean contains(Path f, String s) {
        try {
            return new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains(s);
        } catch (IOException e) {
            return false;
        }
    }
}
