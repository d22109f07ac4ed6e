package dev.parity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.RecordingRunner;
import dev.parity.support.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local backups are private (0600 in 0700); an app's backup needs credentials before the CLI is started. */
class BackupTest {
    @TempDir
    Path repo;
    RecordingRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        Files.writeString(repo.resolve(".parity.yml"), "development: {database: myapp_development}\n");
        runner = new RecordingRunner().withRemote("production", "https://git.heroku.com/myapp-production.git");
    }

    Path backups() {
        return repo.resolve(".cache/parity/backups");
    }

    @Test
    void developmentBackupIsOnlyReadableByItsOwner() throws IOException {
        Run r = Run.parity(repo, runner, "development", "backup");
        assertEquals(0, r.exitCode, r.toString());
        Path file = Path.of(r.out.strip());
        assertEquals(backups(), file.getParent());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backups())));
    }

    @Test
    void aBackupDirectoryOthersCouldReadIsMadePrivate() throws IOException {
        Files.createDirectories(backups(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Run r = Run.parity(repo, runner, "development", "backup");
        assertEquals(0, r.exitCode, r.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backups())));
    }

    @Test
    void aWorldWritableBackupDirectoryIsRefusedWithTheFix() throws IOException {
        Files.createDirectories(backups());
        Files.setPosixFilePermissions(backups(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Run r = Run.parity(repo, runner, "development", "backup");
        assertEquals(ExitCodes.REFUSED, r.exitCode, r.toString());
        assertTrue(r.err.contains("is writable by everyone") && r.err.contains("chmod 700 " + backups()), r.err);
        assertOneLineNoTrace(r);
        assertEquals(List.of(), runner.actions(), "pg_dump never ran");
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(backups())), "left as it was");
    }

    @Test
    void aBackupDirectoryThatIsASymbolicLinkIsRefused() throws IOException {
        Path elsewhere = Files.createDirectories(repo.resolve("shared"));
        Files.createDirectories(backups().getParent());
        Files.createSymbolicLink(backups(), elsewhere);
        Run r = Run.parity(repo, runner, "development", "backup");
        assertEquals(ExitCodes.REFUSED, r.exitCode, r.toString());
        assertTrue(r.err.contains("is a symbolic link") && r.err.contains("rm " + backups()), r.err);
        assertOneLineNoTrace(r);
        assertEquals(List.of(), runner.actions(), "pg_dump never ran");
        try (var files = Files.list(elsewhere)) {
            assertEquals(0, files.count(), "nothing was written where the link points");
        }
    }

    @Test
    void aFailedDumpLeavesNoHalfWrittenBackup() throws IOException {
        runner.fail(RecordingRunner.startsWith("pg_dump"), 1);
        Run r = Run.parity(repo, runner, "development", "backup");
        assertEquals(1, r.exitCode, r.toString());
        try (var files = Files.list(backups())) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void productionBackupWithoutCredentialsSaysHowToLogInAndNeverStartsTheCli() {
        Run r = Run.parity(repo, runner, "production", "backup");
        assertEquals(ExitCodes.API, r.exitCode, r.toString());
        assertTrue(r.err.contains("'check Heroku credentials' failed: no Heroku credentials: run `heroku login`, "
                + "or set HEROKU_API_KEY to one API token"), r.err);
        assertOneLineNoTrace(r);
        assertEquals(List.of(), runner.actions(), "the heroku CLI was not started");
    }

    @Test
    void productionBackupWithCredentialsCaptures() {
        Run r = Run.parity(repo, runner, Map.of("HEROKU_API_KEY", "t0ken\n"), "", "production", "backup");
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(List.of(List.of("heroku", "pg:backups:capture", "--app", "myapp-production")), runner.actions());
    }

    /** The failure is one line after the step counter lines; "not run:" names the rest. */
    static void assertOneLineNoTrace(Run r) {
        List<String> failures = r.err.lines().filter(l -> l.contains("failed:")).toList();
        assertEquals(1, failures.size(), r.err);
        assertFalse(r.err.contains("Exception") || r.err.contains("at dev.parity"), r.err);
    }

    /** The real pg_dump on a real PostgreSQL: it writes into the private file and keeps its mode. */
    @Test
    void aRealBackupIsAValidDumpOnlyItsOwnerCanRead() throws Exception {
        try (dev.parity.pgcluster.PostgresCluster pg = dev.parity.pgcluster.PostgresCluster.start(repo.resolve("clusters"))) {
            pg.createDatabase("myapp_development");
            pg.psql("myapp_development", "CREATE TABLE users (id int PRIMARY KEY); INSERT INTO users VALUES (1), (2)");
            Path bin = Path.of(pg.program("pg_dump")).getParent();
            Map<String, String> env = new java.util.HashMap<>(pg.libpqEnv());
            env.put("PATH", bin + ":/usr/bin:/bin");
            env.put("HOME", repo.toString());
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            dev.parity.ui.Io io = new dev.parity.ui.Io(new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
                    new java.io.ByteArrayInputStream(new byte[0]), env, repo, false);
            int code = new Parity(io, new dev.parity.process.SystemProcessRunner(env, repo)).run("development", "backup");
            assertEquals(0, code, err.toString());
            Path file = Path.of(out.toString().strip());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            dev.parity.process.Result listed = new dev.parity.process.SystemProcessRunner(env, repo)
                    .run(dev.parity.process.Command.of("pg_restore", "--list", file.toString()).captured());
            assertEquals(0, listed.exitCode());
            assertTrue(listed.stdout().contains("TABLE public users"), listed.stdout());
        }
    }
}
