package dev.parity.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The commands, aliases and topics of the pinned heroku CLI, from a list kept in the jar
 * ({@code dev/parity/heroku-commands.txt}, checked against tools/heroku-cli by a test): reading it
 * costs nothing, where asking the CLI would start Node.
 */
final class HerokuCommands {
    static final String RESOURCE = "/dev/parity/heroku-commands.txt";

    private static Set<String> known;

    private HerokuCommands() {}

    static boolean isCommand(String word) {
        return all().contains(word);
    }

    static synchronized Set<String> all() {
        if (known == null) {
            try (InputStream in = HerokuCommands.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the jar");
                known = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .collect(Collectors.toUnmodifiableSet());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return known;
    }
}
