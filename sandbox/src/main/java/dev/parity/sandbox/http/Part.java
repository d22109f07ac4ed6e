package dev.parity.sandbox.http;

/** One area of the emulated platform (Platform API, one-off dynos, logs, git, data API). */
public interface Part extends AutoCloseable {
    /** Adds this part's routes. Called once, before the server starts. */
    void register(Router router);

    /** Environment variables clients need for this part (e.g. NODE_EXTRA_CA_CERTS). */
    default java.util.Map<String, String> env() {
        return java.util.Map.of();
    }

    /** Stops what the part started (listeners, processes). */
    @Override
    default void close() {}
}
