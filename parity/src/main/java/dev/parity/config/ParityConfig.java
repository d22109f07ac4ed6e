package dev.parity.config;

import dev.parity.scrub.ScrubRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code .parity.yml} at the repository root. Every key is optional; an unknown key or a value of
 * the wrong type is an error that names it, so a typo never silently falls back to a default.
 */
public record ParityConfig(Map<String, String> environmentApps, Optional<String> deployBranch,
                           Optional<String> migrate, Optional<String> console, Development development,
                           ScrubRules scrub) {

    public static final String FILE = ".parity.yml";
    private static final Set<String> TOP_KEYS = Set.of("environments", "deploy_branch", "migrate", "console", "development",
            "scrub", RestoreProfiles.KEY);
    private static final Set<String> ENV_KEYS = Set.of("app");
    private static final Set<String> DEV_KEYS = Set.of("database", "host", "port", "username", "snapshots");

    /**
     * The local development database settings; empty values mean "detect or use libpq defaults".
     * {@code snapshots}: whether a restore keeps a snapshot of the restored backup for the next one (default true).
     */
    public record Development(Optional<String> database, Optional<String> host, Optional<String> port,
                              Optional<String> username, boolean snapshots) {
        static final Development NONE = new Development(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true);
    }

    public static final ParityConfig EMPTY = new ParityConfig(Map.of(), Optional.empty(), Optional.empty(),
            Optional.empty(), Development.NONE, ScrubRules.NONE);

    /** A configuration file of a few lines; anything near this size is not one, and is refused unread. */
    static final long MAX_BYTES = 1024 * 1024;
    /**
     * Heroku's app names: a lower-case letter, then lower-case letters, digits and dashes, 30 at
     * most. An app name also becomes part of API paths and git URLs, so nothing else may pass.
     */
    static final Pattern APP_NAME = Pattern.compile("[a-z][a-z0-9-]{1,29}");

    /** Reads {@code root/.parity.yml}; a missing file is an empty configuration. */
    public static ParityConfig load(Path root) {
        Path file = root.resolve(FILE);
        if (!Files.isRegularFile(file)) return EMPTY;
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ConfigError(FILE + ": " + size + " bytes is too big for a configuration file (at most "
                        + MAX_BYTES + "); is it the right file?");
            }
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigError(FILE + ": cannot read: " + e.getMessage());
        }
        ParityConfig config = parse(text);
        if (config.scrub().file().isEmpty()) return config;
        return new ParityConfig(config.environmentApps(), config.deployBranch(), config.migrate(), config.console(), config.development(),
                scrubFile(root, config.scrub().file().get()));
    }

    /** The rules file {@code scrub: {file: PATH}} names: its top level is what the scrub: section would hold. */
    private static ScrubRules scrubFile(Path root, String name) {
        Path file = root.resolve(name);
        String label = name.replaceAll("\\p{Cntrl}", "?");
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) throw new ConfigError(label + ": too big for a rules file (at most " + MAX_BYTES + " bytes)");
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigError(FILE + ": 'scrub.file': cannot read " + label + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(loaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new ConfigError(label + ": not valid YAML: " + firstLine(e.getMessage()));
        }
        if (doc == null) throw new ConfigError(label + ": empty rules file");
        return ScrubRules.parse(doc, label, "");
    }

    public static ParityConfig parse(String text) {
        if (text.length() > MAX_BYTES) {
            throw new ConfigError(FILE + ": too big for a configuration file (at most " + MAX_BYTES + " bytes)");
        }
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(loaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new ConfigError(FILE + ": not valid YAML: " + firstLine(e.getMessage()));
        }
        if (doc == null) return EMPTY;
        Map<String, Object> top = map(doc, "the top level");
        checkKeys(top, TOP_KEYS, "");
        RestoreProfiles.parse(top.get(RestoreProfiles.KEY)); // its own reader; checked here so a mistake shows in any command

        Map<String, String> apps = new LinkedHashMap<>();
        if (top.get("environments") != null) {
            Map<String, Object> envs = map(top.get("environments"), "environments");
            for (var e : envs.entrySet()) {
                String where = "environments." + e.getKey();
                Map<String, Object> env = map(e.getValue(), where);
                checkKeys(env, ENV_KEYS, where + ".");
                string(env.get("app"), where + ".app").ifPresent(app -> apps.put(e.getKey(), appName(app, where + ".app")));
            }
        }
        Development dev = Development.NONE;
        if (top.get("development") != null) {
            Map<String, Object> d = map(top.get("development"), "development");
            checkKeys(d, DEV_KEYS, "development.");
            dev = new Development(string(d.get("database"), "development.database"),
                    string(d.get("host"), "development.host"), scalar(d.get("port"), "development.port"),
                    string(d.get("username"), "development.username"), bool(d.get("snapshots"), "development.snapshots").orElse(true));
        }
        return new ParityConfig(apps, string(top.get("deploy_branch"), "deploy_branch"),
                string(top.get("migrate"), "migrate"), string(top.get("console"), "console"), dev,
                ScrubRules.parse(top.get("scrub")));
    }

    /**
     * A duplicate key is an error (SnakeYAML would keep the last and only log a warning); aliases,
     * nesting and code points are capped far above any real configuration, so a hostile file
     * fails fast instead of expanding.
     */
    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setAllowDuplicateKeys(false);
        o.setMaxAliasesForCollections(10);
        o.setAllowRecursiveKeys(false);
        o.setNestingDepthLimit(10);
        o.setCodePointLimit((int) MAX_BYTES);
        return o;
    }

    private static String appName(String app, String key) {
        if (!APP_NAME.matcher(app).matches()) {
            throw new ConfigError(FILE + ": '" + key + "' is not a Heroku app name: '" + app.replaceAll("\\p{Cntrl}", "?")
                    + "' (lower-case letters, digits and dashes, starting with a letter, 2 to 30 characters)");
        }
        return app;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (value instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) throw new ConfigError(FILE + ": key " + k + " in " + where + " must be a string");
            }
            return (Map<String, Object>) m;
        }
        throw new ConfigError(FILE + ": '" + where + "' must be a mapping, got " + describe(value));
    }

    private static Optional<String> string(Object value, String key) {
        if (value == null) return Optional.empty();
        if (value instanceof String s) {
            if (s.isBlank()) throw new ConfigError(FILE + ": '" + key + "' must not be empty");
            return Optional.of(s);
        }
        throw new ConfigError(FILE + ": '" + key + "' must be a string, got " + describe(value));
    }

    private static Optional<Boolean> bool(Object value, String key) {
        if (value == null) return Optional.empty();
        if (value instanceof Boolean b) return Optional.of(b);
        throw new ConfigError(FILE + ": '" + key + "' must be true or false, got " + describe(value));
    }

    private static Optional<String> scalar(Object value, String key) {
        if (value instanceof Integer i) return Optional.of(i.toString());
        return string(value, key);
    }

    private static void checkKeys(Map<String, Object> m, Set<String> known, String prefix) {
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                throw new ConfigError(FILE + ": unknown key '" + prefix + k + "' (known here: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String describe(Object v) {
        if (v instanceof Map) return "a mapping";
        if (v instanceof List) return "a list";
        if (v instanceof String) return "a string";
        if (v instanceof Number) return "a number (" + v + ")";
        if (v instanceof Boolean) return "a boolean (" + v + ")";
        return v == null ? "nothing" : v.getClass().getSimpleName();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().replace("\n", " ");
    }
}
