package dev.parity.env;

/** What an environment name means for parity's rules (who may be reset, what deploy pushes). */
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
