package dev.parity.sandbox.api;

import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.git.AppRepository;
import dev.parity.sandbox.git.GitDeploys;
import dev.parity.sandbox.http.Part;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Platform;
import dev.parity.sandbox.release.Releaser;

/** Git over smart HTTP at {@code /APP.git}; a push makes a release and restarts the dynos. */
public final class GitApi implements Part {
    private final GitDeploys deploys;

    public GitApi(Platform platform, AppRepository repositories, Releaser releaser, SystemProcessRunner runner) {
        this.deploys = new GitDeploys(platform, repositories, releaser, runner);
    }

    @Override
    public void register(Router router) {
        deploys.register(router);
    }

    /** Creates the app's bare repository (files only: the server may not be running yet). */
    public void createRepository(App app) {
        deploys.createRepository(app);
    }

    @Override
    public void close() {
        deploys.close();
    }
}
