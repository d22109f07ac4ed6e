package dev.parity.detect;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Node with Prisma: {@code prisma/schema.prisma}. The database is the datasource's url: usually
 * {@code env("DATABASE_URL")}, which Prisma's CLI resolves from the environment, then {@code .env}
 * at the root or beside the schema.
 */
final class NodePrisma {

    static final String SCHEMA = "prisma/schema.prisma";
    private static final Pattern DATASOURCE = Pattern.compile("(?m)^\\s*datasource\\s+\\w+\\s*\\{");
    private static final Pattern URL_FROM_ENV = Pattern.compile("(?m)^\\s*url\\s*=\\s*env\\(\\s*\"(\\w+)\"\\s*\\)");
    private static final Pattern URL_LITERAL = Pattern.compile("(?m)^\\s*url\\s*=\\s*\"([^\"]+)\"");

    private NodePrisma() {}

    static Optional<Project> detect(Path root, Map<String, String> env) {
        Optional<String> schema = ProjectFiles.read(root, SCHEMA);
        if (schema.isEmpty()) return Optional.empty();
        return Optional.of(new Project("Node (Prisma)", SCHEMA,
                Optional.of("npx prisma migrate deploy"), // deploy: applies committed migrations, never generates new ones
                Optional.of("node"),
                developmentDatabase(root, schema.get(), env)));
    }

    private static Optional<LocalDatabase> developmentDatabase(Path root, String schema, Map<String, String> env) {
        Matcher datasource = DATASOURCE.matcher(schema);
        String block = datasource.find() ? SourceText.block(schema, datasource.end() - 1) : schema;
        Matcher literal = URL_LITERAL.matcher(block);
        if (literal.find()) return PostgresUrl.parse(literal.group(1)).flatMap(u -> u.toLocalDatabase(SCHEMA + " datasource url"));
        Matcher fromEnv = URL_FROM_ENV.matcher(block);
        String variable = fromEnv.find() ? fromEnv.group(1) : "DATABASE_URL";
        return new DotEnv(root, env, ".env", "prisma/.env").get(variable)
                .flatMap(url -> PostgresUrl.parse(url.value()).flatMap(u -> u.toLocalDatabase(url.source())));
    }
}
