package dev.parity.cli;

import static dev.parity.support.RecordingRunner.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which branch deploy pushes where: main, master, both, neither; production vs the rest. */
class DeployPlansTest {
    @TempDir
    Path repo;
    RecordingRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        runner = new RecordingRunner()
                .withRemote("production", "https://git.heroku.com/myapp-production.git")
                .withRemote("staging", "https://git.heroku.com/myapp-staging.git");
    }

    /**
     * The push a deploy would make, read from its plan: the plan and the run build it in one place
     * ({@code Deploy.target}), and a real run needs the Platform API (deploys against the sandbox
     * prove the rest: DeployReleasePhaseTest, DeployMigrationsTest).
     */
    List<List<String>> pushes(Map<String, String> env, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(args));
        argv.add("--dry-run");
        Run r = Run.parity(repo, runner, env, "", argv.toArray(String[]::new));
        assertEquals(0, r.exitCode, r.toString());
        pushed.addAll(r.out.lines().map(String::strip).filter(l -> l.startsWith("$ git push "))
                .map(l -> List.of(l.substring(2).split(" "))).toList());
        return pushed;
    }

    List<List<String>> pushes(String... args) {
        return pushes(Map.of(), args);
    }

    final List<List<String>> pushed = new java.util.ArrayList<>();

    @ParameterizedTest(name = "branches [{0}]: production pushes {1}, staging pushes {2}")
    @CsvSource({
            "main,        main,   HEAD:main",
            "master,      master, HEAD:master",
            "main master, main,   HEAD:main",
    })
    void pushesTheRepositorysDeployBranch(String branches, String productionRefspec, String stagingRefspec) {
        runner.withBranches(branches.split(" "));
        pushes("production", "deploy");
        pushes("staging", "deploy");
        assertEquals(List.of(List.of("git", "push", "production", productionRefspec),
                List.of("git", "push", "staging", stagingRefspec, "--force")), pushed);
    }

    @Test
    void productionWithNeitherMainNorMasterIsRefused() {
        Run r = Run.parity(repo, runner, "production", "deploy");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("no main or master branch"), r.err);
        assertTrue(runner.actions().isEmpty());
    }

    @Test
    void stagingWithNeitherPushesHeadOntoMain() {
        pushes("staging", "deploy");
        assertEquals(List.of(List.of("git", "push", "staging", "HEAD:main", "--force")), pushed);
    }

    @Test
    void branchOptionDeploysThatBranchOntoMain() {
        runner.withBranches("main", "hotfix");
        pushes("production", "deploy", "--branch", "hotfix");
        pushes("staging", "deploy", "--branch", "hotfix");
        assertEquals(List.of(List.of("git", "push", "production", "hotfix:main"),
                List.of("git", "push", "staging", "hotfix:main", "--force")), pushed);
    }

    @Test
    void configuredDeployBranchIsProductionsSource() throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), "deploy_branch: release\n");
        runner.withBranches("main", "release");
        pushes("production", "deploy");
        assertEquals(List.of(List.of("git", "push", "production", "release:main")), pushed);
    }

    @Test
    void missingBranchIsAUsageError() {
        runner.withBranches("main");
        Run r = Run.parity(repo, runner, "production", "deploy", "--branch", "nope");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("no local branch 'nope'"), r.err);
    }

    @Test
    void uncommittedChangesRefuseTheDeployBeforeAnythingIsReadOrPushed() {
        runner.withBranches("main").answer(startsWith("git", "status"), 0, " M app/models/user.rb\n");
        Run r = Run.parity(repo, runner, Map.of("HEROKU_API_KEY", "t0ken", "HEROKU_HOST", "http://127.0.0.1:9"), "", "production", "deploy");
        assertEquals(3, r.exitCode, r.toString());
        assertTrue(r.err.contains("app/models/user.rb") && r.err.contains("--allow-dirty") && r.err.contains("Nothing was pushed."), r.err);
        assertTrue(runner.actions().isEmpty(), "nothing pushed");
        assertEquals(List.of(List.of("git", "push", "production", "main")), pushes("production", "deploy", "--allow-dirty"));
    }

    /** A deploy proves what it did through the Platform API: without credentials it pushes nothing. */
    @Test
    void withoutCredentialsNothingIsPushed() {
        runner.withBranches("main");
        Run r = Run.parity(repo, runner, "production", "deploy");
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("'read what runs now and what the push brings' failed: "), r.err);
        assertTrue(r.err.contains("heroku login") || r.err.contains("HEROKU_API_KEY"), r.err);
        assertTrue(runner.actions().isEmpty(), "nothing pushed");
        assertFalse(r.err.contains("t0ken"));
    }

    @Test
    void environmentOnlyInParityYmlPushesToTheAppsGitUrl() throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), "environments:\n  qa: {app: myapp-qa}\n");
        pushes("qa", "deploy");
        pushes(Map.of("HEROKU_HOST", "http://127.0.0.1:5555"), "qa", "deploy");
        assertEquals(List.of(List.of("git", "push", "https://git.heroku.com/myapp-qa.git", "HEAD:main", "--force"),
                List.of("git", "push", "http://127.0.0.1:5555/myapp-qa.git", "HEAD:main", "--force")), pushed);
    }

    /**
     * .parity.yml names staging's app, while the git remote called staging points at production's
     * app: the push goes to the app the plan names, never force-pushed through the remote.
     */
    @Test
    void aRemoteOfTheSameNamePointingAtAnotherAppIsNotWhereTheDeployGoes() throws IOException {
        runner.withRemote("staging", "https://git.heroku.com/myapp-production.git");
        Files.writeString(repo.resolve(".parity.yml"), "environments:\n  staging: {app: myapp-staging}\n");
        assertEquals(List.of(List.of("git", "push", "https://git.heroku.com/myapp-staging.git", "HEAD:main", "--force")),
                pushes("staging", "deploy"));
    }

    /** git pushes to a remote's pushurl, or to each of its urls: one of them being production's app is enough to refuse the name. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "pushurl, https://git.heroku.com/myapp-production.git",
            "url,     https://git.heroku.com/myapp-staging.git https://git.heroku.com/myapp-production.git",
    })
    void aRemoteThatPushesToAnotherAppIsNotWhereTheDeployGoes(String key, String urls) {
        runner.answer(startsWith("git", "config", "--get-all", "remote.staging." + key), 0, urls.replace(' ', '\n') + "\n");
        assertEquals(List.of(List.of("git", "push", "https://git.heroku.com/myapp-staging.git", "HEAD:main", "--force")),
                pushes("staging", "deploy"));
    }

    @Test
    void dryRunShowsTheBranchDecisionAndPushesNothing() {
        runner.withBranches("main", "master");
        Run r = Run.parity(repo, runner, "production", "deploy", "--dry-run");
        for (String step : List.of("check for uncommitted changes", "read what runs now and what the push brings",
                "back up the database of production (myapp-production) before migrating", "push to production",
                "find the new release and follow its release phase", "run migration on myapp-production",
                "restart every dyno of myapp-production", "wait for every dyno of myapp-production to be up after the migration on the new release",
                "wait for every dyno of myapp-production to be up on the new release")) {
            assertTrue(r.out.contains(step), step + "\n" + r.out);
        }
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("$ git push production main"), r.out);
        assertTrue(r.out.contains("both main and master exist"), r.out);
        assertTrue(runner.actions().isEmpty());
    }

    @Test
    void dryRunFollowsTheFlags() {
        runner.withBranches("main");
        Run r = Run.parity(repo, runner, "production", "deploy", "--dry-run", "--maintenance", "--no-rollback");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("turn maintenance mode on for myapp-production\n"), r.out);
        assertTrue(r.out.contains("turn maintenance mode off for myapp-production\n"), r.out);
        assertTrue(r.out.indexOf("turn maintenance mode on") < r.out.indexOf("push to production"), "on before the push\n" + r.out);
        assertTrue(r.out.contains("Non-zero: stop here, restart nothing; the new code keeps running (--no-rollback)"), r.out);

        Run none = Run.parity(repo, runner, "production", "deploy", "--dry-run", "--no-migrate", "--no-backup");
        assertEquals(0, none.exitCode, none.toString());
        assertFalse(none.out.contains("run migration on"), none.out);
        assertFalse(none.out.contains("back up the database"), none.out);
        assertTrue(none.out.contains("wait for every dyno of myapp-production to be up on the new release"), none.out);
        assertTrue(runner.actions().isEmpty());
    }
}
