package dev.parity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.FakeHeroku;
import dev.parity.support.GitRepo;
import dev.parity.support.Launcher;
import dev.parity.support.Launcher.Outcome;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the user sees through the real launchers when something is wrong: one line, the exit code
 * the README gives, never a stack trace, never a secret.
 */
class FailuresIT {
    static final String TOKEN = "HRKU-5ecr3t00-1111-2222-3333-444455556666";

    @TempDir
    Path tmp;
    GitRepo repo;
    FakeHeroku heroku;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        repo = GitRepo.init(tmp.resolve("myapp"), "main");
        repo.addHerokuRemote("production", "myapp-production", tmp.resolve("heroku-git"));
        repo.addHerokuRemote("staging", "myapp-staging", tmp.resolve("heroku-git"));
        heroku = new FakeHeroku(tmp);
        env = Launcher.env(tmp.resolve("home"), heroku.binDir());
        env.put("FAKE_HEROKU_LOG", heroku.logDir().toString());
    }

    Outcome run(Map<String, String> environment, String launcher, String... args) throws IOException, InterruptedException {
        return Launcher.run(repo.dir(), environment, launcher, args);
    }

    /** A fully qualified exception name, as a stack trace starts ("java.lang.IllegalArgumentException: …"). */
    static final java.util.regex.Pattern THROWABLE = java.util.regex.Pattern.compile("\\b[a-z]+(\\.[a-z0-9_]+)+\\.[A-Z]\\w*(Exception|Error)\\b");

    /** Nothing on stderr looks like a Java failure. */
    static void assertNoTrace(Outcome o) {
        String all = o.out() + o.err();
        assertFalse(all.contains("at dev.parity") || all.contains("\tat ") || all.contains("Caused by")
                || all.contains("Exception in thread") || THROWABLE.matcher(all).find(), o.toString());
    }

    /** stderr is exactly one line, starting with "parity: ". */
    static void assertOneLine(Outcome o) {
        assertNoTrace(o);
        assertEquals(1, o.err().lines().count(), o.toString());
        assertTrue(o.err().startsWith("parity: "), o.toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"two-lines", "two-words", "escape"})
    void anApiKeyThatIsNotOneTokenIsRefusedInOneLineThatNeverShowsIt(String shape) throws Exception {
        String key = switch (shape) {
            case "two-lines" -> TOKEN + "\n" + TOKEN + "\n";
            case "two-words" -> TOKEN + " " + TOKEN;
            default -> TOKEN + "\u001b[2J";
        };
        Outcome o = run(Launcher.with(env, "HEROKU_API_KEY", key), "production", "ps");
        assertEquals(2, o.exitCode(), o.toString());
        assertFalse((o.out() + o.err()).contains("5ecr3t"), o.toString());
        assertTrue(o.err().contains("the token in HEROKU_API_KEY is not a single API token"), o.err());
        assertTrue(o.err().contains("run `heroku login`, or set HEROKU_API_KEY to one API token"), o.err());
        assertNoTrace(o);
        assertEquals(List.of(), heroku.calls());
    }

    @Test
    void aKeyWithATrailingNewlineIsTrimmedAndNeverShown() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there once it is closed
        }
        Outcome o = run(Launcher.with(env, "HEROKU_API_KEY", TOKEN + "\n", "HEROKU_HOST", "http://127.0.0.1:" + closed),
                "production", "ps");
        assertEquals(2, o.exitCode(), o.toString());
        assertTrue(o.err().contains("cannot reach the Heroku API at http://127.0.0.1:" + closed), o.err());
        assertFalse((o.out() + o.err()).contains("5ecr3t"), o.toString());
        assertNoTrace(o);
    }

    @Test
    void anAppsBackupWithoutCredentialsSaysHowToLogInAndNeverStartsTheCli() throws Exception {
        Outcome o = run(env, "production", "backup");
        assertEquals(2, o.exitCode(), o.toString());
        assertTrue(o.err().contains("no Heroku credentials: run `heroku login`, or set HEROKU_API_KEY to one API token"), o.err());
        assertNoTrace(o);
        assertEquals(List.of(), heroku.calls(), "the CLI's interactive login never started");
    }

    /** A PATH with java and what the launcher needs (dirname, readlink, cat, mv, rm), but no git. */
    Map<String, String> withoutGit() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin-without-git"));
        for (String program : List.of("java", "dirname", "readlink", "cat", "mv", "rm", "mktemp")) {
            for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
                Path p = Path.of(dir, program);
                if (Files.isExecutable(p)) {
                    Files.createSymbolicLink(bin.resolve(program), p.toRealPath());
                    break;
                }
            }
        }
        return Launcher.with(env, "PATH", heroku.binDir() + File.pathSeparator + bin);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"production deploy", "production deploy --dry-run", "staging deploy --dry-run"})
    void withoutGitDeployIsOneLineAndExit127(String commandLine) throws Exception {
        String[] words = commandLine.split(" ");
        String[] args = java.util.Arrays.copyOfRange(words, 1, words.length);
        Outcome o = run(withoutGit(), words[0], args);
        assertEquals(127, o.exitCode(), o.toString());
        assertEquals("parity: git is not installed or not on PATH. Install git (Debian/Ubuntu: apt install git; "
                + "macOS: xcode-select --install).\n", o.err());
        assertNoTrace(o);
    }

    /** .parity.yml contents | what the one line says */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "'environments: {production: {app: my app}}'                     | 'environments.production.app' is not a Heroku app name",
        "'environments: {production: {app: \"myapp-production/../x\"}}' | 'environments.production.app' is not a Heroku app name",
        "'migrate: a\nmigrate: b'                                        | duplicate key migrate",
    })
    void aBadConfigurationIsOneLineAndExit2(String yaml, String says) throws Exception {
        Files.writeString(repo.dir().resolve(".parity.yml"), yaml.replace("\\n", "\n") + "\n");
        for (String[] command : List.of(new String[] {"production", "ps"}, new String[] {"production", "deploy", "--dry-run"})) {
            Outcome o = run(env, command[0], java.util.Arrays.copyOfRange(command, 1, command.length));
            assertEquals(2, o.exitCode(), o.toString());
            assertTrue(o.err().contains(says), o.err());
            assertOneLine(o);
        }
    }

    @Test
    void aConfigurationFarTooBigIsRefusedUnread() throws Exception {
        StringBuilder yaml = new StringBuilder("migrate: x\n");
        String padding = "# " + "p".repeat(1000) + "\n";
        while (yaml.length() < 2 * 1024 * 1024) yaml.append(padding);
        Files.writeString(repo.dir().resolve(".parity.yml"), yaml);
        Outcome o = run(env, "production", "ps");
        assertEquals(2, o.exitCode(), o.toString());
        assertTrue(o.err().contains("too big for a configuration file"), o.err());
        assertOneLine(o);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"http://127.0.0.1:55 55", "http://localhost:99999", "https://[127.0.0.1"})
    void aMalformedHerokuHostIsOneLineAndExit2(String host) throws Exception {
        for (String[] command : List.of(new String[] {"production", "ps"}, new String[] {"production", "deploy", "--dry-run"},
                new String[] {"production", "config"})) {
            Outcome o = run(Launcher.with(env, "HEROKU_HOST", host), command[0], java.util.Arrays.copyOfRange(command, 1, command.length));
            assertEquals(2, o.exitCode(), String.join(" ", command) + "\n" + o);
            assertTrue(o.err().contains("HEROKU_HOST '" + host + "' is neither a host name"), o.err());
            assertOneLine(o);
        }
        assertEquals(List.of(), heroku.calls());
    }

    /** A stand-in heroku CLI that says it started, then waits to be interrupted. */
    Map<String, String> slowHeroku() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("slow-bin"));
        Path script = bin.resolve("heroku");
        Files.writeString(script, "#!/bin/sh\necho $$ > \"$SLOW_HEROKU_STARTED.tmp\"\n"
                + "mv \"$SLOW_HEROKU_STARTED.tmp\" \"$SLOW_HEROKU_STARTED\"\nexec sleep 30\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Launcher.with(env, "PATH", bin + File.pathSeparator + env.get("PATH"),
                "SLOW_HEROKU_STARTED", tmp.resolve("started").toString());
    }

    /** signal | exit code (128 + the signal's number, as the shell reports it) */
    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"INT, 130", "TERM, 143"})
    void anInterruptedRunSaysSoInOneLineWithTheDocumentedExitCode(String signal, int exitCode) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Launcher.BIN.resolve("production").toString(), "pg:wait"));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(repo.dir().toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null"));
        pb.environment().clear();
        pb.environment().putAll(slowHeroku());
        Process parity = pb.start(); // the launcher execs the JVM: this is parity's own process
        try {
            for (int i = 0; i < 3000 && !Files.exists(tmp.resolve("started")); i++) {
                assertTrue(parity.isAlive(), () -> "parity ended early: " + read(err));
                Thread.sleep(20);
            }
            assertTrue(Files.exists(tmp.resolve("started")), "the heroku CLI was started");
            Process kill = new ProcessBuilder("kill", "-s", signal, String.valueOf(parity.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(parity.waitFor(60, TimeUnit.SECONDS), "parity ended");
        } finally {
            parity.destroyForcibly();
        }
        Outcome o = new Outcome(parity.exitValue(), read(out), read(err));
        ProcessHandle.of(Long.parseLong(read(tmp.resolve("started")).strip())).ifPresent(ProcessHandle::destroyForcibly);
        assertEquals(exitCode, o.exitCode(), o.toString());
        assertEquals("parity: interrupted by SIG" + signal + " during step 1/1 'heroku pg:wait'\n", o.err());
        assertNoTrace(o);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
