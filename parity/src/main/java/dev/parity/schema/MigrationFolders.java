package dev.parity.schema;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which files are migrations, for every framework parity detects: a change to one of them between
 * two commits means the newer code expects a schema the older one does not know.
 */
public final class MigrationFolders {
    /** Where each framework keeps its migrations (paths relative to the repository root). */
    private static final List<Pattern> MIGRATIONS = List.of(
            Pattern.compile("(.*/)?db/migrate/[^/]+"),                  // Rails
            Pattern.compile("(.*/)?db/[^/]+_migrate/[^/]+"),            // Rails, a second database
            Pattern.compile("(.*/)?migrations/(?!__init__\\.py$)[^/]+\\.py"), // Django (any app's migrations/)
            Pattern.compile("(.*/)?database/migrations/[^/]+"),         // Laravel
            Pattern.compile("(.*/)?priv/[^/]+/migrations/[^/]+"),       // Phoenix (priv/repo/migrations)
            Pattern.compile("(.*/)?prisma/migrations/[^/]+/migration\\.sql"), // Prisma
            Pattern.compile("(.*/)?(db/)?migrations/[^/]+\\.(js|ts|cjs|mjs)"), // Knex
            Pattern.compile("(.*/)?src/main/resources/db/migration/.+"),  // Flyway SQL
            Pattern.compile("(.*/)?src/main/java/db/migration/.+\\.java"), // Flyway Java
            Pattern.compile("(.*/)?src/main/resources/db/changelog/.+"));  // Liquibase

    private MigrationFolders() {}

    public static boolean isMigration(String path) {
        String p = path.replace('\\', '/');
        return MIGRATIONS.stream().anyMatch(m -> m.matcher(p).matches());
    }

    /** The migrations among {@code changedPaths}, in their order. */
    public static List<String> migrations(List<String> changedPaths) {
        return changedPaths.stream().filter(MigrationFolders::isMigration).toList();
    }
}
