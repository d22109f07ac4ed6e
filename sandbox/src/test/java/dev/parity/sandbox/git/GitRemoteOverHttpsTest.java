package dev.parity.sandbox.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.GitSource;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote the official CLI writes ({@code heroku git:remote -a APP}: {@code https://HOST/APP.git},
 * as parity's advice tells users to run) deploys: the sandbox answers HTTPS on its API port, and
 * git trusts the sandbox's CA for that host and port only, through the environment the sandbox
 * hands out.
 */
class GitRemoteOverHttpsTest {
    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;
    GitSource src;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        app = f.sandbox().createApp("tls-remote", false, Map.of());
        src = new GitSource(f, tmp.resolve("src"));
        src.commit(Map.of("Procfile", "web: ruby web.rb\n"));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void gitRemoteWritesAnHttpsRemoteThatPushes() throws Exception {
        Outcome remote = f.run(List.of(SandboxFixture.HEROKU.toString(), "git:remote", "-a", "tls-remote"), null, src.dir());
        assertEquals(0, remote.exitCode(), remote.toString());
        String url = src.git("remote", "get-url", "heroku").strip();
        assertEquals(f.sandbox().secureBaseUrl() + "/tls-remote.git", url);
        assertTrue(url.startsWith("https://127.0.0.1:" + f.sandbox().port() + "/"), url);

        Outcome push = f.run(List.of("git", "push", "heroku", "main"), null, src.dir());
        assertEquals(0, push.exitCode(), push.toString());
        assertTrue(push.err().contains("remote:        Released v2"), push.err());
        assertEquals(src.git("rev-parse", "HEAD").strip(), app.currentRelease().orElseThrow().commit);

        // the CLI finds the app from that remote, as it would on Heroku
        Outcome info = f.run(List.of(SandboxFixture.HEROKU.toString(), "releases"), null, src.dir());
        assertEquals(0, info.exitCode(), info.toString());
        assertTrue(info.out().contains("tls-remote Releases"), info.out());
    }

    @Test
    void withoutTheSandboxsCaGitRefusesTheCertificateAndNothingIsDeployed() throws Exception {
        f.run(List.of(SandboxFixture.HEROKU.toString(), "git:remote", "-a", "tls-remote"), null, src.dir());
        Map<String, String> untrusting = new HashMap<>(f.env());
        untrusting.keySet().removeIf(k -> k.startsWith("GIT_CONFIG_"));
        ProcessBuilder pb = new ProcessBuilder("git", "push", "heroku", "main").directory(src.dir().toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(untrusting);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertNotEquals(0, p.waitFor(), out);
        assertTrue(out.contains("certificate"), out);
        assertEquals(1, app.releases.size(), "still only the initial release");
    }
}
