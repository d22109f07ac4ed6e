package dev.parity.sandbox.release;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Release command outputs by release id; one appears when its command starts. */
public final class ReleaseOutputs {
    /** Where {@code output_stream_url} points, below the API's base URL; no token, as Heroku's URL is signed. */
    public static final String ROUTE = "/release-output/([0-9a-f-]{36})";

    private final Map<String, ReleaseOutput> outputs = new ConcurrentHashMap<>();

    public static String path(String releaseId) {
        return "/release-output/" + releaseId;
    }

    ReleaseOutput started(String releaseId) {
        ReleaseOutput o = new ReleaseOutput();
        outputs.put(releaseId, o);
        return o;
    }

    /** The output of a release whose command has started, if any. */
    public Optional<ReleaseOutput> of(String releaseId) {
        return Optional.ofNullable(outputs.get(releaseId));
    }

    /** Ends every output still open (the sandbox is closing). */
    void finishAll() {
        outputs.values().forEach(ReleaseOutput::finish);
    }
}
