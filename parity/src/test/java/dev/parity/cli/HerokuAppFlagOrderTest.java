package dev.parity.cli;

import static dev.parity.support.RecordingRunner.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.db.DownloadPauses;
import dev.parity.heroku.HerokuCli;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every verb that runs the heroku CLI names the app where the CLI reads it: {@code --app APP}
 * before the first {@code --}. After a {@code --} the CLI takes {@code --app} for an argument of
 * the command and runs it on {@code HEROKU_APP} (or the directory's remote) instead.
 */
class HerokuAppFlagOrderTest {
    static final String PROD = "myapp-production";
    static final String STAGING = "myapp-staging";
    static final String DB = "myapp_development";

    @TempDir
    Path repo;
    @TempDir
    Path home;
    RecordingRunner runner;
    DumpServer server;
    long pause;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        Files.writeString(repo.resolve(".parity.yml"), "development: {database: " + DB + "}\nconsole: bin/rails console\n");
        server = new DumpServer().serve(Dumps.whole(14, "15.4", "1\n\\.\n"));
        runner = new FakeLocalPostgres().with(DB).catalog("TABLE\tpublic\tusers\n").tables(1).installOn(new RecordingRunner()
                        .withRemote("production", "https://git.heroku.com/" + PROD + ".git")
                        .withRemote("staging", "https://git.heroku.com/" + STAGING + ".git")
                        .withRemote("heroku", "git@heroku.com:" + PROD + ".git"))
                .answer(startsWith("heroku", "pg:backups:url"), 0, server.url() + "\n")
                .answer(startsWith("heroku", "pg:backups:capture"), 0, "Backing up DATABASE to b007... done\n")
                .answer(startsWith("pg_restore", "--list"), 0, "; Archive\n215; 1259 16386 TABLE public users app\n")
                .answer(startsWith("heroku", "pg:psql"), 0, " ?column?\n-----\n parity-tables:1\n(1 row)\n");
        pause = DownloadPauses.set(1);
    }

    @AfterEach
    void tearDown() {
        server.close();
        DownloadPauses.set(pause);
    }

    static Stream<Arguments> everyVerbWithDashDash() {
        return Stream.of(
                // pass-through: every argument as typed, the app before the first --
                Arguments.of(PROD, List.of("production", "run", "--", "env")),
                Arguments.of(PROD, List.of("production", "run", "--exit-code", "--", "env")),
                Arguments.of(PROD, List.of("production", "run", "-s", "standard-2x", "--", "sh", "-c", "echo $HEROKU_APP")),
                Arguments.of(PROD, List.of("production", "run", "--", "env", "--app", STAGING)),
                Arguments.of(PROD, List.of("production", "run", "--", "echo", "--", "nested")),
                Arguments.of(PROD, List.of("production", "run", "env")),
                Arguments.of(PROD, List.of("production", "run", "--")),
                Arguments.of(PROD, List.of("production", "config:get", "--", "FOO")),
                Arguments.of(PROD, List.of("production", "pg:psql", "DATABASE_URL", "--", "-c", "select 1")),
                Arguments.of(PROD, List.of("production", "logs", "-n", "5", "--")),
                Arguments.of(PROD, List.of("production", "--dry-run", "run", "--", "env")),
                Arguments.of(PROD, List.of("heroku", "run", "--", "env")),
                Arguments.of(STAGING, List.of("staging", "run:detached", "--", "rake", "jobs:work")),
                Arguments.of(STAGING + "-pr-12", List.of("pr_app", "12", "run", "--", "env")),
                // verbs of parity's own that hand their arguments on
                Arguments.of(PROD, List.of("production", "open", "--", "/admin")),
                Arguments.of(PROD, List.of("production", "open", "/admin", "--", "/other")),
                Arguments.of(STAGING, List.of("staging", "backup", "--", "--verbose")),
                Arguments.of(PROD, List.of("production", "console", "--", "--sandbox")),
                Arguments.of(PROD, List.of("production", "console", "--sandbox", "--", "-e", "production")),
                Arguments.of(STAGING, List.of("staging", "console", "--", "--", "x")),
                // restore: every heroku command it runs (backup URL, reset, restore, table count)
                Arguments.of(null, List.of("staging", "restore", "production")),
                Arguments.of(null, List.of("staging", "restore", "production", "--", "--verbose")),
                Arguments.of(null, List.of("staging", "restore", "development", "--", "--verbose")),
                Arguments.of(PROD, List.of("development", "restore", "production", "--", "--no-comments")));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyVerbWithDashDash")
    void theAppIsNamedBeforeTheFirstDashDash(String app, List<String> args) {
        // an app's backup checks for credentials before it starts the heroku CLI
        Map<String, String> env = new java.util.HashMap<>(Map.of("HOME", home.toString(), "HEROKU_APP", "someone-elses-app"));
        if (args.get(1).equals("backup")) env.put("HEROKU_API_KEY", "t0ken");
        Run r = Run.parity(repo, runner, env, "", args.toArray(String[]::new));
        assertEquals(0, r.exitCode, r.toString());
        List<Command> heroku = runner.commands().stream().filter(c -> c.program().equals(HerokuCli.PROGRAM)).toList();
        if (args.contains("--dry-run")) {
            assertTrue(heroku.isEmpty(), heroku.toString());
            assertTrue(r.out.contains("$ heroku run --app=" + PROD + " -- env"), r.out);
            return;
        }
        assertFalse(heroku.isEmpty(), "no heroku command ran\n" + r);
        for (Command c : heroku) {
            List<String> argv = c.argv();
            int dashDash = argv.indexOf("--");
            List<String> options = dashDash < 0 ? argv : argv.subList(0, dashDash);
            String named = appNamedIn(options);
            assertTrue(named != null, "no --app before the first --: " + argv);
            if (app != null) assertEquals(app, named, argv.toString());
            assertEquals(1, options.stream().filter(a -> a.equals("--app") || a.startsWith("--app=")).count(), argv.toString());
        }
    }

    /** The app as the CLI's option parser reads it: {@code --app APP} or {@code --app=APP}. */
    static String appNamedIn(List<String> options) {
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).startsWith("--app=")) return options.get(i).substring("--app=".length());
            if (options.get(i).equals("--app") && i + 1 < options.size()) return options.get(i + 1);
        }
        return null;
    }

    @Test
    void passThroughKeepsEveryArgumentInItsPlace() {
        assertEquals(0, Run.parity(repo, runner, "production", "run", "-s", "standard-2x", "--", "env", "--app", STAGING, "--").exitCode);
        assertEquals(List.of(List.of("heroku", "run", "-s", "standard-2x", "--app=" + PROD, "--", "env", "--app", STAGING, "--")),
                runner.actions());
    }

    @Test
    void runGetsTheAppAsOneWordSoItIsNeverTakenForPartOfTheCommand() {
        // `heroku run` rebuilds the command from the raw argv and keeps any word equal to an argument:
        // with `--app myapp-production` it would run `myapp-production echo myapp-production`
        assertEquals(0, Run.parity(repo, runner, "production", "run", "echo", PROD).exitCode);
        assertEquals(0, Run.parity(repo, runner, "production", "config", "--json").exitCode);
        assertEquals(List.of(List.of("heroku", "run", "echo", PROD, "--app=" + PROD),
                List.of("heroku", "config", "--json", "--app", PROD)), runner.actions());
    }

    @Test
    void consolePassesItsArgumentsInsideTheOneCommandAfterTheApp() {
        assertEquals(0, Run.parity(repo, runner, "production", "console", "--", "--app", STAGING, "--").exitCode);
        assertEquals(List.of(List.of("heroku", "run", "--exit-code", "--app", PROD, "bin/rails console --app " + STAGING + " --")),
                runner.actions());
    }
}
