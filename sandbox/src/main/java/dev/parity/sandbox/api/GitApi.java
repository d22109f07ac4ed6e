package dev.parity.sandbox.api;

import dev.parity.sandbox.Part;
import dev.parity.sandbox.Sandbox;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.model.App;

/** Git over smart HTTP at {@code /APP.git}; a push makes a release and restarts the dynos. */
public final class GitApi implements Part {
    private final Sandbox s;

    public GitApi(Sandbox sandbox) {
        this.s = sandbox;
    }

    @Override
    public void register(Router router) {
        // git: not yet
    }

    /** Creates the app's bare repository. */
    public void createRepository(App app) {
        // not yet
    }
}
