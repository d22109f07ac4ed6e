package dev.parity.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Named subsets for {@code development restore SOURCE --profile NAME}, from {@code .parity.yml}:
 * <pre>
 * restore_profiles:
 *   small: {exclude_data: [events, audit_logs]}
 *   orders: {only: [customers, orders]}
 * </pre>
 * Each profile lists tables under {@code only}, {@code exclude} and {@code exclude_data}, as the
 * options of the same names take them. An unknown key or a value of the wrong type is an error naming it.
 */
public final class RestoreProfiles {
    static final String KEY = "restore_profiles";
    private static final Set<String> PROFILE_KEYS = Set.of("only", "exclude", "exclude_data");

    /** One profile's tables. */
    public record Profile(List<String> only, List<String> exclude, List<String> excludeData) {}

    private RestoreProfiles() {}

    /** The profiles in {@code root/.parity.yml} (none when the file or the section is missing). */
    public static Map<String, Profile> load(Path root) {
        Path file = root.resolve(ParityConfig.FILE);
        if (!Files.isRegularFile(file)) return Map.of();
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigError(ParityConfig.FILE + ": cannot read: " + e.getMessage());
        } catch (YAMLException e) {
            throw new ConfigError(ParityConfig.FILE + ": not valid YAML");
        }
        return doc instanceof Map<?, ?> top ? parse(top.get(KEY)) : Map.of();
    }

    /** The {@code restore_profiles} section's value. */
    static Map<String, Profile> parse(Object section) {
        if (section == null) return Map.of();
        if (!(section instanceof Map<?, ?> profiles)) throw new ConfigError(ParityConfig.FILE + ": '" + KEY + "' must be a mapping of profile names");
        Map<String, Profile> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : profiles.entrySet()) {
            String name = String.valueOf(e.getKey());
            String where = KEY + "." + name;
            if (!(e.getValue() instanceof Map<?, ?> p)) {
                throw new ConfigError(ParityConfig.FILE + ": '" + where + "' must be a mapping with only, exclude or exclude_data");
            }
            for (Object k : p.keySet()) {
                if (!PROFILE_KEYS.contains(String.valueOf(k))) {
                    throw new ConfigError(ParityConfig.FILE + ": unknown key '" + where + "." + k + "' (known here: exclude, exclude_data, only)");
                }
            }
            out.put(name, new Profile(tables(p.get("only"), where + ".only"), tables(p.get("exclude"), where + ".exclude"),
                    tables(p.get("exclude_data"), where + ".exclude_data")));
        }
        return out;
    }

    /** A list of table names, or one name. */
    private static List<String> tables(Object value, String where) {
        if (value == null) return List.of();
        List<String> names = new ArrayList<>();
        for (Object v : value instanceof List<?> l ? l : List.of(value)) {
            if (!(v instanceof String s) || s.isBlank()) {
                throw new ConfigError(ParityConfig.FILE + ": '" + where + "' must be table names (a list of strings)");
            }
            names.add(s);
        }
        return List.copyOf(names);
    }
}
