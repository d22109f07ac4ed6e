package dev.parity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.Launcher;
import dev.parity.support.Launcher.Outcome;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code parity sandbox demo}, through the launcher as a user without
 * the heroku CLI runs it: from a copy of the built release (no tools/heroku-cli beside it) and with
 * a PATH that has no heroku. The pinned CLI comes from parity's cache, or npm puts it there, or,
 * with no npm, the steps that need it are skipped and said so, and nothing they would have shown
 * is claimed.
 */
class SandboxDemoIT {
    private static final Path PROJECT_CLI = Launcher.HOME.resolve("tools/heroku-cli");

    @TempDir
    Path tmp;

    @Test
    void theTourRunsEveryScene_withThePinnedCliFromTheCache() throws Exception {
        Path cache = cacheDir();
        Files.createDirectories(cache);
        Files.copy(PROJECT_CLI.resolve("package.json"), cache.resolve("package.json"));
        Files.createSymbolicLink(cache.resolve("node_modules"), PROJECT_CLI.resolve("node_modules").toRealPath());

        Outcome o = demo(Set.of("heroku", "npm", "npx"));

        assertEquals(0, o.exitCode(), o.toString());
        String out = o.out();
        contains(out, "No heroku CLI on PATH: the tour uses the pinned one (heroku " + pinned() + ") from " + cache + ".");
        contains(out, "$ heroku run --exit-code --app demo-production bin/migrate", "== 002_add_email_to_users: migrating");
        matches(out, "  web\\.1 booted [0-9.]+ s before migration 002 was recorded: .*\\(a \"stuck dyno\"\\)\\.");
        // ps marks each stuck dyno, from the database's migration history
        matches(out, "^web\\.1: up .* v\\d+ stale: booted before the schema changed at \\S+ \\(Ecto inserted_at\\)$");
        contains(out, "ps marked 3 dynos stale, each with the reason.");
        // doctor explains each stuck dyno from the database's migration history, and names the fix
        contains(out, "$ production doctor", "web.1: booted before the schema changed at", "web.2: booted before the schema changed at",
                "worker.1: booted before the schema changed at", "Fix: production migrate",
                "doctor explained 3 stuck dynos: each booted before the schema changed (known from Ecto inserted_at), and named the fix.");
        // migrate fixes it, proven by ps
        contains(out, "$ production migrate", "$ production ps");
        matches(out, "Nothing is marked stale now: every dyno \\(web\\.1, web\\.2, worker\\.1\\) restarted after `production migrate` began, and is up on v\\d+\\.");
        assertFalse(out.substring(out.indexOf("== production ps again"), out.indexOf("Nothing is marked stale now")).contains(" stale: "), out);
        // the deploy whose migration fails: backup, push, failed migration, code rolled back, every dyno on the old release
        contains(out, "$ production deploy\n", "== 003_add_audit_log: migrating", "violates not-null constraint",
                "As expected, the deploy failed (exit 3): migration 003 failed, so parity rolled the code back.",
                "The migration's transaction left no trace: no audit_log table, 003 not recorded.");
        matches(out, "v(\\d+) runs the code v\\d+ ran \\([0-9a-f]{7}\\), and every dyno \\(web\\.1, web\\.2, worker\\.1\\) is up on v\\1\\.");
        contains(o.err(), "database before this deploy is backup b", "rolling the code back to v");
        contains(out, "$ production releases", "Rollback to v");
        // restores, the second one undone
        contains(out, "$ staging deploy", "$ development restore production", "The local database now has production's rows: 3 users.",
                "None of them has a production name or email address: the scrub step replaced them before the swap (user-",
                "Back to production's rows: 3 users.", "$ development restore --undo",
                "The local work is back: 4 users, 'Local experiment' among them.",
                "That is the tour. Run the same commands in your own repository against Heroku.");
        // the scrub step's rows-touched line, and no production address anywhere in what was restored (read by the tour)
        contains(o.err(), "parity: scrubbed users: 3 rows (email, name)");
        for (String absent : List.of("(this step failed", "skipped", "installing the pinned one", "still have a production name")) {
            assertFalse(out.contains(absent), absent + "\n" + o);
        }
        assertNothingLeft();
    }

    @Test
    void npmInstallsThePinnedCliIntoTheCache_whenNoneIsThere() throws Exception {
        // a stand-in for npm that records how it was run and installs by linking the project's node_modules
        Path fakes = Files.createDirectories(tmp.resolve("fake-npm"));
        Path record = tmp.resolve("npm-argv.txt");
        Path npm = fakes.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\nprintf '%s\\n' \"$PWD\" \"$@\" > '" + record + "'\n"
                + "ln -s '" + PROJECT_CLI.resolve("node_modules").toRealPath() + "' node_modules\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));

        Outcome o = demo(Set.of("heroku", "npm", "npx"), fakes);

        assertEquals(0, o.exitCode(), o.toString());
        Path cache = cacheDir();
        contains(o.out(), "No heroku CLI on PATH: installing the pinned one (heroku " + pinned() + ") with npm into " + cache + " (once).");
        String verb = Files.exists(PROJECT_CLI.resolve("package-lock.json")) ? "ci" : "install";
        assertEquals(List.of(cache.toString(), verb, "--no-audit", "--no-fund", "--loglevel=error"), Files.readAllLines(record));
        assertEquals(Files.readString(PROJECT_CLI.resolve("package.json")), Files.readString(cache.resolve("package.json")),
                "the pinned package.json, from the sandbox jar");
        // the CLI it installed is the one the tour then ran
        contains(o.out(), "== 002_add_email_to_users: migrating", "(a \"stuck dyno\")", "The local work is back",
                "That is the tour. Run the same commands");
        assertNothingLeft();
    }

