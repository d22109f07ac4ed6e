package dev.parity.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts real programs from /usr/bin and /bin. */
class SystemProcessRunnerTest {
    static final String PATH = "/usr/bin:/bin";

    @TempDir
    Path tmp;
    SystemProcessRunner runner;

    @BeforeEach
    void setUp() {
        runner = new SystemProcessRunner(Map.of("PATH", PATH), tmp);
    }

    private Path script(String name, String body) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @Test
    void argumentsArriveLiterallyWithoutAShell() throws Exception {
        List<String> args = List.of("a b", "it's", "\"quoted\"", "$(id)", "`id`", ";", "a; rm -rf /", "*", "$HOME", "&&",
                "|", ">out", "", "\\n", "a\nb");
        Result r = runner.run(Command.of("printf", "%s\\0").plus(args).captured());
        assertEquals(0, r.exitCode());
        assertTrue(r.stdout().endsWith("\0"), r.stdout());
        assertEquals(args, Arrays.asList(r.stdout().substring(0, r.stdout().length() - 1).split("\0", -1)));
        assertFalse(Files.exists(tmp.resolve("out")), "no shell redirection happened");
    }

    @Test
    void capturedOutputIsDecodedAsUtf8() throws Exception {
        Path s = script("utf8.sh", "printf '\\303\\251\\360\\237\\230\\200'");
        assertEquals("é😀", runner.run(Command.of(s.toString()).captured()).stdout());
    }

    @Test
    void failingProgramExitCodeIsReturned() throws Exception {
        Result r = runner.run(Command.of("false").captured());
        assertEquals(1, r.exitCode());
        assertFalse(r.ok());
    }

    @Test
    void exitCodeOfAScriptRunByPathIsKept() throws Exception {
        Path s = script("exit7.sh", "exit 7");
        assertEquals(7, runner.run(Command.of(s.toString())).exitCode());
        assertEquals(7, runner.run(Command.of(s.toString()).captured()).exitCode());
    }

    @Test
    void relativeProgramPathIsResolvedInTheWorkingDirectory() throws Exception {
        script("exit7.sh", "exit 7");
        assertEquals(7, runner.run(Command.of("./exit7.sh")).exitCode());
    }

    @Test
    void successIsOk() throws Exception {
        Result r = runner.run(Command.of("true"));
        assertEquals(0, r.exitCode());
        assertTrue(r.ok());
        assertEquals("", r.stdout(), "uncaptured output goes to the terminal, not the result");
    }

    @Test
    void missingProgramThrowsProgramNotFound() {
        ProgramNotFound e = assertThrows(ProgramNotFound.class,
                () -> runner.run(Command.of("parity-no-such-program-xyz", "--version")));
        assertEquals("parity-no-such-program-xyz", e.program());
        assertTrue(e.getMessage().contains("command not found"), e.getMessage());
    }

    @Test
    void missingProgramByPathThrowsProgramNotFound() {
        assertThrows(ProgramNotFound.class, () -> runner.run(Command.of(tmp.resolve("nope.sh").toString())));
    }

