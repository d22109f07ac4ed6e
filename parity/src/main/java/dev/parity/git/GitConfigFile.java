package dev.parity.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the remotes straight from {@code .git/config}, which saves starting git (about 40 ms of
 * every command). Anything unusual — no plain {@code .git} directory, include directives,
 * continuation lines — returns empty, and the caller asks git itself.
 */
final class GitConfigFile {
    private static final Pattern SECTION = Pattern.compile("^\\[\\s*remote\\s+\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\]\\s*(?:[#;].*)?$");
    private static final Pattern OTHER_SECTION = Pattern.compile("^\\[.*\\]\\s*(?:[#;].*)?$");
    private static final Pattern URL = Pattern.compile("^url\\s*=\\s*(.*?)\\s*$", Pattern.CASE_INSENSITIVE);

    private GitConfigFile() {}

    static Optional<Map<String, String>> remotes(Path root) {
        Path config = root.resolve(".git").resolve("config");
        if (!Files.isDirectory(root.resolve(".git")) || !Files.isRegularFile(config)) return Optional.empty();
        String text;
        try {
            text = Files.readString(config);
        } catch (IOException e) {
            return Optional.empty();
        }
        Map<String, String> remotes = new LinkedHashMap<>();
        String current = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.endsWith("\\") || line.regionMatches(true, 0, "[include", 0, 8)) return Optional.empty();
            Matcher section = SECTION.matcher(line);
            if (section.matches()) {
                current = section.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
                continue;
            }
            if (OTHER_SECTION.matcher(line).matches()) {
                current = null;
                continue;
            }
            Matcher url = URL.matcher(line);
            if (current != null && url.matches()) {
                String value = url.group(1);
                if (value.contains("\"") || value.contains("#") || value.contains(";")) return Optional.empty();
                remotes.putIfAbsent(current, value);
            }
        }
        return Optional.of(remotes);
    }
}
