package dev.parity.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodePrismaTest {

    @TempDir
    Path root;

    private static final String SCHEMA = """
            generator client {
              provider = "prisma-client-js"
            }

            datasource db {
              provider = "postgresql"
              url      = env("DATABASE_URL")
            }

            model User {
              id    Int    @id @default(autoincrement())
              email String @unique
            }
            """;

    @Test
    void schemaWithDotEnvDatabaseUrl() {
        Fixture.write(root, "package.json", "{\"name\": \"app\"}\n");
        Fixture.write(root, "prisma/schema.prisma", SCHEMA);
        Fixture.write(root, ".env", "# Environment variables declared in this file are available to Prisma\n"
                + "DATABASE_URL=\"postgresql://johndoe:randompassword@localhost:5432/mydb?schema=public\"\n");
        Project p = ProjectDetector.detect(root, Map.of());
        assertEquals("Node (Prisma)", p.framework());
        assertEquals("prisma/schema.prisma", p.evidence());
        assertEquals(Optional.of("npx prisma migrate deploy"), p.migrate());
        assertEquals(Optional.of("node"), p.console());
        assertEquals(new LocalDatabase("mydb", Optional.of("localhost"), Optional.of("5432"), Optional.of("johndoe"),
                Optional.of("randompassword"), ".env DATABASE_URL"), p.developmentDatabase().orElseThrow());
    }

    @Test
    void environmentWinsOverDotEnv() {
        Fixture.write(root, "prisma/schema.prisma", SCHEMA);
        Fixture.write(root, ".env", "DATABASE_URL=postgresql://localhost/from_file\n");
        LocalDatabase db = ProjectDetector.detect(root, Map.of("DATABASE_URL", "postgresql://localhost/from_env"))
                .developmentDatabase().orElseThrow();
        assertEquals("from_env", db.name());
        assertEquals("environment DATABASE_URL", db.source());
    }

    @Test
    void otherVariableNameAndDotEnvBesideTheSchema() {
        Fixture.write(root, "prisma/schema.prisma", SCHEMA.replace("env(\"DATABASE_URL\")", "env(\"POSTGRES_PRISMA_URL\")"));
        Fixture.write(root, "prisma/.env", "POSTGRES_PRISMA_URL=postgres://localhost/beside_schema\n");
        LocalDatabase db = ProjectDetector.detect(root, Map.of()).developmentDatabase().orElseThrow();
        assertEquals("beside_schema", db.name());
        assertEquals("prisma/.env POSTGRES_PRISMA_URL", db.source());
    }

    @Test
    void literalUrlInTheSchema() {
        Fixture.write(root, "prisma/schema.prisma", SCHEMA.replace("env(\"DATABASE_URL\")", "\"postgresql://localhost/literal_db\""));
        assertEquals("literal_db", ProjectDetector.detect(root, Map.of()).developmentDatabase().orElseThrow().name());
    }

    @Test
    void noUrlAnywhereMeansNoDatabase() {
        Fixture.write(root, "prisma/schema.prisma", SCHEMA);
        assertTrue(ProjectDetector.detect(root, Map.of()).developmentDatabase().isEmpty());
    }
}