    @Test
    void nonExecutableFileIsNotAProgram() throws Exception {
        Path f = tmp.resolve("plain.sh");
        Files.writeString(f, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertThrows(ProgramNotFound.class, () -> runner.run(Command.of(f.toString())));
    }

    @Test
    void programsAreLookedUpOnTheRunnersPath() {
        assertTrue(runner.available("printf"));
        assertFalse(runner.available("parity-no-such-program-xyz"));
        assertFalse(new SystemProcessRunner(Map.of("PATH", tmp.toString()), tmp).available("printf"));
        assertFalse(new SystemProcessRunner(Map.of(), tmp).available("printf"));
    }

    @Test
    void programOutsideThePathIsNotFound() {
        SystemProcessRunner empty = new SystemProcessRunner(Map.of("PATH", tmp.toString()), tmp);
        assertThrows(ProgramNotFound.class, () -> empty.run(Command.of("printf", "x")));
    }

    @Test
    void envAdditionsReachTheChild() throws Exception {
        Result r = runner.run(Command.of("env").withEnv("PARITY_TEST", "a b $x 'q'").withSecretEnv("PGPASSWORD", "pw").captured());
        List<String> lines = r.stdout().lines().toList();
        assertTrue(lines.contains("PARITY_TEST=a b $x 'q'"), r.stdout());
        assertTrue(lines.contains("PGPASSWORD=pw"), r.stdout());
    }

    @Test
    void childSeesOnlyTheBaseEnvironmentPlusTheCommandsAdditions() throws Exception {
        Result r = runner.run(Command.of("env").withEnv("PARITY_TEST", "1").captured());
        assertEquals(List.of("PARITY_TEST=1", "PATH=" + PATH), r.stdout().lines().sorted().toList());
    }

    @Test
    void commandEnvOverridesTheBaseEnvironment() throws Exception {
        SystemProcessRunner withBase = new SystemProcessRunner(Map.of("PATH", PATH, "PGUSER", "base"), tmp);
        Result r = withBase.run(Command.of("env").withEnv("PGUSER", "override").captured());
        assertTrue(r.stdout().lines().toList().contains("PGUSER=override"), r.stdout());
        assertFalse(r.stdout().contains("PGUSER=base"), r.stdout());
    }

    @Test
    void runsInTheRunnersWorkingDirectory() throws Exception {
        assertEquals(tmp.toRealPath().toString(), runner.run(Command.of("pwd").captured()).stdout().strip());
    }

    @Test
    void commandDirectoryBeatsTheRunnersWorkingDirectory() throws Exception {
        Path sub = Files.createDirectory(tmp.resolve("sub dir"));
        assertEquals(sub.toRealPath().toString(), runner.run(Command.of("pwd").in(sub).captured()).stdout().strip());
    }

    @Test
    void capturedChildReadsEndOfInput() throws Exception {
        Result r = runner.run(Command.of("cat").captured());
        assertEquals(0, r.exitCode());
        assertEquals("", r.stdout());
    }

    @Test
    void largeCapturedOutputDoesNotBlock() throws Exception {
        Result r = runner.run(Command.of("seq", "1", "200000").captured());
        assertEquals(0, r.exitCode());
        assertEquals(200000, r.stdout().lines().count());
    }

    /** A real child printing a signed URL and a connection string on both streams, as heroku pg:backups:restore and pg:push do. */
    @Test
    void redactedOutputNeverShowsTheSecretsTheChildPrints() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        SystemProcessRunner relaying = new SystemProcessRunner(Map.of("PATH", PATH), tmp, out, err);
        Path child = script("restore.sh", String.join("\n",
                "echo 'Restoring https://bucket.s3.amazonaws.com/backups/b042.dump?X-Amz-Signature=s3cr3t-sig&X-Amz-Expires=60 to DATABASE'",
                "echo 'pushing to postgres://u:s3cr3t-pw@db.example.com:5432/d1 now' >&2",
                "printf 'progress 50%%\\rprogress 100%%\\r\\n'",
                "printf 'no newline at the end https://h.example.com/s/s3cr3t-path/latest.dump?dl=1'",
                "exit 7"));
        Result r = relaying.run(Command.of(child.toString()).redactingOutput());
        assertEquals(7, r.exitCode());
        String shownOut = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        String shownErr = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertFalse((shownOut + shownErr).contains("s3cr3t"), shownOut + shownErr);
        assertEquals("Restoring https://bucket.s3.amazonaws.com/<redacted>/b042.dump?<redacted> to DATABASE\n"
                + "progress 50%\rprogress 100%\r\n"
                + "no newline at the end https://h.example.com/<redacted>/latest.dump?<redacted>", shownOut);
        assertEquals("pushing to postgres://<redacted>@db.example.com:5432/d1 now\n", shownErr);
    }

    @Test
    void aRedactedCommandGetsNoTerminalInput() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        SystemProcessRunner relaying = new SystemProcessRunner(Map.of("PATH", PATH), tmp, out, new java.io.ByteArrayOutputStream());
        Path child = script("ask.sh", "printf 'type the app name: '; if read answer; then echo \"got [$answer]\"; else exit 1; fi");
        Result r = relaying.run(Command.of(child.toString()).redactingOutput());
        assertEquals(1, r.exitCode(), "read finds end of input at once instead of waiting for an answer nobody sees");
        assertEquals("type the app name: ", out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void capturedOutputOfARedactedCommandStaysWholeForParity() throws Exception {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        SystemProcessRunner relaying = new SystemProcessRunner(Map.of("PATH", PATH), tmp, new java.io.ByteArrayOutputStream(), err);
        Path child = script("url.sh", "echo 'https://h.example.com/b.dump?sig=s3cr3t'; echo 'see https://h.example.com/b.dump?sig=s3cr3t' >&2");
        Result r = relaying.run(Command.of(child.toString()).captured().redactingOutput());
        assertEquals("https://h.example.com/b.dump?sig=s3cr3t\n", r.stdout(), "parity reads the URL itself");
        assertEquals("see https://h.example.com/b.dump?<redacted>\n", err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void endChildrenEndsWhatRunIsWaitingFor() throws Exception {
        Path started = tmp.resolve("started");
        Path child = script("wait.sh", "echo $$ > " + started + "; exec sleep 60");
        java.util.concurrent.CompletableFuture<Result> running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run(Command.of(child.toString()).captured());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < 500 && !(Files.exists(started) && Files.size(started) > 0); i++) Thread.sleep(20);
        SystemProcessRunner.endChildren(5000);
        Result r = running.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(143, r.exitCode(), "ended with SIGTERM");
    }
}
