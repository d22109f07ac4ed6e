package dev.parity.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.heroku.HerokuApi;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts a one-off dyno at most once. {@code POST /apps/APP/dynos} makes a dyno each time it is
 * carried out, so it is never sent again blindly: a 409 (the release is not ready yet; nothing was
 * made) is tried again, as the heroku CLI does; when the request may have been carried out (a 5xx
 * answer, a dropped connection, no answer in time) the app's dynos are listed and the one whose
 * command carries this start's tag is taken. When none shows, it fails saying what may be running.
 */
public final class OneOffStart {
    static final int CONFLICT_ATTEMPTS = 3;
    static final long CONFLICT_PAUSE_MS = 1000;
    /** Looks at the dynos after a lost answer: at once, then after 1 s and 2 s more. */
    static final int LOOKS = 3;
    static final long LOOK_PAUSE_MS = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A start whose outcome parity cannot know: a dyno may be running that it cannot reach. */
    public static final class OutcomeUnknown extends Exception {
        OutcomeUnknown(String message) {
            super(message);
        }
    }

    private final Platform platform;
    private final String app;
    private final HerokuApi.Sleeper sleeper;
    private final Consumer<String> notes;

    /** {@code notes}: one line each for what the user should know while it happens (a retry, a dyno found). */
    public OneOffStart(Platform platform, String app, HerokuApi.Sleeper sleeper, Consumer<String> notes) {
        this.platform = platform;
        this.app = app;
        this.sleeper = sleeper;
        this.notes = notes;
    }

    /** A tag unique to one start: {@code parity-run 0123456789abcdef}. */
    public static String newTag() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return "parity-run " + HexFormat.of().formatHex(b);
    }

    /** The command with the tag as a trailing shell comment: it runs the same and shows in the dyno list. */
    public static String tagged(String command, String tag) {
        return command + " # " + tag;
    }

    /**
     * Sends {@code body} (its {@code command} must carry {@code tag}) and returns the dyno the API
     * made, or the one found by its tag after the answer was lost.
     *
     * @throws HerokuApiException the API refused (nothing was started)
     * @throws OutcomeUnknown a dyno may have been started and cannot be found or reached
     */
    public JsonNode start(Map<String, Object> body, String tag, String what)
            throws HerokuApiException, OutcomeUnknown, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return platform.startDyno(app, body);
            } catch (HerokuApiException e) {
                if (e.status() == 409 && attempt < CONFLICT_ATTEMPTS) {
                    notes.accept("the release of " + app + " is not ready yet (HTTP 409): trying again");
                    sleeper.sleep(CONFLICT_PAUSE_MS);
                    continue;
                }
                if (!e.outcomeUnknown()) throw e;
                notes.accept(e.getMessage() + "; looking for " + what + " it may have started");
                return find(tag, what, e, Boolean.TRUE.equals(body.get("attach")));
            }
        }
    }

    private JsonNode find(String tag, String what, HerokuApiException lost, boolean attach)
            throws OutcomeUnknown, InterruptedException {
        String check = "check `heroku ps --app " + app + "` before trying again";
        String listFailure = null;
        for (int look = 1; look <= LOOKS; look++) {
            if (look > 1) sleeper.sleep(LOOK_PAUSE_MS);
            List<JsonNode> mine = new ArrayList<>();
            try {
                for (JsonNode d : platform.dynosJson(app)) {
                    if (d.path("command").asText("").contains(tag)) mine.add(d);
                }
            } catch (HerokuApiException e) {
                listFailure = e.getMessage();
                continue;
            }
            if (mine.size() > 1) {
                throw new OutcomeUnknown(lost.getMessage() + "; " + mine.size() + " dynos carry the tag '" + tag + "': "
                        + names(mine) + "; " + check);
            }
            if (mine.size() == 1) {
                JsonNode d = mine.get(0);
                String name = d.path("name").asText("a dyno");
                if (attach && d.path("attach_url").asText("").isEmpty()) {
                    throw new OutcomeUnknown(lost.getMessage() + "; " + name + " was started by that request but the API "
                            + "lists no attach_url for it, so parity cannot attach: it may be running " + what + "; check `heroku ps --app "
                            + app + "` and `heroku logs --app " + app + " --dyno-name " + name + "`");
                }
                notes.accept("found " + name + ", started by that request: continuing with it");
                return d;
            }
            listFailure = null;
        }
        throw new OutcomeUnknown(lost.getMessage() + "; "
                + (listFailure != null ? "listing the dynos of " + app + " failed too (" + listFailure + ")"
                        : "no dyno of " + app + " carries the tag '" + tag + "'")
                + ", so whether " + what + " started cannot be told: " + what + " may be running; " + check);
    }

    private static String names(List<JsonNode> dynos) {
        List<String> n = new ArrayList<>();
        for (JsonNode d : dynos) n.add(d.path("name").asText("?"));
        return String.join(", ", n);
    }
}
