package dev.parity.detect;

import java.util.Objects;
import java.util.Optional;

/**
 * The local development database as the project configures it. Empty parts mean "not said": libpq
 * defaults (or the environment, e.g. PGHOST) apply.
 *
 * @param password secret: never printed by {@link #toString()}
 * @param source   where the name came from, e.g. "config/database.yml development.primary.database"
 */
public record LocalDatabase(String name, Optional<String> host, Optional<String> port, Optional<String> username,
                            Optional<String> password, String source) {

    public LocalDatabase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(source, "source");
        if (name.isBlank()) throw new IllegalArgumentException("database name is blank (" + source + ")");
    }

    /** A database known only by name. */
    public static LocalDatabase named(String name, String source) {
        return new LocalDatabase(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), source);
    }

    /** Like the generated record form, but the password shows only whether one is set. */
    @Override
    public String toString() {
        return "LocalDatabase[name=" + name + ", host=" + host + ", port=" + port + ", username=" + username
                + ", password=" + password.map(p -> "Optional[<redacted>]").orElse("Optional.empty")
                + ", source=" + source + "]";
    }
}
