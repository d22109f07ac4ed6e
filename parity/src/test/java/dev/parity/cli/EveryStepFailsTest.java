package dev.parity.cli;

import static dev.parity.support.RecordingRunner.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.process.Command;
import dev.parity.db.DownloadPauses;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every sequence, each program it runs is made to fail in turn: parity must exit with that
 * program's status, name the failing step, and run nothing after it — except dropping the
 * temporary database a restore had created, which must then happen.
 */
class EveryStepFailsTest {
    static final String TMP = "myapp_development_parity_restore";

    @TempDir
    Path repo;
    DumpServer server;
    long pause;

    static Stream<String> sequences() {
        // migrate runs no program (it talks to the Platform API); its failures are tested on the sandbox
        return Stream.of(
                "staging console --sandbox",
                // "staging tail --ps web" runs no program since it became native: TailVerbTest covers its failures.
                "production open",
                "production backup",
                "development backup",
                "production config", // ps, restart, releases, info are native: NativePsTest covers their failures
                // deploy reads the live release from the Platform API first: its failures are tested on the sandbox (native_/deploy)
                "development restore production",
                "staging restore production",
                "staging restore development",
                "production restore staging --force --confirm myapp-production");
    }

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        Files.createDirectories(repo.resolve("config"));
        Files.writeString(repo.resolve("Gemfile"), "gem 'rails'\n");
        Files.writeString(repo.resolve("config/database.yml"), "development:\n  database: myapp_development\n");
        server = new DumpServer().serve(Dumps.whole(14, "15.4", "1\n\\.\n"));
        pause = DownloadPauses.set(1);
    }

    @AfterEach
    void tearDown() {
        server.close();
        DownloadPauses.set(pause);
    }

    RecordingRunner runner() {
        FakeLocalPostgres pg = new FakeLocalPostgres().with("myapp_development").tables(1)
                .catalog("FUNCTION\theroku_ext\tf\nTABLE\tpublic\tar_internal_metadata\n");
        return pg.installOn(new RecordingRunner()
                .withRemote("production", "https://git.heroku.com/myapp-production.git")
                .withRemote("staging", "https://git.heroku.com/myapp-staging.git")
                .withBranches("main"))
                .answer(startsWith("heroku", "pg:backups:url"), 0, server.url() + "\n")
                .answer(startsWith("heroku", "pg:backups:capture"), 0, "Backing up DATABASE to b007... done\n")
                .answer(startsWith("heroku", "pg:psql"), 0, " ?column?\n-----------------\n parity-tables:1\n(1 row)\n")
                .answer(startsWith("pg_restore", "--list"), 0,
                        "215; 1255 16400 FUNCTION heroku_ext f() x\n216; 1259 1 TABLE public ar_internal_metadata x\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void eachFailingProgramStopsTheSequenceWithItsStatus(String commandLine) {
        String[] args = commandLine.split(" ");
        RecordingRunner ok = runner();
        // an app's backup checks for credentials before it starts the heroku CLI; restore finds its backup without them
        Map<String, String> env = commandLine.equals("production backup") ? Map.of("HEROKU_API_KEY", "t0ken") : Map.of();
        Run success = Run.parity(repo, ok, env, "", args);
        assertEquals(0, success.exitCode, success.toString());
        List<Command> programs = ok.commands().stream().filter(EveryStepFailsTest::isStep).toList();
        assertFalse(programs.isEmpty());

        for (int i = 0; i < programs.size(); i++) {
            Command failing = programs.get(i);
            // the same command may run more than once (psql asking whether a database exists): fail this occurrence
            int occurrence = (int) programs.subList(0, i + 1).stream().filter(c -> normalized(c).equals(normalized(failing))).count();
            AtomicInteger seen = new AtomicInteger();
            int status = 40 + i;
            RecordingRunner runner = runner();
            runner.answer(c -> normalized(c).equals(normalized(failing)) && seen.incrementAndGet() == occurrence, status, "");
            Run r = Run.parity(repo, runner, env, "", args);
            String why = commandLine + " with `" + failing.display() + "` (#" + occurrence + ") failing\n" + r;
            assertEquals(status, r.exitCode, why);
            assertTrue(r.err.contains("' failed: "), why);
            assertTrue(r.err.contains("exited with status " + status), why);
            List<Command> ran = runner.commands().stream().filter(EveryStepFailsTest::isStep).toList();
            assertTrue(ran.size() > i, why);
            assertEquals(programs.subList(0, i + 1).stream().map(EveryStepFailsTest::normalized).toList(),
                    ran.subList(0, i + 1).stream().map(EveryStepFailsTest::normalized).toList(), "ran in the same order: " + why);
            List<Command> after = new java.util.ArrayList<>(ran.subList(i + 1, ran.size()));
            // from the reset of a remote target on, a failure puts its safety backup back
            boolean resetStarted = programs.subList(0, i + 1).stream().anyMatch(startsWith("heroku", "pg:reset"));
            String app = args[0].equals("production") ? "myapp-production" : "myapp-staging";
            List<String> putBack = List.of("heroku", "pg:backups:restore", app + "::b007", "DATABASE", "--confirm", app, "--app", app);
            assertEquals(resetStarted, after.removeIf(c -> c.argv().equals(putBack)), "the safety backup is put back after the reset: " + why);
            // from the step that makes the temporary database on, a failure drops it again
            boolean temporaryStarted = programs.subList(0, i + 1).stream()
                    .anyMatch(c -> c.program().equals("psql") && String.join(" ", c.argv()).contains("\"" + TMP + "\""));
            assertEquals(temporaryStarted ? List.of(List.of("DROP DATABASE IF EXISTS \"" + TMP + "\" WITH (FORCE)")) : List.of(),
                    after.stream().map(FakeLocalPostgres::statements).toList(),
                    "after the failure only the temporary database is dropped, and only once it was being made: " + why);
        }
    }

    /**
     * Which database has a name (its oid): read to report what is true, also after a failure; a
     * restore that cannot read it says so instead of guessing (RestorePlansTest, RestoreIT).
     */
    private static boolean readsBackTheTruth(Command c) {
        List<String> statements = FakeLocalPostgres.statements(c);
        return c.program().equals("psql") && !statements.isEmpty()
                && statements.stream().allMatch(s -> s.startsWith("SELECT oid FROM pg_database WHERE datname = "));
    }

    /** argv with each run's private temporary paths replaced, so runs compare equal. */
    private static List<String> normalized(Command c) {
        return c.argv().stream().map(a -> a.contains("/parity-") ? "<tmp>" : a)
                .map(a -> a.matches(".*-\\d{8}T\\d{6}Z\\.dump") ? "<backup file>" : a).toList();
    }

    /**
     * Programs that are steps of the sequence: not read-only git questions, version probes, or the
     * listing of a remote backup's first bytes (a pg_restore that cannot list them only means the
     * table counts are not compared: RestorePlansTest covers that).
     */
    private static boolean isStep(Command c) {
        if (c.program().equals("git")) return c.argv().get(1).equals("push");
        if (readsBackTheTruth(c)) return false;
        if (c.program().equals("pg_restore") && c.argv().contains("--list") && c.argv().get(c.argv().size() - 1).endsWith("/head.dump")) {
            return false;
        }
        return !c.argv().contains("--version");
    }
}
