package dev.parity.detect;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Spring Boot with Flyway or Liquibase: a Maven or Gradle build that mentions spring-boot and the
 * migration library. Both migrate when the application context starts, so "migrate" is starting the
 * built jar without its web server; there is no console.
 */
final class SpringBoot {

    private static final String[] BUILD_FILES = {"pom.xml", "build.gradle", "build.gradle.kts"};
    private static final String PROPERTIES = "src/main/resources/application.properties";
    private static final String[] YAML_FILES = {"src/main/resources/application.yml", "src/main/resources/application.yaml"};
    private static final Pattern WEB_JAR = Pattern.compile("(?m)^web:.*?-jar\\s+['\"]?([^'\"\\s]+)");
    /** ${NAME} or ${NAME:default}; the default may itself contain ':' (jdbc:postgresql://...). */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    private SpringBoot() {}

    static Optional<Project> detect(Path root, Map<String, String> env) {
        for (String buildFile : BUILD_FILES) {
            Optional<String> build = ProjectFiles.read(root, buildFile).map(t -> t.toLowerCase(Locale.ROOT));
            // Starters are "spring-boot-starter-*"; a Gradle build may only name the plugin id.
            if (build.isEmpty() || !(build.get().contains("spring-boot") || build.get().contains("org.springframework.boot"))) continue;
            String library = build.get().contains("flyway") ? "Flyway" : build.get().contains("liquibase") ? "Liquibase" : null;
            if (library == null) continue;
            boolean maven = buildFile.equals("pom.xml");
            String evidence = buildFile;
            Optional<String> procfileJar = ProjectFiles.read(root, "Procfile").flatMap(SpringBoot::webJar);
            if (procfileJar.isPresent()) evidence += ", Procfile";
            // Heroku runs the command through a shell in the dyno, so the glob is expanded there.
            String jar = procfileJar.orElse(maven ? "target/*.jar" : "build/libs/*.jar");
            return Optional.of(new Project("Spring Boot (" + library + ")", evidence,
                    Optional.of("java -Dspring.main.web-application-type=none -jar " + jar), Optional.empty(),
                    developmentDatabase(root, env)));
        }
        return Optional.empty();
    }

    private static Optional<String> webJar(String procfile) {
        Matcher m = WEB_JAR.matcher(procfile);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Optional<LocalDatabase> developmentDatabase(Path root, Map<String, String> env) {
        Optional<String> properties = ProjectFiles.read(root, PROPERTIES);
        if (properties.isPresent()) {
            Properties p = new Properties();
            try {
                p.load(new StringReader(properties.get()));
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty(); // e.g. a bad \\u escape: best effort only
            }
            return datasource(PROPERTIES, p::getProperty, env);
        }
        for (String file : YAML_FILES) {
            Optional<String> text = ProjectFiles.read(root, file);
            if (text.isEmpty()) continue;
            try {
                // Several documents (one per profile) are common; the first that sets a url wins.
                for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text.get())) {
                    if (!(doc instanceof Map<?, ?> map)) continue;
                    Function<String, String> lookup = key -> lookup(map, key);
                    if (lookup.apply("spring.datasource.url") != null) return datasource(file, lookup, env);
                }
            } catch (YAMLException e) {
                // Not fatal, unlike database.yml for Rails: Maven resource filtering (@project.version@)
                // makes many valid application.yml files invalid YAML before the build.
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<LocalDatabase> datasource(String file, Function<String, String> properties, Map<String, String> env) {
        Optional<PostgresUrl> url = resolve(properties.apply("spring.datasource.url"), properties, env).flatMap(PostgresUrl::parse);
        if (url.flatMap(PostgresUrl::database).isEmpty()) return Optional.empty();
        PostgresUrl u = url.get();
        // The separate keys are what Spring hands the driver; the url's ?user= is the fallback.
        Optional<String> username = resolve(properties.apply("spring.datasource.username"), properties, env).or(u::username);
        Optional<String> password = resolve(properties.apply("spring.datasource.password"), properties, env).or(u::password);
        return Optional.of(new LocalDatabase(u.database().get(), u.host(), u.port(), username, password,
                file + " spring.datasource.url"));
    }

    /**
     * Spring's placeholders: the environment wins (as in Spring), then other properties, then the
     * default. A placeholder with none of these leaves the value unknown.
     */
    private static Optional<String> resolve(String value, Function<String, String> properties, Map<String, String> env) {
        if (value == null) return Optional.empty();
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).strip();
            String replacement = env.get(name);
            if (replacement == null) {
                String other = properties.apply(name);
                replacement = other != null && !other.contains("${") ? other : m.group(2);
            }
            if (replacement == null) return Optional.empty();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        String resolved = out.toString().strip();
        return resolved.isEmpty() ? Optional.empty() : Optional.of(resolved);
    }

    /** "spring.datasource.url" in nested maps, flat dotted keys, or any mix of the two. */
    private static String lookup(Map<?, ?> map, String dotted) {
        Object direct = map.get(dotted);
        if (direct != null) return direct instanceof Map || direct instanceof List ? null : direct.toString();
        int dot = dotted.indexOf('.');
        while (dot > 0) {
            if (map.get(dotted.substring(0, dot)) instanceof Map<?, ?> child) {
                String found = lookup(child, dotted.substring(dot + 1));
                if (found != null) return found;
            }
            dot = dotted.indexOf('.', dot + 1);
        }
        return null;
    }
}
