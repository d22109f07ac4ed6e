package dev.parity.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaravelTest {

    @TempDir
    Path root;

    private static final String ENV_FILE = """
            APP_NAME=Laravel
            APP_ENV=local

            DB_CONNECTION=pgsql
            DB_HOST=127.0.0.1
            DB_PORT=5432
            DB_DATABASE="shop_local" # the dev database
            DB_USERNAME=shop
            DB_PASSWORD='p#ss word'
            """;

    @Test
    void artisanWithDotEnv() {
        Fixture.write(root, "artisan", "#!/usr/bin/env php\n<?php\n");
        Fixture.write(root, ".env", ENV_FILE);
        Project p = ProjectDetector.detect(root, Map.of());
        assertEquals("Laravel", p.framework());
        assertEquals("artisan", p.evidence());
        assertEquals(Optional.of("php artisan migrate --force"), p.migrate());
        assertEquals(Optional.of("php artisan tinker"), p.console());
        assertEquals(new LocalDatabase("shop_local", Optional.of("127.0.0.1"), Optional.of("5432"), Optional.of("shop"),
                Optional.of("p#ss word"), ".env DB_DATABASE"), p.developmentDatabase().orElseThrow());
    }

    @Test
    void processEnvironmentWinsOverDotEnvLikePhpdotenv() {
        Fixture.write(root, "artisan", "<?php\n");
        Fixture.write(root, ".env", ENV_FILE);
        LocalDatabase db = ProjectDetector.detect(root, Map.of("DB_DATABASE", "override")).developmentDatabase().orElseThrow();
        assertEquals("override", db.name());
        assertEquals("environment DB_DATABASE", db.source());
        assertEquals(Optional.of("shop"), db.username());
    }

    @Test
    void withoutDotEnvThereIsNoDatabase() {
        Fixture.write(root, "artisan", "<?php\n");
        Project p = ProjectDetector.detect(root, Map.of());
        assertEquals("Laravel", p.framework());
        assertTrue(p.developmentDatabase().isEmpty());
    }

    @Test
    void dbUrlWhenThereIsNoDbDatabase() {
        Fixture.write(root, "artisan", "<?php\n");
        Fixture.write(root, ".env", "export DB_URL=postgres://u@localhost/from_url\n");
        LocalDatabase db = ProjectDetector.detect(root, Map.of()).developmentDatabase().orElseThrow();
        assertEquals("from_url", db.name());
        assertEquals(".env DB_URL", db.source());
    }
}
