package dev.parity.env;

/**
 * A named environment and the Heroku app it means. {@code source} says where the app name came
 * from ("git remote 'staging'", ".parity.yml environments.staging.app"), for error messages.
 * The development environment has no app.
 */
public record Environment(String name, EnvironmentKind kind, String app, String source) {

    public static Environment development() {
        return new Environment("development", EnvironmentKind.DEVELOPMENT, null, "the local database");
    }

    public boolean isProduction() {
        return kind == EnvironmentKind.PRODUCTION;
    }

    public boolean isDevelopment() {
        return kind == EnvironmentKind.DEVELOPMENT;
    }

    /** How a person refers to it: "staging (myapp-staging)". */
    public String label() {
        return app == null ? name : name + " (" + app + ")";
    }
}
