package dev.parity.cli;

import static dev.parity.support.RecordingRunner.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.process.Command;
import dev.parity.support.DumpServer;
import dev.parity.support.Dumps;
import dev.parity.support.FakeLocalPostgres;
import dev.parity.support.RecordingRunner;
import dev.parity.support.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Database passwords and signed backup URLs never appear in plans, progress or errors. */
class SecretsTest {
    static final String PASSWORD = "pa55-w0rd-from-yml";

    @TempDir
    Path repo;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        Files.createDirectories(repo.resolve("config"));
        Files.writeString(repo.resolve("Gemfile"), "gem 'rails'\n");
        Files.writeString(repo.resolve("config/database.yml"), """
                development:
                  adapter: postgresql
                  database: myapp_development
                  host: db.internal
                  username: app
                  password: %s
                """.formatted(PASSWORD));
    }

    RecordingRunner runner() {
        return new FakeLocalPostgres().with("myapp_development").installOn(new RecordingRunner()
                .withRemote("production", "https://git.heroku.com/myapp-production.git")
                .withRemote("staging", "https://git.heroku.com/myapp-staging.git"))
                .answer(startsWith("heroku", "pg:psql"), 0, "parity-tables:3\n")
                .answer(startsWith("heroku", "pg:backups:capture"), 0, "Backing up DATABASE to b007... done\n");
    }

    @Test
    void dryRunShowsThePasswordAsRedacted() {
        Run r = Run.parity(repo, runner(), "development", "restore", "production", "--dry-run");
        assertEquals(0, r.exitCode, r.toString());
        assertFalse((r.out + r.err).contains(PASSWORD), r.toString());
        assertTrue(r.out.contains("PGPASSWORD=<redacted> pg_restore --host db.internal --username app --no-acl --no-owner --jobs="), r.out);
    }

    /** Every program that connects to the local server (psql, pg_dump, pg_restore --dbname) reaches the configured host and gets the password only in PGPASSWORD. */
    private static void assertLocalProgramsGetThePasswordInTheirEnvironment(RecordingRunner runner) {
        List<Command> local = runner.commands().stream().filter(c -> List.of("psql", "pg_dump").contains(c.program())
                || c.program().equals("pg_restore") && c.argv().contains("--dbname")).filter(c -> !c.argv().contains("--version")).toList();
        assertFalse(local.isEmpty());
        for (Command c : local) {
            assertEquals(PASSWORD, c.env().get("PGPASSWORD"), c.display());
            assertTrue(c.secretEnv().contains("PGPASSWORD"), c.display());
            assertTrue(c.argv().containsAll(List.of("--host", "db.internal", "--username", "app")), c.display());
            assertFalse(c.argv().toString().contains(PASSWORD), c.display());
            assertFalse(c.display().contains(PASSWORD), c.display());
        }
    }

    @Test
    void thePasswordReachesTheProgramsOnlyThroughTheirEnvironment() throws Exception {
        try (DumpServer server = new DumpServer().serve(Dumps.header(14, "15.4"))) {
            RecordingRunner runner = runner().answer(startsWith("heroku", "pg:backups:url"), 0, server.url());
            Run ok = Run.parity(repo, runner, "development", "restore", "production");
            assertEquals(0, ok.exitCode, ok.toString());
            assertFalse((ok.out + ok.err).contains(PASSWORD) || (ok.out + ok.err).contains("s3cr3t-signature"), ok.toString());
            assertLocalProgramsGetThePasswordInTheirEnvironment(runner);
            assertTrue(runner.commands().stream().anyMatch(startsWith("pg_restore", "--host")), "the restore itself is among them");

            RecordingRunner failing = runner().answer(startsWith("heroku", "pg:backups:url"), 0, server.url())
                    .fail(c -> c.program().equals("psql") && FakeLocalPostgres.statements(c).stream().anyMatch(st -> st.startsWith("CREATE DATABASE")), 5);
            Run r = Run.parity(repo, failing, "development", "restore", "production");
            assertEquals(5, r.exitCode, r.toString());
            assertFalse((r.out + r.err).contains(PASSWORD), r.toString());
            assertFalse((r.out + r.err).contains("s3cr3t-signature"), r.toString());
            assertLocalProgramsGetThePasswordInTheirEnvironment(failing);
        }
    }

    @Test
    void pushingTheLocalDatabaseKeepsThePasswordOutOfTheCommandLine() {
        RecordingRunner runner = runner();
        Run r = Run.parity(repo, runner, Map.of(), "", "staging", "restore", "development");
        assertEquals(0, r.exitCode, r.toString());
        Command push = runner.commands().stream().filter(c -> c.argv().contains("pg:push")).findFirst().orElseThrow();
        assertEquals("myapp_development", push.argv().get(2));
        assertEquals(Map.of("PGHOST", "db.internal", "PGUSER", "app", "PGPASSWORD", PASSWORD), push.env());
        assertFalse(push.display().contains(PASSWORD), push.display());
        assertFalse((r.out + r.err).contains(PASSWORD), r.toString());
    }
}
