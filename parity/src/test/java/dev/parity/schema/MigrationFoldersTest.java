package dev.parity.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MigrationFoldersTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "db/migrate/20240101000000_add_users.rb, true",
            "db/animals_migrate/20240101000000_add_cats.rb, true",
            "db/schema.rb, false",
            "app/models/user.rb, false",
            "shop/migrations/0002_order_total.py, true",
            "shop/migrations/__init__.py, false",
            "database/migrations/2024_01_01_000000_create_users_table.php, true",
            "priv/repo/migrations/20240101000000_create_users.exs, true",
            "prisma/migrations/20240101000000_init/migration.sql, true",
            "prisma/migrations/migration_lock.toml, false",
            "migrations/20240101000000_users.js, true",
            "db/migrations/20240101000000_users.ts, true",
            "src/main/resources/db/migration/V2__add_users.sql, true",
            "src/main/java/db/migration/V3__Backfill.java, true",
            "src/main/resources/db/changelog/db.changelog-master.yaml, true",
            "src/main/resources/application.yml, false",
            "README.md, false",
    })
    void knowsEveryFrameworksMigrationFolder(String path, boolean migration) {
        assertEquals(migration, MigrationFolders.isMigration(path));
    }

    @org.junit.jupiter.api.Test
    void keepsTheOrderOfTheChangedPaths() {
        assertEquals(List.of("db/migrate/2_b.rb", "db/migrate/1_a.rb"),
                MigrationFolders.migrations(List.of("app/x.rb", "db/migrate/2_b.rb", "Gemfile", "db/migrate/1_a.rb")));
    }
}
