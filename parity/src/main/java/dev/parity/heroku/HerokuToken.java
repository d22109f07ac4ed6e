package dev.parity.heroku;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The API token, found as the official CLI finds it: {@code HEROKU_API_KEY}, else the
 * {@code password} of the {@code ~/.netrc} entry for the API host ({@code api.heroku.com}, or
 * {@code 127.0.0.1:PORT} when HEROKU_HOST names a local sandbox). Never printed.
 */
public record HerokuToken(String value, String source) {

    public static Optional<HerokuToken> find(Map<String, String> env, String apiBase) {
        String key = env.get("HEROKU_API_KEY");
        if (key != null && !key.isBlank()) return Optional.of(new HerokuToken(key.strip(), "HEROKU_API_KEY"));
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return fromNetrc(Path.of(home, ".netrc"), machine(apiBase));
    }

    /** The netrc machine name for an API base: its host, with the port when there is one. */
    static String machine(String apiBase) {
        URI u = URI.create(apiBase);
        return u.getPort() == -1 ? u.getHost() : u.getHost() + ":" + u.getPort();
    }

    static Optional<HerokuToken> fromNetrc(Path netrc, String machine) {
        String text;
        try {
            text = Files.readString(netrc);
        } catch (IOException e) {
            return Optional.empty();
        }
        String[] words = text.split("\\s+");
        boolean inMachine = false;
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.equals("machine")) {
                inMachine = i + 1 < words.length && words[i + 1].equals(machine);
                i++;
            } else if (w.equals("default")) {
                inMachine = false;
            } else if (inMachine && w.equals("password") && i + 1 < words.length) {
                return Optional.of(new HerokuToken(words[i + 1], "~/.netrc (machine " + machine + ")"));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "HerokuToken[<redacted>, from " + source + "]";
    }
}