    @Test
    void withoutNpmTheStepsNeedingHerokuAreSkippedAndNothingTheyWouldShowIsClaimed() throws Exception {
        Outcome o = demo(Set.of("heroku", "npm", "npx"));

        assertEquals(0, o.exitCode(), o.toString());
        String out = o.out();
        contains(out, "No heroku CLI on PATH, and no npm to install the pinned one (heroku " + pinned() + ") into " + cacheDir()
                        + ": install npm (Debian/Ubuntu: apt install npm) or the heroku CLI. The steps that need heroku are skipped.",
                "(skipped: heroku run bin/migrate: needs the heroku CLI, which is not here",
                "(skipped: production backup; development restore production; development restore --undo: needs the heroku CLI",
                "this deploy runs with --no-backup",
                "That is the tour without the 6 step(s) that need the heroku CLI");
        // what runs without heroku still runs, and says what it saw
        contains(out, "ps marked no dyno stale.", "$ production doctor", "doctor found no problem (the wrong-way migration did not run, so nothing is stuck).",
                "As expected, the deploy failed (exit 3): migration 003 failed, so parity rolled the code back.");
        for (String claim : List.of("$ heroku run", "== 002_add_email_to_users: migrating\n== schema is up to date\n  ",
                "stuck dyno\")", "doctor explained", " stale: booted before", "ps marked 3", "$ development restore",
                "The local database now has production's rows", "Back to production's rows", "The local work is back",
                "That is the tour. Run", "installing the pinned one", "(this step failed")) {
            assertFalse(out.contains(claim), "claimed: " + claim + "\n" + o);
        }
        assertFalse(Files.exists(cacheDir().resolve("node_modules")), "nothing installed");
        assertNothingLeft();
    }

    private Path javaTmp;

    /** Runs the demo from a copy of the built release, with PATH holding everything of this machine's but {@code without}. */
    private Outcome demo(Set<String> without, Path... firstOnPath) throws IOException, InterruptedException {
        javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        // the sandbox's PostgreSQL runs as nobody when the tests run as root: it must be able to pass through
        for (Path p : List.of(tmp, javaTmp)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
        Path release = release();
        Map<String, String> env = Launcher.env(tmp.resolve("home"));
        StringBuilder path = new StringBuilder();
        for (Path p : firstOnPath) path.append(p).append(File.pathSeparator);
        env.put("PATH", path.append(pathWithout(without)).toString());
        env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + javaTmp);
        return Launcher.run(tmp, env, release.resolve("bin/parity").toString(), "sandbox", "demo");
    }

    /** The launcher and jars as an installed release lays them out (bin/, lib/): nothing of the project (tools/) around. */
    private Path release() throws IOException {
        Path release = tmp.resolve("release");
        Files.createDirectories(release.resolve("bin"));
        Files.createDirectories(release.resolve("lib"));
        Files.copy(Launcher.BIN.resolve("parity"), release.resolve("bin/parity"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String jar : List.of("parity.jar", "parity-sandbox.jar")) {
            Files.copy(Launcher.HOME.resolve("dist/target").resolve(jar), release.resolve("lib").resolve(jar));
        }
        return release;
    }

    /** One directory of links to every program on this machine's PATH (the first of each name) but {@code without}. */
    private String pathWithout(Set<String> without) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("path"));
        for (String d : System.getenv("PATH").split(File.pathSeparator)) {
            Path from = Path.of(d);
            if (d.isEmpty() || !Files.isDirectory(from)) continue;
            try (var programs = Files.list(from)) {
                for (Path p : programs.toList()) {
                    String name = p.getFileName().toString();
                    if (without.contains(name) || Files.exists(dir.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                    if (Files.isExecutable(p) && !Files.isDirectory(p)) Files.createSymbolicLink(dir.resolve(name), p);
                }
            }
        }
        return dir.toString();
    }

    private Path cacheDir() {
        return tmp.resolve("home/.cache/parity/heroku-cli");
    }

    private static String pinned() throws IOException {
        var m = Pattern.compile("\"heroku\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(PROJECT_CLI.resolve("package.json")));
        assertTrue(m.find());
        return m.group(1);
    }

    private void assertNothingLeft() throws IOException {
        try (var left = Files.list(javaTmp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("parity-")).toList(),
                    "the demo's directory, sandbox and cluster are gone");
        }
    }

    private static void contains(String text, String... expected) {
        for (String e : expected) assertTrue(text.contains(e), "missing: " + e + "\n--- output\n" + text);
    }

    private static void matches(String text, String regex) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(), "no line matches: " + regex + "\n--- output\n" + text);
    }
}
