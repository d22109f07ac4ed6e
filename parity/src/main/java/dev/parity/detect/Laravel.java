package dev.parity.detect;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Laravel: the {@code artisan} script. The database is what {@code .env} tells config/database.php. */
final class Laravel {

    private Laravel() {}

    static Optional<Project> detect(Path root, Map<String, String> env) {
        if (!ProjectFiles.isFile(root, "artisan")) return Optional.empty();
        return Optional.of(new Project("Laravel", "artisan",
                Optional.of("php artisan migrate --force"), // --force: artisan refuses to migrate in production without it
                Optional.of("php artisan tinker"),
                developmentDatabase(new DotEnv(root, env, ".env"))));
    }

    private static Optional<LocalDatabase> developmentDatabase(DotEnv dotEnv) {
        Optional<DotEnv.Value> name = dotEnv.get("DB_DATABASE");
        if (name.isPresent()) {
            return Optional.of(new LocalDatabase(name.get().value(), dotEnv.value("DB_HOST"), dotEnv.value("DB_PORT"),
                    dotEnv.value("DB_USERNAME"), dotEnv.value("DB_PASSWORD"), name.get().source()));
        }
        // Laravel 11 also accepts a single DB_URL.
        return dotEnv.get("DB_URL").flatMap(url -> PostgresUrl.parse(url.value()).flatMap(u -> u.toLocalDatabase(url.source())));
    }
}
