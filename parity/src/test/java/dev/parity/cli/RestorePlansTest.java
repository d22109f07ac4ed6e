package dev.parity.cli;

import static dev.parity.support.RecordingRunner.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.DumpServer;
import dev.parity.support.Dumps;
import dev.parity.support.RecordingRunner;
import dev.parity.support.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore in every direction, and each of its steps made to fail: nothing is dropped or reset
 * before the source was verified. Programs are recorded; the backup URL is a real HTTP server.
 */
class RestorePlansTest {
    static final String PROD = "myapp-production";
    static final String STAGING = "myapp-staging";
    static final String DB = "myapp_development";

    @TempDir
    Path repo;
    RecordingRunner runner;
    DumpServer server;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        Files.writeString(repo.resolve(".parity.yml"), "development: {database: " + DB + "}\n");
        server = new DumpServer().serve(Dumps.header(14, "15.4"));
        runner = new RecordingRunner()
                .withRemote("production", "https://git.heroku.com/" + PROD + ".git")
                .withRemote("staging", "https://git.heroku.com/" + STAGING + ".git")
                .answer(startsWith("heroku", "pg:backups:url"), 0, server.url() + "\n\n")
                .answer(startsWith("pg_restore", "--list"), 0, "; Archive created at ...\n215; 1259 16386 TABLE public users app\n");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    Run parity(String... args) {
        return Run.parity(repo, runner, args);
    }

    List<String> programs() {
        return runner.actions().stream().map(a -> a.get(0) + (a.get(0).equals("heroku") ? " " + a.get(1) : "")).toList();
    }

    @Test
    void developmentFromProductionDownloadsChecksThenReplaces() {
        Run r = parity("development", "restore", "production");
        assertEquals(0, r.exitCode, r.toString());
        List<List<String>> a = runner.actions();
        assertEquals(List.of("heroku", "pg:backups:url", "--app", PROD), a.get(0));
        assertEquals(List.of("pg_restore", "--list"), a.get(1).subList(0, 2));
        Path dump = Path.of(a.get(1).get(2));
        assertEquals(List.of("dropdb", "--if-exists", DB), a.get(2));
        assertEquals(List.of("createdb", DB), a.get(3));
        assertEquals(List.of("pg_restore", "--no-acl", "--no-owner", "--dbname", DB, dump.toString()), a.get(4));
        assertEquals(5, a.size(), "heroku_ext only when the dump uses it");
        assertFalse(Files.exists(dump), "the downloaded dump is removed afterwards");
        assertFalse(Files.exists(dump.getParent()), "and its private directory");
        assertFalse(r.err.contains("s3cr3t-signature"), r.err);
    }

