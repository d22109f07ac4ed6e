package dev.parity.deploys;

import dev.parity.env.Environment;
import dev.parity.heroku.ApiFailures;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.steps.Action;
import dev.parity.steps.Step;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;

/**
 * Maintenance mode around risky work, always switched off again: by its own step when all went
 * well, else when the sequence ends (a failed step, Ctrl-C, SIGTERM). What is said afterwards is
 * the state read back from the API, never the state parity meant to set.
 */
public final class MaintenanceGuard {
    private final ApiAccess api;
    private final Environment env;
    /** Whether parity turned it on and has not turned it off yet. */
    private volatile boolean on;
    /** The API the guard turned it on through, once it did. */
    private volatile Platform used;

    public MaintenanceGuard(ApiAccess api, Environment env) {
        this.api = api;
        this.env = env;
    }

    public Step turnOn() {
        String app = env.app();
        return new Action("turn maintenance mode on for " + app,
                "PATCH " + Platform.appPath(app) + " {maintenance: true}; from here on it is turned off again however the run ends "
                        + "(failure, Ctrl-C, SIGTERM), and the state printed is read back from the API",
                ctx -> {
                    Platform p = api.platform();
                    ctx.atEnd(() -> offAtEnd(ctx, p));
                    ctx.onInterruptSay(() -> state(p));
                    on = true; // set before the request: a lost answer may still have turned it on
                    used = p;
                    boolean answered;
                    try {
                        answered = p.maintenance(app, true);
                    } catch (HerokuApiException e) {
                        throw ApiFailures.of("cannot turn maintenance mode on for " + app + ": ", e, env);
                    }
                    if (!answered) {
                        throw ApiFailures.of("the API's answer shows maintenance mode of " + app + " still off; nothing was pushed or migrated");
                    }
                    ctx.io().err().println("parity: maintenance mode is on for " + app
                            + " (as the API answered; web requests get the maintenance page)");
                });
    }

    public Step turnOff() {
        String app = env.app();
        return new Action("turn maintenance mode off for " + app, "PATCH " + Platform.appPath(app) + " {maintenance: false}, then read it back",
                ctx -> {
                    Platform p = api.platform();
                    try {
                        p.maintenance(app, false);
                        on = false;
                        if (p.maintenance(app)) throw ApiFailures.of("maintenance mode of " + app + " still reads on after turning it off; "
                                + "turn it off with `heroku maintenance:off --app " + app + "`");
                    } catch (HerokuApiException e) {
                        throw ApiFailures.of("cannot turn maintenance mode off for " + app + ": ", e, env,
                                "; turn it off with `heroku maintenance:off --app " + app + "`");
                    }
                    ctx.io().err().println("parity: maintenance mode is off for " + app + " (read back from the API)");
                });
    }

    /** After a failure or an interrupt: off again, and said (on an interrupt, the one interrupted line says it). */
    private void offAtEnd(StepContext ctx, Platform p) throws InterruptedException {
        if (!on) return;
        String app = env.app();
        try {
            p.maintenance(app, false);
            on = false;
        } catch (HerokuApiException e) {
            ctx.io().err().println("parity: cannot turn maintenance mode off for " + app + ": " + e.getMessage()
                    + "; turn it off with `heroku maintenance:off --app " + app + "`");
            return;
        }
        if (!ctx.interrupted()) ctx.io().err().println("parity: " + state(p));
    }

    /** For a larger interrupted line: the maintenance state read back, once the guard turned it on; else null. */
    public String interruptedState() {
        Platform p = used;
        return p == null ? null : state(p);
    }

    /** The maintenance state as the API reads it now, in one clause. */
    private String state(Platform p) {
        String app = env.app();
        try {
            return p.maintenance(app) ? "maintenance mode is still ON for " + app + ": turn it off with `heroku maintenance:off --app " + app + "`"
                    : "maintenance mode is off for " + app + " (read back from the API)";
        } catch (HerokuApiException e) {
            return "whether maintenance mode is off for " + app + " cannot be read (" + e.getMessage()
                    + "): check with `heroku apps:info --app " + app + "`";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "whether maintenance mode is off for " + app + " cannot be read: check with `heroku apps:info --app " + app + "`";
        }
    }
}
