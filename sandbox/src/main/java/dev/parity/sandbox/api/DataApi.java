package dev.parity.sandbox.api;

import dev.parity.sandbox.Part;
import dev.parity.sandbox.Sandbox;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.model.App;

/** The Postgres add-on: attachments, and the data API's backups, restores and resets. */
public final class DataApi implements Part {
    private final Sandbox s;

    public DataApi(Sandbox sandbox) {
        this.s = sandbox;
    }

    @Override
    public void register(Router router) {
        // data API: not yet
    }

    /** {@code GET /apps/{app}/addons}: the app's add-ons (its Postgres database, if any). */
    public java.util.List<Object> addons(App app) {
        return java.util.List.of();
    }

    /** Gives the app a database in the sandbox's cluster and sets DATABASE_URL. */
    public void provision(App app) {
        // not yet
    }
}