    @Test
    void downloadedDumpIsPrivateToItsOwner() {
        List<String> seen = new java.util.ArrayList<>();
        runner.answerWith(startsWith("pg_restore", "--list"), c -> {
            try {
                Path dump = Path.of(c.argv().get(2));
                seen.add(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dump)));
                seen.add(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dump.getParent())));
                seen.add(String.valueOf(dump.startsWith(repo)));
            } catch (IOException e) {
                seen.add(e.toString());
            }
            return new dev.parity.process.Result(0, "");
        });
        assertEquals(0, parity("development", "restore", "production").exitCode);
        assertEquals(List.of("rw-------", "rwx------", "false"), seen, "0600 file in a 0700 directory, not in the repository");
    }

    @Test
    void herokuExtSchemaIsCreatedWhenTheDumpUsesItWithoutCreatingIt() {
        runner.answer(startsWith("pg_restore", "--list"), 0, "215; 1255 16400 FUNCTION heroku_ext gen_random_uuid() postgres\n");
        assertEquals(0, parity("development", "restore", "production").exitCode);
        assertEquals(List.of("heroku pg:backups:url", "pg_restore", "dropdb", "createdb", "psql", "pg_restore"), programs());
        assertTrue(runner.actions().get(4).contains("CREATE SCHEMA IF NOT EXISTS heroku_ext"));
    }

    @Test
    void herokuExtSchemaIsLeftToTheDumpWhenItCreatesIt() {
        runner.answer(startsWith("pg_restore", "--list"), 0, "12; 2615 2200 SCHEMA - heroku_ext postgres\n"
                + "215; 1255 16400 FUNCTION heroku_ext gen_random_uuid() postgres\n");
        assertEquals(0, parity("development", "restore", "production").exitCode);
        assertFalse(programs().contains("psql"), programs().toString());
    }

    @Test
    void failedDownloadNeverDropsTheLocalDatabase() {
        server.failWith(500);
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("'download the backup' failed") && r.err.contains("HTTP 500"), r.err);
        assertTrue(r.err.contains("not run: check the dump, drop the local database"), r.err);
        assertFalse(r.err.contains("s3cr3t-signature"), "signed URL stays secret: " + r.err);
        assertEquals(List.of("heroku pg:backups:url"), programs());
    }

    @Test
    void downloadCutShortNeverDropsTheLocalDatabase() {
        server.cutAfter(10);
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("'download the backup' failed"), r.err);
        assertEquals(List.of("heroku pg:backups:url"), programs());
    }

    @Test
    void errorPageSavedAsBackupNeverDropsTheLocalDatabase() {
        server.serve("<html>NoSuchKey</html>".getBytes());
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("not a PostgreSQL custom-format dump"), r.err);
        assertEquals(List.of("heroku pg:backups:url"), programs());
    }

    @Test
    void dumpPgRestoreCannotReadNeverDropsTheLocalDatabase() {
        runner.answer(startsWith("pg_restore", "--list"), 1, "")
                .answer(startsWith("pg_restore", "--version"), 0, "pg_restore (PostgreSQL) 15.18\n");
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("corrupt or incomplete"), r.err);
        assertFalse(programs().contains("dropdb"));
    }

    @Test
    void dumpNewerThanLocalPgRestoreNamesTheClientVersionNeeded() {
        server.serve(Dumps.header(16, "17.2"));
        runner.answer(startsWith("pg_restore", "--list"), 1, "")
                .answer(startsWith("pg_restore", "--version"), 0, "pg_restore (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n");
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("PostgreSQL 17 client"), r.err);
        assertTrue(r.err.contains("15.18"), r.err);
        assertFalse(programs().contains("dropdb"));
    }

    @Test
    void failingBackupUrlStopsBeforeAnyDownload() {
        runner.fail(startsWith("heroku", "pg:backups:url"), 2);
        Run r = parity("development", "restore", "production");
        assertEquals(2, r.exitCode);
        assertEquals(0, server.requests());
        assertEquals(List.of("heroku pg:backups:url"), programs());
    }

    @Test
    void noBackupYetSaysHowToCaptureOne() {
        runner.answer(startsWith("heroku", "pg:backups:url"), 0, "\n");
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("production backup"), r.err);
    }

    @Test
    void failingDropOrRestoreKeepsItsExitCode() {
        runner.fail(c -> c.program().equals("dropdb"), 1);
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertFalse(programs().contains("createdb"));

        runner.fail(startsWith("pg_restore", "--no-acl"), 4);
        runner.answer(c -> c.program().equals("dropdb"), 0, "");
        r = parity("development", "restore", "production");
        assertEquals(4, r.exitCode);
        assertTrue(r.err.contains("'restore into " + DB + "' failed"), r.err);
    }

    @Test
    void parallelizeBeforeTheSourceIsStillAFlag() {
        Run r = parity("development", "restore", "--parallelize", "production");
        assertEquals(0, r.exitCode, r.toString());
        List<String> restore = runner.actions().get(runner.actions().size() - 1);
        assertTrue(restore.contains("--jobs=" + Runtime.getRuntime().availableProcessors()), restore.toString());
        assertEquals(List.of("heroku", "pg:backups:url", "--app", PROD), runner.actions().get(0));
    }

    @Test
    void jobsAndExtraArgumentsReachPgRestore() {
        assertEquals(0, parity("development", "restore-from", "production", "--jobs", "3", "--", "--no-comments", "-v").exitCode);
        List<String> restore = runner.actions().get(runner.actions().size() - 1);
        assertEquals(List.of("pg_restore", "--no-acl", "--no-owner", "--dbname", DB, "--jobs=3", "--no-comments", "-v"),
                restore.subList(0, 8));
    }

    @Test
    void stagingFromProductionChecksTheBackupBeforeResetting() {
        Run r = parity("staging", "restore", "production");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(server.requests() >= 1, "the backup URL was checked");
        assertEquals(List.of(
                List.of("heroku", "pg:backups:url", "--app", PROD),
                List.of("heroku", "pg:reset", "--confirm", STAGING, "--app", STAGING),
                List.of("heroku", "pg:backups:restore", server.url(), "DATABASE", "--confirm", STAGING, "--app", STAGING)),
                runner.actions());
        assertFalse(r.err.contains("s3cr3t-signature"), r.err);
    }

    @Test
    void stagingIsNeverResetWhenTheSourceBackupFails() {
        server.failWith(404);
        Run r = parity("staging", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("'check the backup answers' failed"), r.err);
        assertEquals(List.of("heroku pg:backups:url"), programs());

        runner.fail(startsWith("heroku", "pg:backups:url"), 2);
        assertEquals(2, parity("staging", "restore", "production").exitCode);
        assertFalse(programs().contains("heroku pg:reset"));
    }

    @Test
    void failingResetStopsBeforeTheRestore() {
        runner.fail(startsWith("heroku", "pg:reset"), 2);
        assertEquals(2, parity("staging", "restore", "production").exitCode);
        assertEquals(List.of("heroku pg:backups:url", "heroku pg:reset"), programs());
    }

    @Test
    void stagingFromDevelopmentChecksTheLocalDatabaseThenPushes() {
        Run r = parity("staging", "restore", "development");
        assertEquals(0, r.exitCode, r.toString());
        List<List<String>> a = runner.actions();
        assertEquals("psql", a.get(0).get(0));
        assertEquals(List.of("heroku", "pg:reset", "--confirm", STAGING, "--app", STAGING), a.get(1));
        assertEquals(List.of("heroku", "pg:push", DB, "DATABASE_URL", "--app", STAGING), a.get(2));
    }

    @Test
    void unreadableLocalDatabaseNeverResetsTheTarget() {
        runner.fail(c -> c.program().equals("psql"), 2);
        Run r = parity("staging", "restore", "development");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("cannot be read"), r.err);
        assertEquals(List.of("psql"), programs());
    }

    @Test
    void productionIsRefusedWithoutForce() {
        Run r = parity("production", "restore", "staging");
        assertEquals(3, r.exitCode);
        assertTrue(r.err.contains("--force"), r.err);
        assertTrue(runner.actions().isEmpty());
        assertEquals(3, parity("production", "restore", "staging", "--dry-run").exitCode);
    }

    @Test
    void productionWithForceNeedsTheAppNameTyped() {
        Run wrong = Run.parity(repo, runner, Map.of(), "myapp-staging\n", "production", "restore", "staging", "--force");
        assertEquals(3, wrong.exitCode);
        assertTrue(wrong.err.contains("did not match " + PROD), wrong.err);
        assertFalse(programs().contains("heroku pg:reset"));

        Run right = Run.parity(repo, runner, Map.of(), PROD + "\n", "production", "restore", "staging", "--force");
        assertEquals(0, right.exitCode, right.toString());
        assertTrue(right.err.contains("Type " + PROD), right.err);
        assertTrue(runner.actions().contains(List.of("heroku", "pg:reset", "--confirm", PROD, "--app", PROD)));
    }

    @Test
    void productionWithForceAndNoTerminalNeedsConfirm() {
        Run r = parity("production", "restore", "staging", "--force");
        assertEquals(3, r.exitCode);
        assertTrue(r.err.contains("--confirm " + PROD), r.err);
        assertFalse(programs().contains("heroku pg:reset"));

        assertEquals(3, parity("production", "restore", "staging", "--force", "--confirm", "wrong").exitCode);
        assertFalse(programs().contains("heroku pg:reset"));
        assertEquals(0, parity("production", "restore", "staging", "--force", "--confirm", PROD).exitCode);
        assertTrue(programs().contains("heroku pg:reset"));
    }

    @Test
    void restoreFromItselfIsAUsageError() {
        assertEquals(2, parity("staging", "restore", "staging").exitCode);
        assertEquals(2, parity("development", "restore", "development").exitCode);
        assertTrue(runner.actions().isEmpty());
    }

    @Test
    void dryRunPrintsEveryStepAndRunsNothing() {
        Run r = parity("development", "restore", "production", "--dry-run");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(runner.actions().isEmpty(), runner.actions().toString());
        assertEquals(0, server.requests());
        for (String expected : new String[] {"$ heroku pg:backups:url --app " + PROD, "download <backup URL>",
                "pg_restore --list", "$ dropdb --if-exists " + DB, "$ createdb " + DB,
                "$ pg_restore --no-acl --no-owner --dbname " + DB + " '<dump file>'", "local database: " + DB}) {
            assertTrue(r.out.contains(expected), expected + "\n" + r.out);
        }
    }

    @Test
    void backupIdPicksThatBackup() {
        assertEquals(0, parity("development", "restore", "production", "--backup-id", "b042").exitCode);
        assertEquals(List.of("heroku", "pg:backups:url", "b042", "--app", PROD), runner.actions().get(0));
        assertEquals(2, parity("development", "restore", "production", "--backup-id", "latest; rm -rf /").exitCode);
    }

    @Test
    void backupUrlSkipsTheLookupAndStaysSecret() {
        Run r = parity("staging", "restore", "production", "--backup-url", server.url());
        assertEquals(0, r.exitCode, r.toString());
        assertFalse(programs().contains("heroku pg:backups:url"), programs().toString());
        assertEquals(List.of("heroku", "pg:backups:restore", server.url(), "DATABASE", "--confirm", STAGING, "--app", STAGING),
                runner.actions().get(runner.actions().size() - 1));
        assertFalse((r.out + r.err).contains("s3cr3t-signature"), r.toString());

        Run plan = parity("development", "restore", "production", "--backup-url", server.url(), "--dry-run");
        assertEquals(0, plan.exitCode);
        assertFalse(plan.out.contains("s3cr3t-signature"), plan.out);
        assertEquals(2, parity("development", "restore", "production", "--backup-url", server.url(), "--backup-id", "b1").exitCode);
    }

    @Test
    void badBackupUrlFailsBeforeAnythingIsTouched() {
        Run r = parity("development", "restore", "production", "--backup-url", "file:///etc/passwd");
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("--backup-url must be an http(s) URL"), r.err);
        assertTrue(runner.actions().isEmpty(), runner.actions().toString());
    }
}
