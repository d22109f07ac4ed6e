package dev.parity.env;

import java.util.Optional;

/**
 * A named environment and the Heroku app it means. {@code source} says where the app name came
 * from ("git remote 'staging'", ".parity.yml environments.staging.app"), for error messages.
 * The development environment has no app.
 *
 * <p>Production is an app, not a word: an environment under another name whose app is
 * production's ({@code heroku}, an alias remote, a {@code .parity.yml} entry) carries
 * {@code sameAppAsProduction}, the sentence saying so, and gets every guard production gets.
 */
public record Environment(String name, EnvironmentKind kind, String app, String source, String sameAppAsProduction) {

    public Environment(String name, EnvironmentKind kind, String app, String source) {
        this(name, kind, app, source, null);
    }

    public static Environment development() {
        return new Environment("development", EnvironmentKind.DEVELOPMENT, null, "the local database");
    }

    /** Production by name, or by being production's app under another name. */
    public boolean isProduction() {
        return kind == EnvironmentKind.PRODUCTION || sameAppAsProduction != null;
    }

    /** Why this environment is production although it is not named so: "heroku is production's app myapp (from …)". */
    public Optional<String> productionByApp() {
        return Optional.ofNullable(sameAppAsProduction);
    }

    public boolean isDevelopment() {
        return kind == EnvironmentKind.DEVELOPMENT;
    }

    /** How a person refers to it: "staging (myapp-staging)", "heroku (myapp, production's app)". */
    public String label() {
        if (app == null) return name;
        return name + " (" + app + (sameAppAsProduction != null ? ", production's app" : "") + ")";
    }
}
