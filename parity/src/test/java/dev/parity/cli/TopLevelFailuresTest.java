package dev.parity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parity.support.RecordingRunner;
import dev.parity.support.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures that escape every step still end as one line with the documented code, never a trace. */
class TopLevelFailuresTest {
    @TempDir
    Path repo;
    RecordingRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        runner = new RecordingRunner().withRemote("production", "https://git.heroku.com/myapp-production.git").withBranches("main");
    }

    @Test
    void aMissingGitWhilePlanningADeployIsExit127() throws IOException {
        runner.without("git");
        Files.writeString(repo.resolve(".git/config"), "[remote \"production\"]\n\turl = https://git.heroku.com/myapp-production.git\n");
        Run r = Run.parity(repo, runner, "production", "deploy", "--dry-run");
        assertEquals(ExitCodes.NOT_FOUND, r.exitCode, r.toString());
        assertEquals("parity: git is not installed or not on PATH. Install git (Debian/Ubuntu: apt install git; "
                + "macOS: xcode-select --install).\n", r.err);
    }

    @Test
    void aDefectIsOneLineWithoutItsSecret() {
        runner.answerWith(RecordingRunner.startsWith("heroku"), c -> {
            throw new IllegalStateException("cannot use https://u:s3cr3t@example.com/b.dump?sig=s3cr3t\n\tat somewhere");
        });
        Run r = Run.parity(repo, runner, Map.of("HEROKU_API_KEY", "t0ken"), "", "production", "config");
        assertEquals(ExitCodes.FAILED, r.exitCode, r.toString());
        assertEquals("parity: internal error: IllegalStateException: cannot use https://<redacted>@example.com/b.dump?<redacted>\n",
                r.err);
        assertFalse(r.err.contains("s3cr3t"));
    }

    @Test
    void aTwoLineApiKeyIsOneLineAndExit2() {
        Run r = Run.parity(repo, runner, Map.of("HEROKU_API_KEY", "tok-one\ntok-two"), "", "production", "ps");
        assertEquals(ExitCodes.API, r.exitCode, r.toString());
        assertEquals("parity: step 1/1 'ps myapp-production' failed: the token in HEROKU_API_KEY is not a single API token "
                + "(it holds a line break); run `heroku login`, or set HEROKU_API_KEY to one API token\n", r.err);
    }

    /** The sandbox ships in its own jar beside parity.jar: without it, say where it is, start nothing. */
    @Test
    void sandboxWithoutTheSandboxJarSaysHowToRunItAndStartsNothing() {
        Run r = Run.parity(repo, runner, "sandbox", "start");
        assertEquals(ExitCodes.FAILED, r.exitCode, r.toString());
        assertEquals("parity: the sandbox is not part of parity.jar; run it as bin/parity sandbox, which adds "
                + "dist/target/parity-sandbox.jar (built by mvn -DskipTests package)\n", r.err);
        assertEquals(java.util.List.of(), runner.actions(), "nothing was started");
    }

    /** The same failure, the same code, whichever verb meets it. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ps", "info", "releases", "restart", "doctor", "migrate", "tail", "backup"})
    void withoutCredentialsEveryVerbThatNeedsThemExits2(String verb) throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), "migrate: bundle exec rails db:migrate\n");
        Run r = Run.parity(repo, runner, verb.equals("tail") ? new String[] {"production", verb, "--no-tail"} : new String[] {"production", verb});
        assertEquals(ExitCodes.API, r.exitCode, r.toString());
        org.junit.jupiter.api.Assertions.assertTrue(r.err.contains("no Heroku credentials: run `heroku login`"), r.err);
        assertFalse(r.err.contains("Exception") || r.err.contains("\tat "), r.err);
        assertEquals(java.util.List.of(), runner.actions(), "no heroku CLI was started");
    }
}
