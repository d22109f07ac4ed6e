package dev.parity.cli;

import static dev.parity.support.RecordingRunner.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.RecordingRunner;
import dev.parity.support.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @ParameterizedTest(name = "branches [{0}]: production pushes {1}, staging pushes {2}")
    @CsvSource({
            "main,        main,   HEAD:main",
            "master,      master, HEAD:master",
            "main master, main,   HEAD:main",
    })
    void pushesTheRepositorysDeployBranch(String branches, String productionRefspec, String stagingRefspec) {
        runner.withBranches(branches.split(" "));
        assertEquals(0, Run.parity(repo, runner, "production", "deploy").exitCode);
        assertEquals(0, Run.parity(repo, runner, "staging", "deploy").exitCode);
        assertEquals(List.of(List.of("git", "push", "production", productionRefspec),
                List.of("git", "push", "staging", stagingRefspec, "--force")), runner.actions());
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
        assertEquals(0, Run.parity(repo, runner, "staging", "deploy").exitCode);
        assertEquals(List.of(List.of("git", "push", "staging", "HEAD:main", "--force")), runner.actions());
    }

    @Test
    void branchOptionDeploysThatBranchOntoMain() {
        runner.withBranches("main", "hotfix");
        assertEquals(0, Run.parity(repo, runner, "production", "deploy", "--branch", "hotfix").exitCode);
        assertEquals(0, Run.parity(repo, runner, "staging", "deploy", "--branch", "hotfix").exitCode);
        assertEquals(List.of(List.of("git", "push", "production", "hotfix:main"),
                List.of("git", "push", "staging", "hotfix:main", "--force")), runner.actions());
    }

    @Test
    void configuredDeployBranchIsProductionsSource() throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), "deploy_branch: release\n");
        runner.withBranches("main", "release");
        assertEquals(0, Run.parity(repo, runner, "production", "deploy").exitCode);
        assertEquals(List.of(List.of("git", "push", "production", "release:main")), runner.actions());
    }

    @Test
    void missingBranchIsAUsageError() {
        runner.withBranches("main");
        Run r = Run.parity(repo, runner, "production", "deploy", "--branch", "nope");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("no local branch 'nope'"), r.err);
    }

    @Test
    void uncommittedChangesRefuseTheDeployUnlessAllowed() {
        runner.withBranches("main").answer(startsWith("git", "status"), 0, " M app/models/user.rb\n");
        Run r = Run.parity(repo, runner, "production", "deploy");
        assertEquals(3, r.exitCode);
        assertTrue(r.err.contains("app/models/user.rb") && r.err.contains("--allow-dirty"), r.err);
        assertTrue(r.err.contains("not run: push"), r.err);
        assertTrue(runner.actions().isEmpty(), "nothing pushed");

        assertEquals(0, Run.parity(repo, runner, "production", "deploy", "--allow-dirty").exitCode);
        assertEquals(List.of(List.of("git", "push", "production", "main")), runner.actions());
    }

    @Test
    void failedPushKeepsGitsExitCode() {
        runner.withBranches("main").fail(startsWith("git", "push"), 128);
        Run r = Run.parity(repo, runner, "staging", "deploy");
        assertEquals(128, r.exitCode);
        assertTrue(r.err.contains("'push to staging (myapp-staging)' failed"), r.err);
    }

    @Test
    void environmentOnlyInParityYmlPushesToTheAppsGitUrl() throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), "environments:\n  qa: {app: myapp-qa}\n");
        assertEquals(0, Run.parity(repo, runner, "qa", "deploy").exitCode);
        assertEquals(0, Run.parity(repo, runner, java.util.Map.of("HEROKU_HOST", "http://127.0.0.1:5555"), "",
                "qa", "deploy").exitCode);
        assertEquals(List.of(List.of("git", "push", "https://git.heroku.com/myapp-qa.git", "HEAD:main", "--force"),
                List.of("git", "push", "http://127.0.0.1:5555/myapp-qa.git", "HEAD:main", "--force")), runner.actions());
    }

    /**
     * .parity.yml names staging's app, while the git remote called staging points at production's
     * app: the push goes to the app the plan names, never force-pushed through the remote.
     */
    @Test
    void aRemoteOfTheSameNamePointingAtAnotherAppIsNotWhereTheDeployGoes() throws IOException {
        runner.withRemote("staging", "https://git.heroku.com/myapp-production.git");
        Files.writeString(repo.resolve(".parity.yml"), "environments:\n  staging: {app: myapp-staging}\n");
        Run r = Run.parity(repo, runner, "staging", "deploy");
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(List.of(List.of("git", "push", "https://git.heroku.com/myapp-staging.git", "HEAD:main", "--force")), runner.actions());
    }

    /** git pushes to a remote's pushurl, or to each of its urls: one of them being production's app is enough to refuse the name. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "pushurl, https://git.heroku.com/myapp-production.git",
            "url,     https://git.heroku.com/myapp-staging.git https://git.heroku.com/myapp-production.git",
    })
    void aRemoteThatPushesToAnotherAppIsNotWhereTheDeployGoes(String key, String urls) {
        runner.answer(startsWith("git", "config", "--get-all", "remote.staging." + key), 0, urls.replace(' ', '\n') + "\n");
        Run r = Run.parity(repo, runner, "staging", "deploy");
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(List.of(List.of("git", "push", "https://git.heroku.com/myapp-staging.git", "HEAD:main", "--force")), runner.actions());
    }

    @Test
    void dryRunShowsTheBranchDecisionAndPushesNothing() {
        runner.withBranches("main", "master");
        Run r = Run.parity(repo, runner, "production", "deploy", "--dry-run");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("$ git push production main"), r.out);
        assertTrue(r.out.contains("both main and master exist"), r.out);
        assertTrue(runner.actions().isEmpty());
    }
}
