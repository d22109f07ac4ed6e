package dev.parity.sandbox.native_.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import dev.parity.support.GitRepo;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pass-through and {@code console} through the pinned official heroku CLI against the sandbox,
 * with {@code HEROKU_APP} naming the other app and the directory's {@code heroku} remote on it too:
 * the command runs on the app the environment means, with {@code --} anywhere in the arguments.
 * A sandbox one-off dyno runs in the app's checkout with its config vars, so what it prints says
 * which app it ran on.
 */
class PassThroughOnTheNamedAppTest {
    static final String PROD = "mill-production";
    static final String STAGING = "mill-staging";

    @TempDir
    static Path tmp;
    static SandboxFixture f;
    static Path repo;

    @BeforeAll
    static void twoAppsThatSayWhoTheyAre() throws Exception {
        if (!SandboxFixture.herokuInstalled()) {
            throw new AssertionError("the pinned heroku CLI is not installed: run tools/install-heroku-cli");
        }
        f = SandboxFixture.start(tmp);
        for (String app : List.of(PROD, STAGING)) {
            f.sandbox().createApp(app, false, Map.of());
            Outcome set = f.heroku("config:set", "MARK=" + app + "-config", "--app", app);
            assertEquals(0, set.exitCode(), set.toString());
        }
        repo = Files.createDirectories(tmp.resolve("mill"));
        GitRepo.run(repo, "git", "init", "-q");
        GitRepo.run(repo, "git", "remote", "add", "production", f.sandbox().baseUrl() + "/" + PROD + ".git");
        GitRepo.run(repo, "git", "remote", "add", "staging", f.sandbox().baseUrl() + "/" + STAGING + ".git");
        // the remote the CLI itself falls back to when it reads no --app: the wrong app, on purpose
        GitRepo.run(repo, "git", "remote", "add", "heroku", f.sandbox().baseUrl() + "/" + STAGING + ".git");
        Files.writeString(repo.resolve(".parity.yml"), "console: echo console on $MARK with\n");
    }

    @AfterAll
    static void stop() {
        if (f != null) f.close();
    }

    @Test
    void productionRunEnvPrintsProductionsConfigWhileHerokuAppNamesStaging() throws Exception {
        Outcome r = parity(STAGING, "production", "run", "--", "env");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("MARK=" + PROD + "-config\n"), r.toString());
        assertFalse(r.out().contains(STAGING), r.toString());
    }

    @ParameterizedTest(name = "HEROKU_APP={0}: {1}")
    @CsvSource(delimiter = '|', value = {
            // HEROKU_APP | parity arguments                              | what the dyno prints
            STAGING + "   | production run -- printenv MARK               | " + PROD + "-config",
            STAGING + "   | production run --exit-code -- printenv MARK   | " + PROD + "-config",
            STAGING + "   | production run printenv MARK                  | " + PROD + "-config",
            STAGING + "   | production run -- echo $MARK --app " + STAGING + " | " + PROD + "-config --app " + STAGING,
            STAGING + "   | production run -- echo " + PROD + "          | " + PROD,
            STAGING + "   | production run echo " + PROD + "             | " + PROD,
            STAGING + "   | production run -- echo " + STAGING + "       | " + STAGING,
            PROD + "      | staging run -- printenv MARK                  | " + STAGING + "-config",
            PROD + "      | staging run -e EXTRA=given -- echo $MARK $EXTRA | " + STAGING + "-config given",
            STAGING + "   | production run --remote heroku -- printenv MARK | " + PROD + "-config",
            STAGING + "   | production config:get MARK                    | " + PROD + "-config",
            STAGING + "   | production config:get -- MARK                 | " + PROD + "-config",
    })
    void theCommandRunsOnTheEnvironmentsApp(String herokuApp, String args, String printed) throws Exception {
        Outcome r = parity(herokuApp, args.split(" "));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(printed + "\n", r.out(), r.toString());
    }

    @Test
    void anAppOptionOfTheUsersBeforeTheDashDashIsAnErrorNotARedirect() throws Exception {
        Outcome r = parity(PROD, "production", "run", "-a", STAGING, "--", "printenv", "MARK");
        assertTrue(r.exitCode() != 0, r.toString());
        assertTrue(r.err().contains("--app can only be specified once"), r.toString());
        assertEquals("", r.out(), "nothing ran\n" + r);
    }

    @Test
    void theRemoteStatusComesBackThroughTheRightApp() throws Exception {
        Outcome r = parity(STAGING, "production", "run", "--exit-code", "--", "test", "$MARK", "=", PROD + "-config", "&&", "exit", "7");
        assertEquals(7, r.exitCode(), r.toString());
    }

    @ParameterizedTest(name = "HEROKU_APP={0}: {1}")
    @CsvSource(delimiter = '|', value = {
            STAGING + " | production console                          | console on " + PROD + "-config with",
            STAGING + " | production console --sandbox                | console on " + PROD + "-config with --sandbox",
            STAGING + " | production console -- --sandbox             | console on " + PROD + "-config with --sandbox",
            STAGING + " | production console -- --app " + STAGING + " -- x | console on " + PROD + "-config with --app " + STAGING + " -- x",
            PROD + "    | staging console -- -e production            | console on " + STAGING + "-config with -e production",
    })
    void consoleRunsOnTheEnvironmentsApp(String herokuApp, String args, String printed) throws Exception {
        Outcome r = parity(herokuApp, args.split(" "));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(printed + "\n", r.out(), r.toString());
    }

    /** {@code parity ARGS} in the repository as its own process (as the launcher runs it), so the CLI's output is seen. */
    static Outcome parity(String herokuApp, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.parity.Main"));
        argv.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(f.env());
        env.put("PATH", SandboxFixture.HEROKU.getParent() + File.pathSeparator + env.get("PATH"));
        env.put("HEROKU_APP", herokuApp);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(repo.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "parity-out", ".txt");
        Path err = Files.createTempFile(tmp, "parity-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("timed out: parity " + String.join(" ", args) + "\n" + Files.readString(err));
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
