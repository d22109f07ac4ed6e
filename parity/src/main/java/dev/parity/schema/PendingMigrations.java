package dev.parity.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Rails migrations in the repository that the database has not run: the versions in
 * {@code db/migrate/*.rb} file names against {@code SELECT version FROM schema_migrations}.
 * Secondary databases' {@code db/*_migrate} directories are not compared: their
 * {@code schema_migrations} lives in another database than {@code DATABASE_URL}.
 */
public final class PendingMigrations {
    public static final String TABLE = "schema_migrations";
    public static final String QUERY = "SELECT version FROM " + TABLE;
    public static final String DIRECTORY = "db/migrate";
    private static final Pattern FILE = Pattern.compile("(\\d+)_[^/]*\\.rb");

    /** A migration file not yet run. */
    public record Pending(String version, String file) {}

    private PendingMigrations() {}

    /** Whether the repository has Rails migrations at all. */
    public static boolean applies(Path root) {
        return !repositoryVersions(root).isEmpty();
    }

    /** Version → file (relative to {@code root}) of every migration in {@code db/migrate}, in version order. */
    public static Map<String, String> repositoryVersions(Path root) {
        Map<String, String> versions = new TreeMap<>(PendingMigrations::byNumber);
        Path dir = root.resolve(DIRECTORY);
        if (!Files.isDirectory(dir)) return versions;
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                Matcher m = FILE.matcher(f.getFileName().toString());
                if (m.matches() && Files.isRegularFile(f)) {
                    versions.put(normalise(m.group(1)), DIRECTORY + "/" + f.getFileName());
                }
            });
        } catch (IOException e) {
            return versions;
        }
        return versions;
    }

    /** The repository's migrations whose versions are not in {@code applied}. */
    public static List<Pending> pending(Map<String, String> repository, Set<String> applied) {
        Set<String> done = new java.util.HashSet<>();
        for (String v : applied) done.add(normalise(v.strip()));
        List<Pending> out = new ArrayList<>();
        repository.forEach((v, file) -> {
            if (!done.contains(v)) out.add(new Pending(v, file));
        });
        return out;
    }

    /** Rails compares versions as integers: {@code 001_create.rb} is version 1. */
    static String normalise(String version) {
        String s = version.replaceFirst("^0+(?=\\d)", "");
        return s;
    }

    private static int byNumber(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
}
