package dev.parity.steps;

/** Where to get a program parity needs. */
public final class Installs {
    private Installs() {}

    public static String hint(String program) {
        return switch (program) {
            case "heroku" -> "Install the Heroku CLI: https://devcenter.heroku.com/articles/heroku-cli";
            case "git" -> "Install git (Debian/Ubuntu: apt install git; macOS: xcode-select --install).";
            case "pg_restore", "pg_dump", "psql", "createdb", "dropdb" ->
                    "Install the PostgreSQL client (Debian/Ubuntu: apt install postgresql-client; macOS: brew install libpq).";
            default -> "Install it, or put it on PATH.";
        };
    }
}
