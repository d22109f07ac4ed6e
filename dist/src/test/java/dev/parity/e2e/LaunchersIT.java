package dev.parity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.FakeHeroku;
import dev.parity.support.GitRepo;
import dev.parity.support.Launcher;
import dev.parity.support.Launcher.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real launchers (POSIX sh → JVM) in real git repositories: what reaches the heroku CLI, what
 * reaches the git remotes, and what the user sees when something is wrong.
 */
class LaunchersIT {
    @TempDir
    Path tmp;
    GitRepo repo;
    FakeHeroku heroku;
    Path productionBare;
    Path stagingBare;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        repo = GitRepo.init(tmp.resolve("myapp"), "main");
        Files.writeString(repo.dir().resolve(".parity.yml"), "migrate: bundle exec rails db:migrate\nconsole: bundle exec rails console\n");
        repo.git("add", ".parity.yml");
        repo.git("commit", "-q", "-m", "parity config");
        productionBare = repo.addHerokuRemote("production", "myapp-production", tmp.resolve("heroku-git"));
        stagingBare = repo.addHerokuRemote("staging", "myapp-staging", tmp.resolve("heroku-git"));
        heroku = new FakeHeroku(tmp);
        env = Launcher.env(tmp.resolve("home"), heroku.binDir());
        env.put("FAKE_HEROKU_LOG", heroku.logDir().toString());
    }

    Outcome run(String launcher, String... args) throws IOException, InterruptedException {
        return Launcher.run(repo.dir(), env, launcher, args);
    }

    @Test
    void productionMigrateTalksToTheApiNotTheCli() throws Exception {
        // the real run is tested on the sandbox (NativeMigrateTest, SandboxDemoIT); here: no heroku CLI, clear failure
        Outcome o = run("production", "migrate");
        assertEquals(2, o.exitCode(), "no credentials is an API failure, exit 2 as for ps: " + o);
        assertTrue(o.err().contains("'run migration on myapp-production' failed"), o.err());
        assertTrue(o.err().contains("not run: restart every dyno of myapp-production"), o.err());
        assertEquals(List.of(), heroku.calls(), "the official CLI is not used");
    }

    @Test
    void passThroughKeepsEveryArgumentLiterally() throws Exception {
        String[] args = {"pg:psql", "-c", "SELECT 'a b'; DROP TABLE x; -- \"q\"", "$(touch pwned)", "`id`", "ünïcødé ✓",
                "two\nlines", "", "*", "--verbose", "@file"};
        Outcome o = run("staging", args);
        assertEquals(0, o.exitCode(), o.toString());
        List<String> expected = new ArrayList<>(List.of("heroku"));
        expected.addAll(List.of(args));
        expected.addAll(List.of("--app", "myapp-staging"));
        assertEquals(List.of(expected), heroku.calls());
        assertFalse(Files.exists(repo.dir().resolve("pwned")), "nothing was interpreted by a shell");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 20261125L, 424242L})
    void randomArgumentsSurviveTheLauncherUnchanged(long seed) throws Exception {
        Random random = new Random(seed);
        String alphabet = "ab Z9'\"$`\\;|&()<>*?[]{}~#!%^=,.:/-_\t\né😀ß";
        List<String> args = new ArrayList<>(List.of("config:set"));
        for (int i = 0; i < 12; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(12);
            for (int j = 0; j < len; j++) sb.appendCodePoint(alphabet.codePoints().toArray()[random.nextInt((int) alphabet.codePoints().count())]);
            args.add(sb.toString());
        }
        Outcome o = run("production", args.toArray(String[]::new));
        assertEquals(0, o.exitCode(), o.toString());
        List<String> expected = new ArrayList<>(List.of("heroku"));
        expected.addAll(args);
        expected.addAll(List.of("--app", "myapp-production"));
        assertEquals(List.of(expected), heroku.calls());
    }

    @Test
    void parityWithTheEnvironmentFirstIsTheSameAsTheLauncher() throws Exception {
        assertEquals(0, run("parity", "production", "config", "--shell").exitCode());
        assertEquals(0, run("production", "config", "--shell").exitCode());
        assertEquals(heroku.calls().get(0), heroku.calls().get(1));
    }

    @Test
    void reviewAppLauncherAddressesThePullRequestsApp() throws Exception {
        Outcome o = run("pr_app", "1234", "console", "--sandbox");
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals(List.of(List.of("heroku", "run", "--exit-code", "--app", "myapp-staging-pr-1234",
                "bundle exec rails console --sandbox")), heroku.calls());
    }

    /** The push each launcher's deploy makes, read from its plan (a real deploy reads the Platform API first: DeployGuardsTest and the other sandbox tests push for real). */
    String plannedPush(String launcher, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(args));
        argv.add("--dry-run");
        Outcome o = run(launcher, argv.toArray(String[]::new));
        assertEquals(0, o.exitCode(), o.toString());
        return o.out().lines().map(String::strip).filter(l -> l.startsWith("$ git push ")).findFirst().orElse("(no push planned)\n" + o);
    }

    @Test
    void productionDeployPushesMainToTheProductionRemote() throws Exception {
        assertEquals("$ git push production main", plannedPush("production", "deploy"));
    }

    @Test
    void productionDeployUsesMasterWhereOnlyThatExists() throws Exception {
        repo.git("branch", "-m", "main", "master");
        assertEquals("$ git push production master", plannedPush("production", "deploy"));
    }

    @Test
    void stagingDeployForcePushesTheCheckedOutBranchOntoMain() throws Exception {
        repo.git("checkout", "-q", "-b", "feature");
        assertEquals("$ git push staging HEAD:main --force", plannedPush("staging", "deploy"));
    }

    @Test
    void dirtyWorkingTreeIsNotDeployed() throws Exception {
        Files.writeString(repo.dir().resolve("README"), "changed but not committed\n");
        Outcome o = run("production", "deploy");
        assertEquals(3, o.exitCode(), o.toString());
        assertTrue(o.err().contains("README") && o.err().contains("--allow-dirty"), o.err());
        assertEquals("", GitRepo.run(productionBare, "git", "branch", "--list"), "nothing was pushed");

        // allowed, the deploy goes on to read the app, which needs credentials: still nothing pushed, and said so
        Outcome allowed = run("production", "deploy", "--allow-dirty");
        assertEquals(2, allowed.exitCode(), allowed.toString());
        assertTrue(allowed.err().contains("no Heroku credentials: run `heroku login` or set HEROKU_API_KEY; nothing was pushed"), allowed.err());
        assertEquals("", GitRepo.run(productionBare, "git", "branch", "--list"), "nothing was pushed");
    }

    @Test
    void unknownEnvironmentListsTheKnownOnes() throws Exception {
        Outcome o = run("parity", "prod", "ps");
        assertEquals(2, o.exitCode());
        assertTrue(o.err().contains("unknown environment 'prod'") && o.err().contains("production, staging"), o.err());
        assertTrue(heroku.calls().isEmpty());
    }

    @Test
    void missingRemoteSaysHowToAddIt() throws Exception {
        repo.git("remote", "remove", "staging");
        Outcome o = run("staging", "ps");
        assertEquals(2, o.exitCode());
        assertTrue(o.err().contains("heroku git:remote -r staging -a APP"), o.err());
    }

    @Test
    void missingHerokuCliSaysHowToInstallIt() throws Exception {
        Map<String, String> noHeroku = Launcher.env(tmp.resolve("home"));
        noHeroku.put("PATH", noHeroku.get("PATH").replaceAll("[^:]*fake-bin:?", ""));
        Outcome o = Launcher.run(repo.dir(), noHeroku, "production", "config");
        org.junit.jupiter.api.Assumptions.assumeFalse(o.exitCode() == 0, "a real heroku CLI is on PATH");
        assertEquals(127, o.exitCode(), o.toString());
        assertTrue(o.err().contains("heroku is not installed") && o.err().contains("heroku-cli"), o.err());
    }

    @Test
    void malformedConfigurationNamesTheKey() throws Exception {
        Files.writeString(repo.dir().resolve(".parity.yml"), "migrate: [a, b]\n");
        Outcome o = run("production", "migrate");
        assertEquals(2, o.exitCode());
        assertTrue(o.err().contains("'migrate' must be a string"), o.err());
        Files.writeString(repo.dir().resolve(".parity.yml"), "deploy_brnch: main\n");
        o = run("production", "deploy");
        assertEquals(2, o.exitCode());
        assertTrue(o.err().contains("unknown key 'deploy_brnch'"), o.err());
        assertTrue(heroku.calls().isEmpty());
    }

    @Test
    void versionHelpAndUsage() throws Exception {
        Outcome v = run("parity", "--version");
        assertEquals(0, v.exitCode());
        assertTrue(v.out().startsWith("parity "), v.out());
        Outcome none = run("staging");
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("Usage: staging"), none.err());
        Outcome help = run("development", "restore", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--parallelize"), help.out());
    }

    @Test
    void dryRunPrintsThePlanAndRunsNothing() throws Exception {
        Outcome o = run("production", "migrate", "--dry-run");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("POST /apps/myapp-production/dynos {command: \"bundle exec rails db:migrate ; echo"), o.out());
        assertTrue(o.out().contains("DELETE /apps/myapp-production/dynos"), o.out());
        assertTrue(o.out().contains("migrate command: bundle exec rails db:migrate (.parity.yml migrate)"), o.out());
        Outcome passThrough = run("production", "--dry-run", "config:set", "A=1");
        assertEquals(0, passThrough.exitCode());
        assertTrue(passThrough.out().contains("$ heroku config:set A=1 --app myapp-production"), passThrough.out());
        assertTrue(heroku.calls().isEmpty());
    }

    /** Each launcher's help lists the verbs by group; the unit tests check the registry, this the launchers. */
    @ParameterizedTest(name = "{0} --help")
    @ValueSource(strings = {"production", "staging", "development", "pr_app", "parity"})
    void everyLaunchersHelpListsTheVerbsByGroup(String launcher) throws Exception {
        Outcome o = run(launcher, "--help");
        assertEquals(0, o.exitCode(), o.toString());
        for (String heading : List.of("Everyday:", "Data:", "Deploy:", "Anything else goes to the heroku CLI")) {
            assertTrue(o.out().contains("\n" + heading), heading + "\n" + o.out());
        }
        for (String verb : List.of("ps", "info", "releases", "restart", "doctor", "tail", "open", "console", "backup", "restore",
                "deploy", "migrate", "rollback")) {
            assertTrue(o.out().contains("\n  " + verb + " "), verb + "\n" + o.out());
        }
        assertEquals(launcher.equals("parity"), o.out().contains("\nSandbox:\n"), o.out());
        assertTrue(heroku.calls().isEmpty());
    }

    @Test
    void reviewAppTakesDryRunBeforeTheNumber() throws Exception {
        Outcome o = run("pr_app", "--dry-run", "1234", "console");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("$ heroku run --exit-code --app myapp-staging-pr-1234 'bundle exec rails console'"), o.out());
        assertTrue(heroku.calls().isEmpty(), "a dry run runs nothing");
    }

    @Test
    void dryRunAfterAHerokuCommandAndANearMissVerbAreStoppedBeforeHeroku() throws Exception {
        Outcome dryRun = run("production", "config:set", "A=1", "--dry-run");
        assertEquals(2, dryRun.exitCode(), dryRun.toString());
        assertTrue(dryRun.err().contains("put it before the verb: production --dry-run config:set A=1\n"), dryRun.err());
        Outcome typo = run("production", "migarte");
        assertEquals(2, typo.exitCode(), typo.toString());
        assertTrue(typo.err().contains("Did you mean production migrate?"), typo.err());
        assertTrue(heroku.calls().isEmpty(), "heroku was not run: " + heroku.calls());
        assertEquals(0, run("production", "--", "migarte").exitCode());
        assertEquals(List.of(List.of("heroku", "migarte", "--app", "myapp-production")), heroku.calls());
    }

    @Test
    void binstubMakesACustomEnvironmentLauncher() throws Exception {
        repo.addHerokuRemote("feature-geoff", "myapp-feature-geoff", tmp.resolve("heroku-git"));
        assertEquals(0, run("parity", "binstub", "feature-geoff").exitCode());
        env.put("PATH", Launcher.BIN + ":" + env.get("PATH"));
        Outcome o = Launcher.run(repo.dir(), env, repo.dir().resolve("bin/feature-geoff").toString(), "migrate", "--dry-run");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("DELETE /apps/myapp-feature-geoff/dynos"), o.out());
    }

    @Test
    void installLinksTheLaunchersIntoAPrefix() throws Exception {
        Path prefix = tmp.resolve("prefix");
        GitRepo.run(tmp, Launcher.HOME.resolve("install.sh").toString(), prefix.toString());
        for (String name : new String[] {"parity", "production", "staging", "development", "pr_app"}) {
            assertTrue(Files.isSymbolicLink(prefix.resolve("bin/" + name)), name);
        }
        Outcome o = Launcher.run(repo.dir(), env, prefix.resolve("bin/staging").toString(), "config");
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals(List.of(List.of("heroku", "config", "--app", "myapp-staging")), heroku.calls());
    }

    @Test
    void demoShowsTheMainJobsOnAnExampleRepository() throws Exception {
        Outcome o = Launcher.run(tmp, env, "parity", "demo");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("POST /apps/demo-production/dynos {command: \"bundle exec rails db:migrate ; echo"), o.out());
        // the restore plan: into a temporary database, verified, swapped in; nothing is dropped
        assertTrue(o.out().contains("pg_restore --no-acl --no-owner --jobs="), o.out());
        assertTrue(o.out().contains("--dbname demo_development_parity_restore"), o.out());
        assertTrue(o.out().contains("swap it in as demo_development"), o.out());
        // the example's scrub rules run in the temporary database, before the swap
        assertTrue(o.out().contains("scrub demo_development_parity_restore"), o.out());
        assertTrue(o.out().contains("users: email: email, name: name"), o.out());
        assertTrue(o.out().indexOf("scrub demo_development_parity_restore") < o.out().indexOf("swap it in as demo_development"), o.out());
        assertFalse(o.out().contains("dropdb"), o.out());
        assertTrue(heroku.calls().isEmpty(), "the demo only plans");
    }

    @Test
    void everyVerbButTheSandboxRunsWithASmallFixedYoungGenerationAndOnlyRestoreAndTheSandboxGetBothCompilers() throws Exception {
        // the JVM prints the flags it was started with (-XX:+PrintCommandLineFlags, through JAVA_TOOL_OPTIONS)
        Map<String, String> flags = Launcher.with(env, "JAVA_TOOL_OPTIONS", "-XX:+PrintCommandLineFlags");
        Outcome version = Launcher.run(repo.dir(), flags, "production", "--version");
        assertTrue(version.out().contains("-XX:MaxNewSize=16777216 ") && version.out().contains("-XX:TieredStopAtLevel=1 "), version.out());
        Outcome restore = Launcher.run(repo.dir(), flags, "development", "restore", "--help");
        assertTrue(restore.out().contains("-XX:MaxNewSize=16777216 ") && restore.out().contains("-XX:+TieredCompilation "), restore.out());
        assertFalse(restore.out().contains("TieredStopAtLevel"), restore.out());
        Outcome sandbox = Launcher.run(repo.dir(), flags, "parity", "sandbox", "--help");
        assertEquals(0, sandbox.exitCode(), sandbox.toString());
        assertFalse(sandbox.out().contains("-XX:MaxNewSize=16777216 "), "the sandbox keeps the default young generation: " + sandbox.out());
    }

    @Test
    void theSameJavaReachedThroughAnotherPathKeepsTheClassDataArchive() throws Exception {
        // the archive belongs to one JVM; the same JVM through a link (another PATH entry, /usr/bin/java's
        // alternatives) is that JVM, and remaking the archive would cost every such run seconds
        Path realJava = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        Map<String, String> direct = new java.util.HashMap<>(env);
        direct.remove("JAVA_HOME");
        direct.put("PATH", realJava.getParent() + ":" + env.get("PATH"));
        assertEquals(0, Launcher.run(repo.dir(), direct, "parity", "--version").exitCode());
        Path archive = Launcher.HOME.resolve("dist/target/parity.jsa");
        assertTrue(Files.isRegularFile(archive), "the launcher made " + archive);
        java.nio.file.attribute.FileTime made = Files.getLastModifiedTime(archive);
        Path linked = Files.createDirectories(tmp.resolve("another-bin"));
        Files.createSymbolicLink(linked.resolve("java"), realJava);
        Map<String, String> throughLink = new java.util.HashMap<>(direct);
        throughLink.put("PATH", linked + ":" + env.get("PATH"));
        try {
            Outcome o = Launcher.run(repo.dir(), throughLink, "parity", "--version");
            assertEquals(0, o.exitCode(), o.toString());
            assertEquals(made, Files.getLastModifiedTime(archive), "the archive was made again for the same JVM");
        } finally {
            Files.delete(linked.resolve("java")); // the link, not the JVM it points to
        }
    }

    @Test
    void completionScriptIsValidBash() throws Exception {
        Outcome o = run("parity", "completion", "bash");
        assertEquals(0, o.exitCode());
        Path script = tmp.resolve("parity.bash");
        Files.writeString(script, o.out());
        GitRepo.run(tmp, "bash", "-n", script.toString());
    }
}
