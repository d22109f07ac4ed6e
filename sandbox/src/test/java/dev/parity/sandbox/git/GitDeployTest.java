package dev.parity.sandbox.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.logs.LogLine;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.model.Release;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real git pushing to and cloning from the sandbox over smart HTTP; the real CLI reads the result. */
class GitDeployTest {
    static final String APP = "demo-production";

    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;
    Path src;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        app = f.sandbox().createApp(APP, false, Map.of("web", 1, "worker", 1));
        awaitAllUp();
        src = Files.createDirectories(tmp.resolve("src"));
        git(src, "init", "--quiet", "--initial-branch=main");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void pushToMainReleasesAndRestartsTheDynosOntoIt() throws Exception {
        String sha = commit(Map.of("Procfile", "web: ruby web.rb\nworker: ruby worker.rb\n", "README", "hello\n"));
        Outcome push = push("main");

        assertEquals(0, push.exitCode(), push.toString());
        assertTrue(push.err().contains("remote: -----> Building on the Heroku-24 stack"), push.err());
        assertTrue(push.err().contains("remote:        Procfile declares types -> web, worker"), push.err());
        assertTrue(push.err().contains("remote:        Released v2"), push.err());
        Release current = app.currentRelease().orElseThrow();
        assertEquals("Deploy " + sha.substring(0, 7), current.description);
        assertEquals(sha, current.commit);
        assertEquals("succeeded", current.status);

        Outcome releases = f.heroku("releases", "--app", APP);
        assertEquals(0, releases.exitCode(), releases.toString());
        assertTrue(releases.out().contains("Current: v2"), releases.out());
        assertTrue(releases.out().matches("(?s).*v2\\s+Deploy " + sha.substring(0, 7) + "\\s+dev@example.com.*"), releases.out());

        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream()
                .allMatch(d -> d.state.equals("up") && d.releaseVersion == 2));
        assertEquals("ruby web.rb", app.formation.get("web").command);
        assertEquals("ruby worker.rb", app.formation.get("worker").command);
        assertEquals("hello\n", Files.readString(app.codeDir.resolve("README")));
        assertTrue(log().contains("heroku[api]: Deploy " + sha.substring(0, 7) + " by dev@example.com"), log());
        assertTrue(log().contains("heroku[api]: Release v2 created by dev@example.com"), log());

