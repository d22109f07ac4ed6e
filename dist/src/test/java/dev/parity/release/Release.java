package dev.parity.release;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parity.support.GitRepo;
import dev.parity.support.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The release artifacts this build made (dist/target), and a user's machine to try them on. */
final class Release {
    static final Path TARGET = Path.of(System.getProperty("parity.target", "target")).toAbsolutePath();
    static final String VERSION = System.getProperty("parity.version", "unknown");
    static final Path TARBALL = TARGET.resolve("parity-" + VERSION + ".tar.gz");
    static final Path LINUX_X64 = TARGET.resolve("parity-" + VERSION + "-linux-x64.tar.gz");
    static final Path DEB = TARGET.resolve("parity_" + VERSION + "_all.deb");
    static final List<String> LAUNCHERS = List.of("parity", "production", "staging", "development", "pr_app");

    private Release() {}

    /** Whether this build makes the linux-x64 release (the dist pom's linux-x64 profile). */
    static boolean linuxX64() {
        return System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64");
    }

    /** Unpacks a tarball into {@code into}; returns its one top directory. */
    static Path unpack(Path tarball, Path into) throws IOException, InterruptedException {
        Files.createDirectories(into);
        GitRepo.run(into, "tar", "-xzf", tarball.toString());
        try (Stream<Path> top = Files.list(into)) {
            List<Path> dirs = top.toList();
            assertEquals(1, dirs.size(), "one top directory: " + dirs);
            return dirs.get(0);
        }
    }

    /**
     * A PATH directory with links to every program in /usr/bin and /bin except Maven and, when
     * {@code withJava} is false, every program of an installed JDK: what a user without them has.
     * Made once per build, under target/ (not a test's temporary directory, whose cleanup would
     * warn about every link). Another test JVM may be making it at the same time: each fills its own
     * directory and renames it into place, so no test ever sees a half-made PATH.
     */
    static synchronized Path path(boolean withJava) throws IOException {
        Path dir = TARGET.resolve(withJava ? "release-test-path/no-maven" : "release-test-path/no-maven-no-java");
        if (Files.isDirectory(dir)) return dir;
        Path making = Files.createDirectories(dir.resolveSibling(dir.getFileName() + ".making-" + ProcessHandle.current().pid()));
        for (String from : List.of("/usr/bin", "/bin")) {
            try (Stream<Path> programs = Files.list(Path.of(from))) {
                for (Path program : programs.toList()) {
                    String name = program.getFileName().toString();
                    if (name.startsWith("mvn") || Files.exists(making.resolve(name), LinkOption.NOFOLLOW_LINKS)) continue;
                    if (!withJava && isJdkProgram(program)) continue;
                    Files.createSymbolicLink(making.resolve(name), program);
                }
            }
        }
        try {
            Files.move(making, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException madeByAnother) {
            if (!Files.isDirectory(dir)) throw madeByAnother;
            try (Stream<Path> links = Files.walk(making)) {
                for (Path p : links.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        return dir;
    }

    private static boolean isJdkProgram(Path program) {
        if (Set.of("java", "javac", "jar", "jshell", "jlink", "jdeps", "keytool", "jcmd").contains(program.getFileName().toString())) return true;
        try {
            return program.toRealPath().toString().contains("/jvm/");
        } catch (IOException e) {
            return false;
        }
    }

    /** The environment of a user with only {@code path} on PATH, no JAVA_HOME, no heroku settings. */
    static Map<String, String> env(Path home, Path path) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", path.toString());
        env.put("HOME", home.toString());
        env.put("LANG", "C.UTF-8");
        return env;
    }

    /** A user's repository with a production and a staging remote on Heroku. */
    static GitRepo repository(Path dir) throws IOException, InterruptedException {
        GitRepo repo = GitRepo.init(dir, "main");
        Files.writeString(repo.dir().resolve(".parity.yml"), "migrate: bundle exec rails db:migrate\n");
        repo.git("add", ".parity.yml");
        repo.git("commit", "-q", "-m", "parity config");
        repo.git("remote", "add", "production", "https://git.heroku.com/myapp-production.git");
        repo.git("remote", "add", "staging", "https://git.heroku.com/myapp-staging.git");
        return repo;
    }

    /** What {@code parity --version} must say: this version and the commit the build was made from. */
    static String expectedVersion() throws InterruptedException {
        try {
            return "parity " + VERSION + " (commit " + GitRepo.run(Launcher.HOME, "git", "rev-parse", "--short=12", "HEAD").strip() + ")";
        } catch (IOException | AssertionError e) {
            return "parity " + VERSION + " (unknown commit)";
        }
    }
}
