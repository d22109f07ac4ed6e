package dev.parity.heroku;

import dev.parity.env.Environment;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;

/** A Platform API failure as one line and exit 2 (the official CLI's code for API errors). */
public final class ApiFailures {
    private ApiFailures() {}

    public static StepFailed of(HerokuApiException e, Environment env) {
        String message = e.getMessage();
        if (e.notFound() && message.contains("Couldn't find that app")) {
            message = message + ": environment " + env.name() + " maps to app " + env.app() + " (from " + env.source()
                    + "); check the app name or your access to it";
        }
        return new StepFailed(ExitCodes.API, message);
    }
}
