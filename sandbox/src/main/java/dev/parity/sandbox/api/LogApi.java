package dev.parity.sandbox.api;

import dev.parity.sandbox.Part;
import dev.parity.sandbox.Sandbox;
import dev.parity.sandbox.http.Router;

/** Log sessions and their Server-Sent Events stream, and injecting lines for tests. */
public final class LogApi implements Part {
    private final Sandbox s;

    public LogApi(Sandbox sandbox) {
        this.s = sandbox;
    }

    @Override
    public void register(Router router) {
        // log sessions: not yet
    }
}
