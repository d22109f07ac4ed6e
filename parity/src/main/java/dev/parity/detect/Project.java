package dev.parity.detect;

import java.util.Objects;
import java.util.Optional;

/**
 * What parity learned about the project at a root directory, used when {@code .parity.yml} is silent.
 *
 * @param framework           e.g. "Rails", "Node (Prisma)", or "unknown"
 * @param evidence            the file(s) that decided the framework, e.g. "config/database.yml, Gemfile"
 * @param migrate             the command that migrates in a one-off dyno
 * @param console             the command that opens a console in a one-off dyno, if the framework has one
 * @param developmentDatabase the local development database, if the project names one
 */
public record Project(String framework, String evidence, Optional<String> migrate, Optional<String> console,
                      Optional<LocalDatabase> developmentDatabase) {

    public static final String UNKNOWN = "unknown";

    public Project {
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(migrate, "migrate");
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(developmentDatabase, "developmentDatabase");
    }

    /** No framework recognised: parity knows no migrate or console command and no local database. */
    public static Project unknown() {
        return new Project(UNKNOWN, "no framework files found", Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean isKnown() {
        return !UNKNOWN.equals(framework);
    }
}
