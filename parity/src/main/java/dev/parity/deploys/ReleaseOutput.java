package dev.parity.deploys;

import dev.parity.heroku.Release;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A release phase's output, read from the release's {@code output_stream_url} (text/plain; 404
 * until the command starts). The URL is a capability: it is never printed.
 */
final class ReleaseOutput {
    static final int TIMEOUT_MS = 10_000;

    private ReleaseOutput() {}

    /** The output's last {@code n} lines, or none when it cannot be read (the caller names {@code heroku releases:output}). */
    static List<String> lastLines(Release release, int n) {
        if (release.outputStreamUrl().isEmpty()) return List.of();
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(release.outputStreamUrl().get()).toURL().openConnection();
            c.setConnectTimeout(TIMEOUT_MS);
            c.setReadTimeout(TIMEOUT_MS);
            c.setRequestProperty("Accept", "text/plain");
            if (c.getResponseCode() != 200) return List.of();
            Deque<String> last = new ArrayDeque<>();
            try (InputStream in = c.getInputStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(l -> {
                    last.addLast(l);
                    if (last.size() > n) last.removeFirst();
                });
            }
            return List.copyOf(last);
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
    }
}
