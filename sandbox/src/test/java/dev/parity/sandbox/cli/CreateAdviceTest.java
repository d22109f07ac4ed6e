package dev.parity.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.support.SandboxFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parity sandbox create APP} advises the git remote of the environment APP was made for, never another one. */
class CreateAdviceTest {
    @TempDir
    static Path tmp;
    static SandboxFixture f;
    static Process stand_in;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        f = SandboxFixture.start(tmp.resolve("fixture"));
        stand_in = new ProcessBuilder("sleep", "600").start();
        Path dir = tmp.resolve("sandbox");
        SandboxCli.describe(f.sandbox(), dir, stand_in.pid());
        env = Map.of("HOME", tmp.resolve("home").toString(), "PARITY_SANDBOX", dir.toString());
    }

    @AfterAll
    static void stop() {
        stand_in.destroyForcibly();
        f.close();
    }

    static String advice(String... args) {
        SandboxCli.Outcome create = SandboxCli.run(env, tmp, args);
        assertEquals(0, create.exitCode(), create.toString());
        return create.out();
    }

    @Test
    void stagingGetsAStagingRemote() {
        String out = advice("create", "staging");
        assertTrue(out.contains("git remote add staging https://127.0.0.1:" + f.sandbox().port() + "/staging.git"), out);
        assertTrue(out.contains("heroku git:remote -a staging --remote staging"), out);
        assertFalse(out.contains("production"), out);
    }

    @Test
    void theEnvironmentANameEndsWithNamesTheRemote() {
        assertTrue(advice("create", "shop-staging").contains("git remote add staging "));
        assertTrue(advice("create", "shop-production").contains("git remote add production "));
        // development is parity's local database, never a remote
        assertTrue(advice("create", "shop-development").contains("git remote add heroku "));
        String out = advice("create", "shop");
        assertTrue(out.contains("git remote add heroku "), out); // the CLI's own default remote
        assertFalse(out.contains("production"), out);
    }

    @Test
    void remoteOptionNamesItExplicitly() {
        String out = advice("create", "shop-qa", "--remote", "qa");
        assertTrue(out.contains("git remote add qa https://127.0.0.1:" + f.sandbox().port() + "/shop-qa.git"), out);
    }
}
