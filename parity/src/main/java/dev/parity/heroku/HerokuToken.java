package dev.parity.heroku;

import dev.parity.env.HerokuHosts;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The API token, found as the official CLI finds it: {@code HEROKU_API_KEY}, else the
 * {@code password} of the {@code ~/.netrc} entry for the API host ({@code api.heroku.com}, or
 * {@code 127.0.0.1:PORT} when HEROKU_HOST names a local sandbox). Never printed, not even when it
 * is refused.
 */
public record HerokuToken(String value, String source) {

    /** What to do about missing or unusable credentials, the same advice the official CLI gives. */
    static final String FIX = "run `heroku login`, or set HEROKU_API_KEY to one API token";

    /**
     * The token, trimmed of surrounding whitespace (a trailing newline from {@code $(…)}). A token
     * that is still not one header-safe word (two tokens on two lines, a control character) is
     * refused with a {@link HerokuApiException} whose message says where it came from, never what it is.
     */
    public static Optional<HerokuToken> find(Map<String, String> env, String apiBase) {
        String key = env.get("HEROKU_API_KEY");
        if (key != null && !key.isBlank()) return Optional.of(checked(key.strip(), "HEROKU_API_KEY"));
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return fromNetrc(Path.of(home, ".netrc"), machine(apiBase));
    }

    /**
     * The token for the API that {@code env} points at, or a one-line failure saying how to log in.
     * To be checked before anything runs the heroku CLI in a way that needs credentials: without
     * them the CLI starts its interactive login, which fails without a terminal.
     */
    public static HerokuToken require(Map<String, String> env) throws StepFailed {
        try {
            return find(env, HerokuHosts.from(env).apiBase())
                    .orElseThrow(() -> new StepFailed(ExitCodes.API, "no Heroku credentials: " + FIX));
        } catch (HerokuApiException e) {
            throw new StepFailed(ExitCodes.API, e.getMessage());
        }
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
                return Optional.of(checked(words[i + 1], "~/.netrc (machine " + machine + ")"));
            }
        }
        return Optional.empty();
    }

    /**
     * A token goes into an {@code Authorization} header: only visible ASCII, no spaces, no line
     * breaks. Anything else is refused here, before the HTTP client would put it in an exception.
     */
    private static HerokuToken checked(String value, String source) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                String what = c == '\n' || c == '\r' ? "a line break" : Character.isWhitespace(c) ? "a space"
                        : Character.isISOControl(c) ? "a control character" : "a character that is not ASCII";
                throw new HerokuApiException(401, "invalid_token", "the token in " + source + " is not a single API token (it holds "
                        + what + "); " + FIX);
            }
        }
        return new HerokuToken(value, source);
    }

    @Override
    public String toString() {
        return "HerokuToken[<redacted>, from " + source + "]";
    }
}
