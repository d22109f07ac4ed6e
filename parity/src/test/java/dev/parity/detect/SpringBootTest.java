package dev.parity.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpringBootTest {

    @TempDir
    Path root;

    private static final String POM = """
            <project>
              <parent>
                <groupId>org.springframework.boot</groupId>
                <artifactId>spring-boot-starter-parent</artifactId>
                <version>3.3.0</version>
              </parent>
              <artifactId>demo</artifactId>
              <dependencies>
                <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
                <dependency><groupId>org.flywaydb</groupId><artifactId>flyway-core</artifactId></dependency>
                <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>
              </dependencies>
            </project>
            """;

    private static final String GRADLE = """
            plugins {
                id("org.springframework.boot") version "3.3.0"
            }
            dependencies {
                implementation("org.springframework.boot:spring-boot-starter-data-jpa")
                implementation("org.liquibase:liquibase-core")
            }
            """;

    @Test
    void mavenFlywayWithProcfileJar() {
        Fixture.write(root, "pom.xml", POM);
        Fixture.write(root, "Procfile", "web: java -Dserver.port=$PORT $JAVA_OPTS -jar target/demo-0.0.1-SNAPSHOT.jar\n");
        Fixture.write(root, "src/main/resources/application.properties", """
                spring.application.name=demo
                spring.datasource.url=jdbc:postgresql://localhost:5432/demo_dev
                spring.datasource.username=demo
                spring.datasource.password=${DB_PASSWORD:local-pw}
                """);
        Project p = ProjectDetector.detect(root, Map.of());
        assertEquals("Spring Boot (Flyway)", p.framework());
        assertEquals("pom.xml, Procfile", p.evidence());
        assertEquals(Optional.of("java -Dspring.main.web-application-type=none -jar target/demo-0.0.1-SNAPSHOT.jar"), p.migrate());
        assertTrue(p.console().isEmpty());
        assertEquals(new LocalDatabase("demo_dev", Optional.of("localhost"), Optional.of("5432"), Optional.of("demo"),
                Optional.of("local-pw"), "src/main/resources/application.properties spring.datasource.url"),
                p.developmentDatabase().orElseThrow());
    }

    @Test
    void mavenWithoutProcfileUsesTargetGlob() {
        Fixture.write(root, "pom.xml", POM);
        Project p = ProjectDetector.detect(root, Map.of());
        assertEquals("pom.xml", p.evidence());
        assertEquals(Optional.of("java -Dspring.main.web-application-type=none -jar target/*.jar"), p.migrate());
        assertTrue(p.developmentDatabase().isEmpty());
    }

    @Test
    void gradleKotlinLiquibaseWithYaml() {
        Fixture.write(root, "build.gradle.kts", GRADLE);
        Fixture.write(root, "src/main/resources/application.yml", """
                spring:
                  application:
                    name: demo
                  datasource:
                    url: ${JDBC_DATABASE_URL:jdbc:postgresql://localhost:5433/gradle_dev}
                    username: ${DB_USER:postgres}
                ---
                spring:
                  config:
                    activate:
                      on-profile: prod
                  datasource:
                    url: jdbc:postgresql://prod/prod_db
                """);
        Project p = ProjectDetector.detect(root, Map.of("DB_USER", "me"));
        assertEquals("Spring Boot (Liquibase)", p.framework());
        assertEquals("build.gradle.kts", p.evidence());
        assertEquals(Optional.of("java -Dspring.main.web-application-type=none -jar build/libs/*.jar"), p.migrate());
        LocalDatabase db = p.developmentDatabase().orElseThrow();
        assertEquals("gradle_dev", db.name());
        assertEquals(Optional.of("5433"), db.port());
        assertEquals(Optional.of("me"), db.username());
        assertEquals("src/main/resources/application.yml spring.datasource.url", db.source());
    }

    @Test
    void flatKeysInYamlAndEnvironmentPlaceholder() {
        Fixture.write(root, "build.gradle", GRADLE.replace("liquibase", "flyway"));
        Fixture.write(root, "src/main/resources/application.yaml", "spring.datasource.url: ${DB_URL}\n");
        assertTrue(ProjectDetector.detect(root, Map.of()).developmentDatabase().isEmpty());
        assertEquals("envdb", ProjectDetector.detect(root, Map.of("DB_URL", "jdbc:postgresql://h/envdb"))
                .developmentDatabase().orElseThrow().name());
    }

    @Test
    void mavenFilteredYamlIsNotAnError() {
        Fixture.write(root, "pom.xml", POM);
        Fixture.write(root, "src/main/resources/application.yml", "info:\n  version: @project.version@\n");
        Project p = ProjectDetector.detect(root, Map.of());
        assertEquals("Spring Boot (Flyway)", p.framework());
        assertTrue(p.developmentDatabase().isEmpty());
    }

    @Test
    void springBootWithoutMigrationsIsNotDetected() {
        Fixture.write(root, "pom.xml", POM.replace("flyway", "jackson"));
        assertEquals("unknown", ProjectDetector.detect(root, Map.of()).framework());
    }

    @Test
    void mysqlDatasourceIsNotALocalPostgresDatabase() {
        Fixture.write(root, "pom.xml", POM);
        Fixture.write(root, "src/main/resources/application.properties", "spring.datasource.url=jdbc:mysql://localhost/db\n");
        assertTrue(ProjectDetector.detect(root, Map.of()).developmentDatabase().isEmpty());
    }
}
