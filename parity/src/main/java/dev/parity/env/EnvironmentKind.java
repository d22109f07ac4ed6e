package dev.parity.env;

/**
 * What an environment's name means. Guards ask {@link Environment#isProduction()}, which also
 * counts production's app under another name: the app decides who may be reset and what deploy pushes.
 */
public enum EnvironmentKind {
    PRODUCTION, STAGING, DEVELOPMENT, REVIEW_APP, CUSTOM;

    public static EnvironmentKind of(String name) {
        return switch (name) {
            case "production" -> PRODUCTION;
            case "staging" -> STAGING;
            case "development" -> DEVELOPMENT;
            case "pr_app" -> REVIEW_APP;
            default -> CUSTOM;
        };
    }

    public boolean remote() {
        return this != DEVELOPMENT;
    }
}
