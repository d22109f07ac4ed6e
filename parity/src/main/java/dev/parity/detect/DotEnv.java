package dev.parity.detect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code .env} files as dotenv libraries read them (Laravel's phpdotenv, Node's dotenv, Prisma):
 * {@code KEY=value}, optional {@code export}, quotes, {@code #} comments. Like those libraries, a
 * variable already set in the process environment wins over the file.
 */
final class DotEnv {

    /** A value and where it came from, e.g. ".env DB_DATABASE" or "environment DATABASE_URL". */
    record Value(String value, String source) {
        @Override
        public String toString() {
            return "Value[source=" + source + "]"; // values may be passwords or URLs with passwords
        }
    }

    private final Map<String, String> environment;
    private final Map<String, Map<String, String>> files = new LinkedHashMap<>();

    /** Reads each of {@code fileNames} that exists under root; earlier files win over later ones. */
    DotEnv(Path root, Map<String, String> environment, String... fileNames) {
        this.environment = environment;
        for (String name : fileNames) {
            ProjectFiles.read(root, name).ifPresent(text -> files.put(name, parse(text)));
        }
    }

    /** The value the application would see for {@code key}; blank values count as unset. */
    Optional<Value> get(String key) {
        String fromEnv = environment.get(key);
        if (fromEnv != null && !fromEnv.isBlank()) return Optional.of(new Value(fromEnv, "environment " + key));
        for (var file : files.entrySet()) {
            String v = file.getValue().get(key);
            if (v != null && !v.isBlank()) return Optional.of(new Value(v, file.getKey() + " " + key));
        }
        return Optional.empty();
    }

    /** Every variable the application would see: the files' values, overridden by the environment's. */
    Map<String, String> merged() {
        Map<String, String> all = new LinkedHashMap<>();
        List<Map<String, String>> lowestFirst = new ArrayList<>(files.values());
        Collections.reverse(lowestFirst);
        lowestFirst.forEach(all::putAll);
        environment.forEach((k, v) -> {
            if (v != null && !v.isBlank()) all.put(k, v);
        });
        return all;
    }

    Optional<String> value(String key) {
        return get(key).map(Value::value);
    }

    static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ")) line = line.substring("export ".length()).strip();
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            String key = line.substring(0, eq).strip();
            values.put(key, unquote(line.substring(eq + 1).strip()));
        }
        return values;
    }

    private static String unquote(String v) {
        if (v.startsWith("'")) {
            int end = v.indexOf('\'', 1);
            return end > 0 ? v.substring(1, end) : v.substring(1);
        }
        if (v.startsWith("\"")) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '"') break;
                if (c == '\\' && i + 1 < v.length()) {
                    char next = v.charAt(++i);
                    out.append(next == 'n' ? '\n' : next);
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
        // Unquoted: a '#' after whitespace starts a comment.
        int hash = v.indexOf(" #");
        int tabHash = v.indexOf("\t#");
        int cut = hash < 0 ? tabHash : (tabHash < 0 ? hash : Math.min(hash, tabHash));
        return (cut >= 0 ? v.substring(0, cut) : v).strip();
    }
}
