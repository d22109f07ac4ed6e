package dev.parity.detect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Django: {@code manage.py}. The development database is read, best effort, from the settings module:
 * a literal {@code 'NAME'} in {@code DATABASES}, or the {@code DATABASE_URL} that dj-database-url /
 * django-environ would use (the environment's, else the default written in the settings).
 */
final class Django {

    private static final Pattern SETTINGS_MODULE =
            Pattern.compile("DJANGO_SETTINGS_MODULE['\"]\\s*,\\s*['\"]([\\w.]+)['\"]");
    private static final Pattern DATABASES = Pattern.compile("(?m)^\\s*DATABASES\\s*=");
    private static final Pattern USES_DATABASE_URL = Pattern.compile("dj_database_url|DATABASE_URL|env\\.db\\(");
    private static final Pattern URL_LITERAL = Pattern.compile("['\"]((?:postgres|postgresql)://[^'\"\\s]*)['\"]");
    /** os.environ.get('X'), os.getenv('X'), os.environ['X'], env('X'), env.str('X'), config('X') (decouple). */
    private static final Pattern ENV_LOOKUP = Pattern.compile(
            "(?:os\\.environ\\.get|os\\.getenv|env\\.str|env|config)\\(\\s*['\"](\\w+)['\"]|os\\.environ\\[\\s*['\"](\\w+)['\"]");

    private Django() {}

    static Optional<Project> detect(Path root, Map<String, String> env) {
        Optional<String> manage = ProjectFiles.read(root, "manage.py");
        if (manage.isEmpty()) return Optional.empty();
        return Optional.of(new Project("Django", "manage.py",
                Optional.of("python manage.py migrate"), Optional.of("python manage.py shell"),
                developmentDatabase(root, manage.get(), env)));
    }

    private static Optional<LocalDatabase> developmentDatabase(Path root, String manage, Map<String, String> env) {
        for (String file : settingsFiles(root, manage, env)) {
            String text = ProjectFiles.read(root, file).orElse("");
            Optional<LocalDatabase> literal = fromDatabasesBlock(text, file, env);
            if (literal.isPresent()) return literal;
            if (USES_DATABASE_URL.matcher(text).find()) {
                Optional<LocalDatabase> fromEnv = environmentUrl(env);
                if (fromEnv.isPresent()) return fromEnv;
                Matcher url = URL_LITERAL.matcher(text);
                if (url.find()) {
                    Optional<LocalDatabase> fromDefault =
                            PostgresUrl.parse(url.group(1)).flatMap(u -> u.toLocalDatabase(file + " DATABASE_URL default"));
                    if (fromDefault.isPresent()) return fromDefault;
                }
            }
        }
        return environmentUrl(env);
    }

    private static Optional<LocalDatabase> environmentUrl(Map<String, String> env) {
        return PostgresUrl.parse(env.get("DATABASE_URL")).flatMap(u -> u.toLocalDatabase("environment DATABASE_URL"));
    }

    /** 'NAME': 'x' (with HOST, PORT, USER, PASSWORD beside it) in the DATABASES dict. */
    private static Optional<LocalDatabase> fromDatabasesBlock(String text, String file, Map<String, String> env) {
        Matcher m = DATABASES.matcher(text);
        if (!m.find()) return Optional.empty();
        String block = SourceText.block(text, m.end());
        Optional<String> name = key(block, "NAME", env);
        if (name.isEmpty()) return Optional.empty(); // e.g. BASE_DIR / 'db.sqlite3': not a Postgres name
        return Optional.of(new LocalDatabase(name.get(), key(block, "HOST", env), key(block, "PORT", env),
                key(block, "USER", env), key(block, "PASSWORD", env), file + " DATABASES NAME"));
    }

    private static Optional<String> key(String block, String key, Map<String, String> env) {
        return SourceText.afterKey(block, Pattern.compile("['\"]" + key + "['\"]\\s*:"))
                .flatMap(rest -> SourceText.value(rest, ENV_LOOKUP, env));
    }

    /**
     * The module manage.py (or DJANGO_SETTINGS_MODULE) names first, because split settings
     * (settings/base.py, settings/production.py) disagree; then every *&#47;settings.py and *&#47;settings/*.py.
     */
    private static List<String> settingsFiles(Path root, String manage, Map<String, String> env) {
        Set<String> files = new LinkedHashSet<>();
        String module = env.get("DJANGO_SETTINGS_MODULE");
        if (module == null || module.isBlank()) {
            Matcher m = SETTINGS_MODULE.matcher(manage);
            module = m.find() ? m.group(1) : null;
        }
        if (module != null) {
            String path = module.strip().replace('.', '/');
            files.add(path + ".py");
            files.add(path + "/__init__.py");
        }
        for (String dir : ProjectFiles.subdirectories(root, "")) {
            files.add(dir + "/settings.py");
            for (String f : ProjectFiles.files(root, dir + "/settings")) {
                if (f.endsWith(".py")) files.add(dir + "/settings/" + f);
            }
        }
        List<String> existing = new ArrayList<>();
        for (String f : files) {
            if (ProjectFiles.isFile(root, f)) existing.add(f);
        }
        return existing;
    }
}
