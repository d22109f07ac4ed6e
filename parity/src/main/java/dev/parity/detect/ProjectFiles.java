package dev.parity.detect;

import dev.parity.config.ConfigError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading the project's files; paths are relative to the root and always written with '/'. */
final class ProjectFiles {

    private ProjectFiles() {}

    static boolean isFile(Path root, String relative) {
        return Files.isRegularFile(root.resolve(relative));
    }

    /** The file's text, or empty when it does not exist. Invalid UTF-8 is replaced, not fatal: we only grep. */
    static Optional<String> read(Path root, String relative) {
        Path file = root.resolve(relative);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigError(relative + ": cannot read: " + e.getMessage());
        }
    }

    /** Names of the directories directly under {@code root/relative}, sorted so results are stable. */
    static List<String> subdirectories(Path root, String relative) {
        return entries(root, relative, true);
    }

    /** Names of the regular files directly under {@code root/relative}, sorted. */
    static List<String> files(Path root, String relative) {
        return entries(root, relative, false);
    }

    private static List<String> entries(Path root, String relative, boolean directories) {
        Path dir = relative.isEmpty() ? root : root.resolve(relative);
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) return names;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                boolean matches = directories ? Files.isDirectory(p) : Files.isRegularFile(p);
                if (matches) names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw new ConfigError((relative.isEmpty() ? "." : relative) + ": cannot list: " + e.getMessage());
        }
        names.sort(null);
        return names;
    }
}
