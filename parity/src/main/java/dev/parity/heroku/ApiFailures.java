package dev.parity.heroku;

import dev.parity.env.Environment;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;

/** A Platform API failure as one line and exit 2 (the official CLI's code for API errors). */
public final class ApiFailures {
    private ApiFailures() {}

    public static StepFailed of(HerokuApiException e, Environment env) {
        return of("", e, env);
    }

    /** As {@link #of(HerokuApiException, Environment)}, the message after {@code doing} ("cannot restart the dynos: "). */
    public static StepFailed of(String doing, HerokuApiException e, Environment env) {
        return of(doing, e, env, "");
    }

    /** As {@link #of(String, HerokuApiException, Environment)}, then {@code after}: what state things are in now. */
    public static StepFailed of(String doing, HerokuApiException e, Environment env, String after) {
        String message = e.getMessage();
        if (e.notFound() && message.contains("Couldn't find that app")) {
            message = message + ": environment " + env.name() + " maps to app " + env.app() + " (from " + env.source()
                    + "); check the app name or your access to it";
        }
        return new StepFailed(ExitCodes.API, doing + message + after);
    }

    /** A failure that is the API's although no API error was thrown (an answer parity cannot act on). */
    public static StepFailed of(String message) {
        return new StepFailed(ExitCodes.API, message);
    }
}
