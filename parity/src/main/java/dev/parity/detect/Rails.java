package dev.parity.detect;

import dev.parity.config.ConfigError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Rails: {@code config/database.yml}, a Gemfile that requires rails, or {@code bin/rails}. The
 * development database comes from {@code database.yml} after ERB, like Rails itself reads it.
 */
final class Rails {

    static final String DATABASE_YML = "config/database.yml";
    private static final Pattern GEM_RAILS = Pattern.compile("(?m)^\\s*gem\\s+['\"](?:rails|railties)['\"]");

    private Rails() {}

    static Optional<Project> detect(Path root, Map<String, String> env) {
        List<String> evidence = new ArrayList<>();
        Optional<String> databaseYml = ProjectFiles.read(root, DATABASE_YML);
        if (databaseYml.isPresent()) evidence.add(DATABASE_YML);
        if (ProjectFiles.read(root, "Gemfile").filter(g -> GEM_RAILS.matcher(g).find()).isPresent()) evidence.add("Gemfile");
        if (ProjectFiles.isFile(root, "bin/rails")) evidence.add("bin/rails");
        if (evidence.isEmpty()) return Optional.empty();
        return Optional.of(new Project("Rails", String.join(", ", evidence),
                Optional.of("bundle exec rails db:migrate"), Optional.of("bundle exec rails console"),
                databaseYml.flatMap(text -> developmentDatabase(text, env))));
    }

    /** The development database named by the text of a {@code database.yml}. */
    static Optional<LocalDatabase> developmentDatabase(String template, Map<String, String> env) {
        Erb.Rendered erb = Erb.render(template, env);
        Object doc = parse(erb.text());
        if (doc == null) return Optional.empty();
        if (!(doc instanceof Map<?, ?> top)) {
            throw new ConfigError(DATABASE_YML + ": expected environments (development:, production:, ...) at the top level");
        }
        Object development = top.get("development");
        if (development == null) return Optional.empty();
        if (development instanceof String url) { // Rails accepts "development: postgres://..."
            return fromUrl(erb, url, "development").flatMap(u -> u.toLocalDatabase(DATABASE_YML + " development"));
        }
        if (!(development instanceof Map<?, ?> dev)) {
            throw new ConfigError(DATABASE_YML + ": development: expected a mapping of database settings");
        }
        // Rails 6+ multi-database: development.primary (or the first named database) is what
        // `rails db:*` treats as the main one.
        if (dev.containsKey("database") || dev.containsKey("url")) return settings(erb, dev, "development");
        if (dev.get("primary") instanceof Map<?, ?> primary) return settings(erb, primary, "development.primary");
        for (var entry : dev.entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> db && (db.containsKey("database") || db.containsKey("url"))) {
                return settings(erb, db, "development." + entry.getKey());
            }
        }
        return Optional.empty();
    }

    private static Optional<LocalDatabase> settings(Erb.Rendered erb, Map<?, ?> db, String path) {
        Optional<String> name = scalar(db.get("database"));
        Optional<PostgresUrl> url = Optional.empty();
        Optional<String> rawUrl = scalar(db.get("url"));
        if (rawUrl.isPresent()) {
            // An unevaluable url only matters when it is the only place that names the database.
            if (erb.unevaluatedIn(rawUrl.get()).isEmpty() || name.isEmpty()) url = fromUrl(erb, rawUrl.get(), path + ".url");
        }
        // As in Rails, what the url says wins over the separate keys.
        if (url.flatMap(PostgresUrl::database).isPresent()) {
            PostgresUrl u = url.get();
            return Optional.of(new LocalDatabase(u.database().get(),
                    u.host().or(() -> clean(erb, db.get("host"))), u.port().or(() -> clean(erb, db.get("port"))),
                    u.username().or(() -> clean(erb, db.get("username"))),
                    u.password().or(() -> clean(erb, db.get("password"))), DATABASE_YML + " " + path + ".url"));
        }
        if (name.isEmpty()) return Optional.empty();
        refuseUnevaluated(erb, name.get(), path + ".database");
        return Optional.of(new LocalDatabase(name.get(), clean(erb, db.get("host")), clean(erb, db.get("port")),
                clean(erb, db.get("username")), clean(erb, db.get("password")), DATABASE_YML + " " + path + ".database"));
    }

    private static Optional<PostgresUrl> fromUrl(Erb.Rendered erb, String url, String key) {
        refuseUnevaluated(erb, url, key);
        return PostgresUrl.parse(url);
    }

    /** A database name parity cannot compute must not be guessed: a wrong name drops the wrong database. */
    private static void refuseUnevaluated(Erb.Rendered erb, String value, String key) {
        erb.unevaluatedIn(value).ifPresent(expression -> {
            throw new ConfigError(DATABASE_YML + ": " + key + " uses " + expression
                    + ", which parity cannot evaluate; set the variable it reads, or name the database in "
                    + ".parity.yml: development: {database: NAME}");
        });
    }

    /** A setting other than the name: unknown (empty) rather than wrong when ERB could not evaluate it. */
    private static Optional<String> clean(Erb.Rendered erb, Object value) {
        return scalar(value).filter(v -> erb.unevaluatedIn(v).isEmpty());
    }

    private static Optional<String> scalar(Object value) {
        if (value instanceof String s) return s.isBlank() ? Optional.empty() : Optional.of(s);
        if (value instanceof Number || value instanceof Boolean) return Optional.of(value.toString());
        return Optional.empty();
    }

    private static Object parse(String yaml) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (MarkedYAMLException e) {
            // Only the problem and position: SnakeYAML's full message quotes the line, which may hold a password.
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            String problem = e.getProblem() == null ? "" : ": " + e.getProblem();
            throw new ConfigError(DATABASE_YML + ": not valid YAML" + where + problem);
        } catch (YAMLException e) {
            throw new ConfigError(DATABASE_YML + ": not valid YAML");
        }
    }
}
