package dev.parity.sandbox.api;

import dev.parity.sandbox.Part;
import dev.parity.sandbox.Sandbox;
import dev.parity.sandbox.http.Router;

/** One-off dynos ({@code POST /apps/{app}/dynos}) and the rendezvous listener they attach through. */
public final class RunApi implements Part {
    private final Sandbox s;

    public RunApi(Sandbox sandbox) {
        this.s = sandbox;
    }

    @Override
    public void register(Router router) {
        // one-off dynos: not yet
    }
}
