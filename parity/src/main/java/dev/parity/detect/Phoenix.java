package dev.parity.detect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phoenix / Ecto: a {@code mix.exs} that depends on {@code :phoenix} or {@code :ecto_sql} (for an
 * umbrella, one of {@code apps/*&#47;mix.exs}). The database is the Repo's settings in
 * {@code config/dev.exs}.
 */
final class Phoenix {

    static final String DEV_EXS = "config/dev.exs";
    private static final Pattern DEPENDENCY = Pattern.compile(":(?:phoenix|ecto_sql)\\b");
    private static final Pattern REPO_CONFIG = Pattern.compile("(?m)^\\s*config\\s+:\\w+\\s*,\\s*[\\w.]*Repo\\s*,");
    private static final Pattern NEXT_CONFIG = Pattern.compile("(?m)^\\s*(?:config|import_config)\\s");
    /** System.get_env("X"), System.get_env("X", "d"), System.get_env("X") || "d", System.fetch_env!("X"). */
    private static final Pattern ENV_LOOKUP = Pattern.compile("System\\.(?:get_env|fetch_env!?)\\(\\s*\"(\\w+)\"");

    private Phoenix() {}

    static Optional<Project> detect(Path root, Map<String, String> env) {
        Optional<String> evidence = evidence(root);
        if (evidence.isEmpty()) return Optional.empty();
        return Optional.of(new Project("Phoenix", evidence.get(), Optional.of("mix ecto.migrate"), Optional.of("iex -S mix"),
                ProjectFiles.read(root, DEV_EXS).flatMap(text -> developmentDatabase(text, env))));
    }

    private static Optional<String> evidence(Path root) {
        List<String> candidates = new ArrayList<>();
        candidates.add("mix.exs");
        // An umbrella's root mix.exs lists no dependencies; its apps do.
        for (String app : ProjectFiles.subdirectories(root, "apps")) candidates.add("apps/" + app + "/mix.exs");
        for (String file : candidates) {
            if (ProjectFiles.read(root, file).filter(t -> DEPENDENCY.matcher(t).find()).isPresent()) return Optional.of(file);
        }
        return Optional.empty();
    }

    static Optional<LocalDatabase> developmentDatabase(String devExs, Map<String, String> env) {
        for (String block : repoBlocks(devExs)) {
            Optional<String> name = key(block, "database", env);
            if (name.isPresent()) {
                return Optional.of(new LocalDatabase(name.get(), key(block, "hostname", env), key(block, "port", env),
                        key(block, "username", env), key(block, "password", env), DEV_EXS + " database"));
            }
            Optional<LocalDatabase> fromUrl = key(block, "url", env)
                    .flatMap(PostgresUrl::parse).flatMap(u -> u.toLocalDatabase(DEV_EXS + " url"));
            if (fromUrl.isPresent()) return fromUrl;
        }
        return Optional.empty();
    }

    /** Each {@code config :app, App.Repo, ...} block; the whole file when there is none. */
    private static List<String> repoBlocks(String text) {
        List<String> blocks = new ArrayList<>();
        Matcher m = REPO_CONFIG.matcher(text);
        while (m.find()) {
            Matcher next = NEXT_CONFIG.matcher(text);
            int end = next.find(m.end()) ? next.start() : text.length();
            blocks.add(text.substring(m.end(), end));
        }
        if (blocks.isEmpty()) blocks.add(text);
        return blocks;
    }

    private static Optional<String> key(String block, String key, Map<String, String> env) {
        return SourceText.afterKey(block, Pattern.compile("\\b" + key + ":\\s"))
                .flatMap(rest -> SourceText.value(rest, ENV_LOOKUP, env));
    }
}
