package dev.parity.detect;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Node with Knex: a {@code knexfile}. The database is, best effort, the literal connection settings of
 * the knexfile's {@code development} section; when it has none (typically
 * {@code connection: process.env.DATABASE_URL}), {@code DATABASE_URL} from the environment or {@code .env}.
 */
final class NodeKnex {

    private static final String[] KNEXFILES = {"knexfile.js", "knexfile.ts", "knexfile.cjs", "knexfile.mjs"};
    private static final Pattern DEVELOPMENT = Pattern.compile("['\"]?development['\"]?\\s*:\\s*\\{");
    private static final Pattern CONNECTION = Pattern.compile("['\"]?connection['\"]?\\s*:\\s*");
    /** process.env.X, process.env['X'] (with || or ?? defaults). */
    private static final Pattern ENV_LOOKUP = Pattern.compile("process\\.env\\.(\\w+)|process\\.env\\[\\s*['\"](\\w+)['\"]\\s*\\]");

    private NodeKnex() {}

    static Optional<Project> detect(Path root, Map<String, String> env) {
        for (String file : KNEXFILES) {
            Optional<String> text = ProjectFiles.read(root, file);
            if (text.isPresent()) {
                return Optional.of(new Project("Node (Knex)", file, Optional.of("npx knex migrate:latest"), Optional.of("node"),
                        developmentDatabase(root, file, text.get(), env)));
            }
        }
        return Optional.empty();
    }

    private static Optional<LocalDatabase> developmentDatabase(Path root, String file, String knexfile, Map<String, String> env) {
        DotEnv dotEnv = new DotEnv(root, env, ".env");
        Map<String, String> visible = dotEnv.merged(); // knexfiles usually require('dotenv').config()
        Matcher dev = DEVELOPMENT.matcher(knexfile);
        // A knexfile without environments is one config used everywhere.
        String section = dev.find() ? SourceText.block(knexfile, dev.end() - 1) : knexfile;
        Optional<String> name = key(section, "database", visible);
        if (name.isPresent()) {
            return Optional.of(new LocalDatabase(name.get(), key(section, "host", visible), key(section, "port", visible),
                    key(section, "(?:user|username)", visible), key(section, "password", visible),
                    file + " development.connection.database"));
        }
        String variable = "DATABASE_URL";
        Optional<String> connection = SourceText.afterKey(section, CONNECTION);
        if (connection.isPresent()) {
            Optional<LocalDatabase> literal = SourceText.literal(connection.get())
                    .flatMap(PostgresUrl::parse).flatMap(u -> u.toLocalDatabase(file + " development.connection"));
            if (literal.isPresent()) return literal;
            Matcher lookup = ENV_LOOKUP.matcher(connection.get().strip());
            if (lookup.lookingAt()) variable = lookup.group(1) != null ? lookup.group(1) : lookup.group(2);
        }
        return dotEnv.get(variable).flatMap(v -> PostgresUrl.parse(v.value()).flatMap(u -> u.toLocalDatabase(v.source())));
    }

    private static Optional<String> key(String section, String key, Map<String, String> env) {
        return SourceText.afterKey(section, Pattern.compile("['\"]?\\b" + key + "['\"]?\\s*:"))
                .flatMap(rest -> SourceText.value(rest, ENV_LOOKUP, env));
    }
}
