package dev.parity.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeKnexTest {

    @TempDir
    Path root;

    private static final String KNEXFILE = """
            // Update with your config settings.
            module.exports = {
              development: {
                client: 'postgresql',
                connection: {
                  host: '127.0.0.1',
                  port: 5432,
                  database: 'my_db',
                  user: 'username',
                  password: 'password'
                },
                migrations: { tableName: 'knex_migrations' }
              },
              production: {
                client: 'postgresql',
                connection: {
                  database: 'prod_db',
                },
              }
            };
            """;

    @ParameterizedTest
    @ValueSource(strings = {"knexfile.js", "knexfile.ts", "knexfile.cjs", "knexfile.mjs"})
    void anyKnexfileIsDetected(String name) {
        Fixture.write(root, name, KNEXFILE);
        Project p = ProjectDetector.detect(root, Map.of());
        assertEquals("Node (Knex)", p.framework());
        assertEquals(name, p.evidence());
        assertEquals(Optional.of("npx knex migrate:latest"), p.migrate());
        assertEquals(Optional.of("node"), p.console());
    }

    @Test
    void developmentSectionLiterals() {
        Fixture.write(root, "knexfile.js", KNEXFILE);
        assertEquals(new LocalDatabase("my_db", Optional.of("127.0.0.1"), Optional.of("5432"), Optional.of("username"),
                Optional.of("password"), "knexfile.js development.connection.database"),
                ProjectDetector.detect(root, Map.of()).developmentDatabase().orElseThrow());
    }

    @Test
    void databaseUrlWhenTheDevelopmentSectionNamesNoDatabase() {
        Fixture.write(root, "knexfile.js", """
                require('dotenv').config();
                module.exports = {
                  development: { client: 'pg', connection: process.env.DATABASE_URL },
                  production: { client: 'pg', connection: { database: 'not_this' } },
                };
                """);
        Fixture.write(root, ".env", "DATABASE_URL=postgres://dev@localhost/from_dotenv\n");
        LocalDatabase db = ProjectDetector.detect(root, Map.of()).developmentDatabase().orElseThrow();
        assertEquals("from_dotenv", db.name());
        assertEquals(".env DATABASE_URL", db.source());
        assertEquals("from_env", ProjectDetector.detect(root, Map.of("DATABASE_URL", "postgres:///from_env"))
                .developmentDatabase().orElseThrow().name());
    }

    @Test
    void environmentLookupsWithDefaultsInTypescript() {
        Fixture.write(root, "knexfile.ts", """
                import type { Knex } from "knex";
                const config: { [key: string]: Knex.Config } = {
                  development: {
                    client: "pg",
                    connection: {
                      database: process.env.DB_NAME || "ts_dev",
                      host: process.env["DB_HOST"] ?? "localhost",
                    },
                  },
                };
                export default config;
                """);
        LocalDatabase db = ProjectDetector.detect(root, Map.of("DB_HOST", "db.local")).developmentDatabase().orElseThrow();
        assertEquals("ts_dev", db.name());
        assertEquals(Optional.of("db.local"), db.host());
    }

    @Test
    void literalConnectionUrl() {
        Fixture.write(root, "knexfile.js", "module.exports = { client: 'pg', connection: 'postgres://localhost:5433/single' };\n");
        LocalDatabase db = ProjectDetector.detect(root, Map.of()).developmentDatabase().orElseThrow();
        assertEquals("single", db.name());
        assertEquals(Optional.of("5433"), db.port());
    }

    @Test
    void nothingToGoOn() {
        Fixture.write(root, "knexfile.js", "module.exports = require('./config/knex');\n");
        assertTrue(ProjectDetector.detect(root, Map.of()).developmentDatabase().isEmpty());
    }
}