        // A second deploy removes from the code what the commit deleted.
        git(src, "rm", "--quiet", "README");
        git(src, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "--quiet", "-m", "drop readme");
        assertEquals(0, push("main").exitCode());
        assertFalse(Files.exists(app.codeDir.resolve("README")));
        assertTrue(Files.exists(app.codeDir.resolve("Procfile")));
        assertEquals(3, app.currentVersion());
    }

    @Test
    void failingReleaseCommandLeavesThePreviousReleaseLive() throws Exception {
        long generation = app.dyno("web.1").orElseThrow().generation;
        String webCommand = app.formation.get("web").command;
        String sha = commit(Map.of("Procfile", "release: sh -c 'exit 1'\nweb: ruby web.rb\n"));
        Outcome push = push("main");

        assertEquals(0, push.exitCode(), "git still stores the push, as on Heroku\n" + push);
        assertTrue(push.err().contains("remote:  !     Release command failed (exit status 1)"), push.err());
        assertTrue(push.err().contains("remote: Waiting for release.... failed."), push.err());
        Release v2 = app.releases.get(1);
        assertEquals("failed", v2.status);
        assertEquals(1, app.currentVersion());

        Outcome releases = f.heroku("releases", "--app", APP);
        assertTrue(releases.out().contains("Current: v1"), releases.out());
        assertTrue(releases.out().contains("Deploy " + sha.substring(0, 7) + " release command failed"), releases.out());

        f.awaitReleaseQueue(app); // a restart the failed release asked for would have happened by now
        Dyno web = app.dyno("web.1").orElseThrow();
        assertEquals(generation, web.generation, "dynos must not restart after a failed release phase");
        assertEquals(1, web.releaseVersion);
        assertEquals(webCommand, app.formation.get("web").command);
        assertFalse(Files.exists(app.codeDir.resolve("Procfile")), "the code of the live release stays checked out");
    }

    @Test
    void releaseCommandRunsAsAReleaseDynoBeforeTheDynosRestart() throws Exception {
        synchronized (app) {
            app.configVars.put("GREETING", "hello");
        }
        // The command waits for a file the test creates, so the test can see the dyno while it runs.
        commit(Map.of("Procfile", "release: echo migrating $GREETING on $DYNO; while [ ! -f go ]; do sleep 0.05; done\n"
                + "web: ruby web.rb\n"));
        CompletableFuture<Outcome> push = CompletableFuture.supplyAsync(() -> {
            try {
                return push("main");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        SandboxFixture.await(Duration.ofSeconds(20), () -> app.dynosSnapshot().stream().anyMatch(d -> d.type.equals("release")));
        Dyno release = app.dynosSnapshot().stream().filter(d -> d.type.equals("release")).findFirst().orElseThrow();
        assertTrue(release.name.matches("release\\.\\d+"), release.name);
        assertEquals("pending", app.releases.get(1).status);
        assertEquals(1, app.dyno("web.1").orElseThrow().releaseVersion, "the dynos wait for the release phase");
        Outcome ps = f.heroku("ps", "--app", APP);
        assertTrue(ps.out().contains(release.name), ps.out());
        Files.writeString(app.codeDir.resolve("go"), "");

        Outcome done = push.get(30, TimeUnit.SECONDS);
        assertEquals(0, done.exitCode(), done.toString());
        assertTrue(done.err().contains("remote: migrating hello on " + release.name), done.err());
        assertTrue(done.err().contains("remote: Waiting for release.... done."), done.err());
        assertEquals("succeeded", app.releases.get(1).status);
        assertEquals(2, app.currentVersion());
        assertTrue(app.dynosSnapshot().stream().noneMatch(d -> d.type.equals("release")));
        assertTrue(log().contains("app[" + release.name + "]: migrating hello on " + release.name), log());
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dyno("web.1").orElseThrow().releaseVersion == 2);
    }

    @Test
    void aHerokuStyleRemoteServesBothGitPushAndTheCliRemoteFlag() throws Exception {
        // The CLI only recognises https://HOST/APP.git remotes, and the sandbox speaks plain HTTP:
        // pushInsteadOf sends pushes over http while `git remote -v` (fetch) keeps the https form.
        String https = "https://127.0.0.1:" + f.sandbox().port() + "/";
        git(src, "remote", "add", "production", https + APP + ".git");
        git(src, "config", "url." + f.sandbox().baseUrl() + "/.pushInsteadOf", https);
        String sha = commit(Map.of("Procfile", "web: ruby web.rb\n"));

        Outcome push = f.run(List.of("git", "push", "production", "main"), null, src);
        assertEquals(0, push.exitCode(), push.toString());
        Outcome releases = f.run(List.of(SandboxFixture.HEROKU.toString(), "releases", "--remote", "production"), null, src);
        assertEquals(0, releases.exitCode(), releases.toString());
        assertTrue(releases.out().contains("=== " + APP + " Releases - Current: v2"), releases.out());
        assertTrue(releases.out().contains("Deploy " + sha.substring(0, 7)), releases.out());
    }

    @Test
    void pushToAnotherBranchBuildsNothing() throws Exception {
        commit(Map.of("Procfile", "web: ruby web.rb\n"));
        Outcome push = push("main:feature");

        assertEquals(0, push.exitCode(), push.toString());
        assertTrue(push.err().contains("remote: Pushed to non-deploy branch, skipping build."), push.err());
        assertEquals(1, app.releases.size());
        assertFalse(Files.exists(app.codeDir.resolve("Procfile")));
    }

    @Test
    void theAppCanBeClonedWithOrWithoutBasicCredentials() throws Exception {
        String sha = commit(Map.of("Procfile", "web: ruby web.rb\n", "app.rb", "puts 1\n"));
        assertEquals(0, push("main").exitCode());

        Outcome clone = f.run(List.of("git", "-c", "http.extraHeader=Authorization: Basic ZGV2QGV4YW1wbGUuY29tOnh5eg==",
                "clone", "--quiet", url(), "copy"), null, tmp);
        assertEquals(0, clone.exitCode(), clone.toString());
        assertEquals("puts 1\n", Files.readString(tmp.resolve("copy/app.rb")));
        assertEquals(sha, git(tmp.resolve("copy"), "rev-parse", "HEAD").strip());
        assertEquals("main", git(tmp.resolve("copy"), "rev-parse", "--abbrev-ref", "HEAD").strip());
    }

    @Test
    void aPushLargerThanGitsPostBufferArrivesChunked() throws Exception {
        byte[] noise = new byte[3 << 20];
        new java.util.Random(7).nextBytes(noise);
        Files.write(src.resolve("blob.bin"), noise);
        commit(Map.of("Procfile", "web: ruby web.rb\n"));
        Outcome push = f.run(List.of("git", "-c", "http.postBuffer=65536", "push", url(), "main"), null, src);
        assertEquals(0, push.exitCode(), push.toString());
        assertEquals(2, app.currentVersion());
        assertTrue(java.util.Arrays.equals(noise, Files.readAllBytes(app.codeDir.resolve("blob.bin"))));
    }

    @Test
    void unknownAppIsNotFound() throws Exception {
        Outcome ls = f.run(List.of("git", "ls-remote", f.sandbox().baseUrl() + "/no-such-app.git"), null, tmp);
        assertTrue(ls.exitCode() != 0, ls.toString());
        assertTrue(ls.err().contains("not found"), ls.err());
    }

    @Test
    void basicCredentialsNameTheRemoteUser() {
        assertEquals("dev@example.com", GitHttp.remoteUser("Basic ZGV2QGV4YW1wbGUuY29tOnh5eg=="));
        assertEquals("sandbox", GitHttp.remoteUser(null));
        assertEquals("sandbox", GitHttp.remoteUser("Bearer abc"));
    }

    // ---- helpers ----

    String url() {
        return f.sandbox().baseUrl() + "/" + APP + ".git";
    }

    Outcome push(String refspec) throws Exception {
        return f.run(List.of("git", "push", url(), refspec), null, src);
    }

    /** Writes the files into the source repository and commits them; returns the commit's id. */
    String commit(Map<String, String> files) throws Exception {
        for (Map.Entry<String, String> e : files.entrySet()) Files.writeString(src.resolve(e.getKey()), e.getValue());
        git(src, "add", ".");
        git(src, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "--quiet", "-m", "change");
        return git(src, "rev-parse", "HEAD").strip();
    }

    String git(Path dir, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Outcome o = f.run(argv, null, dir);
        assertEquals(0, o.exitCode(), o.toString());
        return o.out();
    }

    String log() {
        StringBuilder sb = new StringBuilder();
        for (LogLine l : f.sandbox().logs().recent(APP)) sb.append(l.source()).append('[').append(l.dyno()).append("]: ").append(l.message()).append('\n');
        return sb.toString();
    }

    void awaitAllUp() throws InterruptedException {
        SandboxFixture.await(Duration.ofSeconds(10), () -> app.dynosSnapshot().stream().allMatch(d -> d.state.equals("up")));
    }
}
