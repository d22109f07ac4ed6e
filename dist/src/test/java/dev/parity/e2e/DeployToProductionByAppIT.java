package dev.parity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.FakeHeroku;
import dev.parity.support.GitRepo;
import dev.parity.support.Launcher;
import dev.parity.support.Launcher.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real launchers and real git: a second remote for production's app (the {@code heroku}
 * remote {@code heroku create} adds, or an alias in Heroku's other URL forms) deploys as
 * production does, never force-pushed, so code someone else deployed is never overwritten.
 */
class DeployToProductionByAppIT {
    static final String PROD = "myapp-production";

    @TempDir
    Path tmp;
    GitRepo repo;
    Path productionBare;
    FakeHeroku heroku;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        repo = GitRepo.init(tmp.resolve("myapp"), "main");
        Path bareRoot = tmp.resolve("heroku-git");
        productionBare = repo.addHerokuRemote("production", PROD, bareRoot);
        repo.addHerokuRemote("staging", "myapp-staging", bareRoot);
        // the same app under other names and in the other URL forms Heroku hands out, all landing in production's repository
        repo.git("remote", "add", "heroku", "https://git.heroku.com/" + PROD + ".git");
        repo.git("remote", "add", "live", "git@heroku.com:" + PROD + ".git");
        repo.git("remote", "add", "prod-ssh", "ssh://git@heroku.com/" + PROD + ".git");
        repo.git("config", "--add", "url." + bareRoot.toAbsolutePath() + "/.insteadOf", "git@heroku.com:");
        repo.git("config", "--add", "url." + bareRoot.toAbsolutePath() + "/.insteadOf", "ssh://git@heroku.com/");
        heroku = new FakeHeroku(tmp);
        env = Launcher.env(tmp.resolve("home"), heroku.binDir());
        env.put("FAKE_HEROKU_LOG", heroku.logDir().toString());
    }

    Outcome parity(String... args) throws Exception {
        return Launcher.run(repo.dir(), env, "parity", args);
    }

    @ParameterizedTest(name = "parity {0} deploy")
    @CsvSource({"heroku", "live", "prod-ssh"})
    void aSecondNameForProductionPushesMainWithoutForce(String alias) throws Exception {
        Outcome o = parity(alias, "deploy", "--dry-run");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.err().contains("parity: " + alias + " is production's app " + PROD + " (from git remote 'production'), "
                + "so parity treats it as production"), o.err());
        assertTrue(o.out().contains("\n     $ git push " + alias + " main\n"), o.out());
        assertFalse(o.out().contains("--force"), o.out());
    }

    /**
     * A deploy proves what it did through the Platform API, so without credentials it stops before
     * the push. (A real deploy to a second name, and a teammate's newer code never overwritten, are
     * proven against the sandbox: DeployGuardsTest.)
     */
    @ParameterizedTest(name = "parity {0} deploy")
    @CsvSource({"heroku", "live", "prod-ssh"})
    void withoutApiCredentialsNothingIsPushed(String alias) throws Exception {
        Outcome o = parity(alias, "deploy");
        assertEquals(2, o.exitCode(), o.toString());
        assertTrue(o.err().contains("no Heroku credentials: run `heroku login` or set HEROKU_API_KEY; nothing was pushed"), o.err());
        assertEquals("", GitRepo.run(productionBare, "git", "branch", "--list"), "nothing was pushed");
    }

    @Test
    void dryRunShowsThePushWithoutForceAndWhy() throws Exception {
        Outcome o = parity("heroku", "--dry-run", "deploy");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("# deployed as production: heroku is production's app " + PROD + " (from git remote 'production')"), o.out());
        assertTrue(o.out().contains("$ git push heroku main\n"), o.out());
        assertFalse(o.out().contains("--force"), o.out());
        assertEquals("", GitRepo.run(productionBare, "git", "branch", "--list"), "nothing was pushed");
    }

    @Test
    void aParityYmlNameForProductionsAppDeploysAsProduction() throws Exception {
        Files.writeString(repo.dir().resolve(".parity.yml"), "environments:\n  prod-eu: {app: " + PROD + "}\n");
        repo.git("add", ".parity.yml");
        repo.git("commit", "-q", "-m", "parity config");
        Outcome o = parity("prod-eu", "--dry-run", "deploy");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("$ git push https://git.heroku.com/" + PROD + ".git main\n"), o.out());
        assertFalse(o.out().contains("--force"), o.out());
    }

    @Test
    void stagingIsStillForcePushed() throws Exception {
        Outcome o = parity("staging", "--dry-run", "deploy");
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("$ git push staging HEAD:main --force"), o.out());
    }

    @Test
    void restoreIntoASecondNameForProductionIsRefusedWithStdinClosed() throws Exception {
        Outcome o = parity("heroku", "restore", "staging");
        assertEquals(3, o.exitCode(), o.toString());
        assertTrue(o.err().contains("re-run with --force"), o.err());
        assertEquals(List.of(), heroku.calls(), "the heroku CLI was never run");
    }
}
