package dev.parity.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProjectDetectorTest {

    @TempDir
    Path root;

    @Test
    void emptyDirectoryIsUnknown() {
        assertEquals(Project.unknown(), ProjectDetector.detect(root, Map.of()));
    }

    @Test
    void missingDirectoryIsUnknown() {
        assertEquals(Project.unknown(), ProjectDetector.detect(root.resolve("nope"), Map.of()));
    }

    @Test
    void otherProjectsAreUnknown() {
        Fixture.write(root, "package.json", "{\"dependencies\": {\"express\": \"^4\"}}\n");
        Fixture.write(root, "README.md", "# hello\n");
        Fixture.write(root, "Gemfile", "gem 'sinatra'\n");
        Project p = ProjectDetector.detect(root, Map.of());
        assertFalse(p.isKnown());
        assertEquals("unknown", p.framework());
    }

    /** Which marker file decides each framework: file | contents | framework. */
    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "config/database.yml    | development: {database: x}           | Rails",
        "manage.py              | import django                        | Django",
        "artisan                | <?php                                | Laravel",
        "mix.exs                | {:phoenix, \"~> 1.7\"}               | Phoenix",
        "prisma/schema.prisma   | datasource db {}                     | Node (Prisma)",
        "knexfile.js            | module.exports = {}                  | Node (Knex)",
        "pom.xml                | spring-boot flyway                   | Spring Boot (Flyway)",
        "build.gradle           | spring-boot liquibase                | Spring Boot (Liquibase)",
        "build.gradle.kts       | id(\"org.springframework.boot\") flyway-core | Spring Boot (Flyway)",
    })
    void eachMarkerFileDecidesItsFramework(String file, String contents, String framework) {
        Fixture.write(root, file, contents + "\n");
        assertEquals(framework, ProjectDetector.detect(root, Map.of()).framework());
    }

    @Test
    void firstRuleWinsWhenSeveralMatch() {
        // A Rails app with a Node toolchain, and a stray manage.py: Rails comes first.
        Fixture.write(root, "Gemfile", "gem \"rails\"\n");
        Fixture.write(root, "manage.py", "\n");
        Fixture.write(root, "knexfile.js", "module.exports = {}\n");
        assertEquals("Rails", ProjectDetector.detect(root, Map.of()).framework());
    }

    @Test
    void prismaComesBeforeKnex() {
        Fixture.write(root, "prisma/schema.prisma", "datasource db {}\n");
        Fixture.write(root, "knexfile.js", "module.exports = {}\n");
        assertEquals("Node (Prisma)", ProjectDetector.detect(root, Map.of()).framework());
    }
}
