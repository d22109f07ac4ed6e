package dev.parity.sandbox.native_.exitcodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.cli.Parity;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.ui.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every verb that calls the Platform API turns the same API failure into the same exit code (2) and one line. */
class ApiFailureExitCodesTest {
    @TempDir
    Path tmp;
    SandboxFixture f;
    Path repo;
    Map<String, String> env;

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        f.sandbox().createApp("codes-prod", false, Map.of("web", 1));
        repo = Files.createDirectories(tmp.resolve("repo"));
        env = new HashMap<>(f.env());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        git("init", "--quiet", "--initial-branch=main");
        git("remote", "add", "production", f.sandbox().baseUrl() + "/codes-prod.git");
        Files.writeString(repo.resolve(".parity.yml"), "migrate: 'true'\n");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    void git(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        assertEquals(0, f.run(argv, "", repo).exitCode());
    }

    Result parity(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), env, repo, false);
        int code = new Parity(io, new SystemProcessRunner(env, repo)).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertOneClearLine(Result r, String says) {
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains(says), r.toString());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace\n" + r);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ps", "info", "releases", "restart", "doctor", "migrate"})
    void aMissingAppExitsTwoNamingWhereTheNameCameFrom(String verb) throws Exception {
        git("remote", "set-url", "production", f.sandbox().baseUrl() + "/no-such-app.git");
        Result r = parity("production", verb);
        assertOneClearLine(r, "Couldn't find that app.");
        assertTrue(r.err().contains("environment production maps to app no-such-app (from git remote"), r.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ps", "info", "releases", "restart", "doctor", "migrate"})
    void anApiThatKeepsFailingExitsTwo(String verb) throws Exception {
        f.sandbox().faults().failNext(40, 503, 0);
        Result r = parity("production", verb);
        assertOneClearLine(r, "The API is temporarily unavailable.");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ps", "info", "releases", "restart", "doctor", "migrate"})
    void noCredentialsExitTwoSayingHowToLogIn(String verb) throws Exception {
        env.remove("HEROKU_API_KEY");
        Result r = parity("production", verb);
        assertOneClearLine(r, "no Heroku credentials: run `heroku login` or set HEROKU_API_KEY");
    }
}
