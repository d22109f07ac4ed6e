package dev.parity.detect;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Recognises the project's framework from the files at its root, so parity can migrate, open a console
 * and find the development database without a {@code .parity.yml}. Reads files only; runs nothing.
 */
public final class ProjectDetector {

    /**
     * In order; the first that recognises the project wins. Rails comes first because the original tool
     * only knew Rails; the Node rules come late because a Rails or Phoenix app may also carry a
     * package.json-based toolchain, never the other way round.
     */
    private static final List<BiFunction<Path, Map<String, String>, Optional<Project>>> RULES = List.of(
            Rails::detect,
            Django::detect,
            Laravel::detect,
            Phoenix::detect,
            NodePrisma::detect,
            NodeKnex::detect,
            SpringBoot::detect);

    private ProjectDetector() {}

    /**
     * @param root the project's root directory
     * @param env  the environment variables the framework would see (ERB {@code ENV}, dotenv fallbacks)
     * @throws dev.parity.config.ConfigError when a file that decides the database cannot be read or
     *                                       understood (e.g. malformed {@code config/database.yml})
     */
    public static Project detect(Path root, Map<String, String> env) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(env, "env");
        for (var rule : RULES) {
            Optional<Project> project = rule.apply(root, env);
            if (project.isPresent()) return project.get();
        }
        return Project.unknown();
    }
}
