package dev.parity.sandbox.cli;

import dev.parity.process.Command;
import dev.parity.process.ProgramNotFound;
import dev.parity.process.Result;
import dev.parity.process.SystemProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the heroku CLI the tour runs, in this order: a {@code heroku} on PATH, the project's own
 * {@code tools/heroku-cli} (a clone), the pinned one in parity's cache ({@code
 * $XDG_CACHE_HOME/parity/heroku-cli}, else {@code ~/.cache/parity/heroku-cli}), or that one
 * installed there now with npm from the package.json and lock file bundled in the sandbox jar
 * (the same files as {@code tools/heroku-cli}). Says in one line which it provides; without npm
 * it names the package to install and finds nothing.
 */
final class PinnedHerokuCli {
    private static final String RESOURCES = "/dev/parity/sandbox/heroku-cli/";

    private final Map<String, String> env;
    private final PrintStream out;

    PinnedHerokuCli(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    /** The directory to put first on PATH for {@code heroku} (empty when it is already on PATH), or empty when there is none. */
    record Found(Optional<Path> binDir, boolean available) {}

    Found find(Optional<Path> projectHome) throws IOException, InterruptedException {
        if (onPath("heroku").isPresent()) return new Found(Optional.empty(), true);
        if (projectHome.isPresent()) {
            Path tools = projectHome.get().resolve("tools/heroku-cli");
            // its bin/heroku runs the CLI with a Node the CLI accepts (tools/node when the system's is too old)
            Path wrapper = tools.resolve("bin");
            if (Files.isExecutable(tools.resolve("node_modules/.bin/heroku"))) {
                return new Found(Optional.of(Files.isExecutable(wrapper.resolve("heroku")) ? wrapper : tools.resolve("node_modules/.bin")), true);
            }
        }
        String version = pinnedVersion();
        Path dir = cacheDirectory();
        Path bin = dir.resolve("node_modules/.bin");
        if (installed(dir, version)) {
            out.println("No heroku CLI on PATH: the tour uses the pinned one (heroku " + version + ") from " + dir + ".");
            return new Found(Optional.of(bin), true);
        }
        if (onPath("npm").isEmpty()) {
            out.println("No heroku CLI on PATH, and no npm to install the pinned one (heroku " + version + ") into " + dir
                    + ": install npm (Debian/Ubuntu: apt install npm) or the heroku CLI. The steps that need heroku are skipped.");
            return new Found(Optional.empty(), false);
        }
        out.println("No heroku CLI on PATH: installing the pinned one (heroku " + version + ") with npm into " + dir + " (once).");
        Files.createDirectories(dir);
        copy("package.json", dir);
        boolean locked = copy("package-lock.json", dir);
        // `npm ci` installs exactly the locked tree; without a lock file, the pinned version's own
        String[] argv = locked ? new String[] {"npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"}
                : new String[] {"npm", "install", "--no-audit", "--no-fund", "--loglevel=error"};
        Result r;
        try {
            r = new SystemProcessRunner(env, dir).run(Command.of(argv).captured());
        } catch (ProgramNotFound e) {
            r = new Result(127, "");
        }
        if (r.ok() && installed(dir, version)) return new Found(Optional.of(bin), true);
        out.println("npm could not install heroku " + version + " (" + String.join(" ", argv) + " exited " + r.exitCode()
                + " in " + dir + "). The steps that need heroku are skipped.");
        return new Found(Optional.empty(), false);
    }

    /** parity's cache, as parity's other caches find it. */
    Path cacheDirectory() {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(env.getOrDefault("HOME", "."), ".cache");
        return base.resolve("parity").resolve("heroku-cli");
    }

    /** The heroku version pinned in the bundled package.json. */
    static String pinnedVersion() throws IOException {
        Matcher m = Pattern.compile("\"heroku\"\\s*:\\s*\"([^\"]+)\"").matcher(resource("package.json"));
        if (!m.find()) throw new IOException("the bundled package.json pins no heroku version");
        return m.group(1);
    }

    /** Whether {@code dir} holds the pinned version, runnable. */
    private static boolean installed(Path dir, String version) throws IOException {
        Path pkg = dir.resolve("node_modules/heroku/package.json");
        if (!Files.isExecutable(dir.resolve("node_modules/.bin/heroku")) || !Files.isRegularFile(pkg)) return false;
        Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(pkg));
        return m.find() && m.group(1).equals(version);
    }

    private Optional<Path> onPath(String program) {
        for (String d : env.getOrDefault("PATH", "").split(":")) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static boolean copy(String name, Path dir) throws IOException {
        try (InputStream in = PinnedHerokuCli.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) return false;
            Files.write(dir.resolve(name), in.readAllBytes());
            return true;
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PinnedHerokuCli.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IOException("the sandbox jar has no " + name + " for the heroku CLI");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
