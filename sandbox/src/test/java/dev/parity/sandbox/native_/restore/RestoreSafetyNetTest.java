package dev.parity.sandbox.native_.restore;

import static dev.parity.sandbox.native_.restore.RestoreBetweenAppsTest.assertNotRun;
import static dev.parity.sandbox.native_.restore.RestoreBetweenAppsTest.assertOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.native_.restore.RestoreSandbox.Outcome;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.support.DumpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The remote safety net on the sandbox: a backup whose body is cut short is refused before
 * staging is reset; staging is backed up before its reset, and a restore that fails after the
 * reset puts that backup back by itself; {@code staging restore --undo} puts it back later;
 * {@code --no-backup} skips it.
 */
class RestoreSafetyNetTest {
    static final String STAGING_TABLE = "staging_only";
    static final int STAGING_ROWS = 11;

    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App production;
    static App staging;
    static String productionFingerprint;
    static byte[] productionDump;
    static DumpServer server;

    @BeforeAll
    static void productionWithABackup() throws Exception {
        s = RestoreSandbox.start(tmp);
        production = s.app("production", "mill-production");
        staging = s.app("staging", "mill-staging");
        s.sql(production, RestoreSandbox.SHOP + RestoreSandbox.shopRows(40, 3000));
        productionFingerprint = s.fingerprint(production);
        assertEquals("b001", s.capture(production));
        // backup URLs are https:// with the sandbox's own CA
        HttpClient trusting = HttpClient.newBuilder()
                .sslContext(dev.parity.sandbox.run.Certificates.trusting(s.f.sandbox().caCertificate())).build();
        HttpResponse<byte[]> dump = trusting.send(HttpRequest.newBuilder(URI.create(s.publicUrl(production, 1))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, dump.statusCode());
        productionDump = dump.body();
        server = new DumpServer();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (s != null) s.close();
    }

    @BeforeEach
    void stagingHasItsOwnData() {
        s.ownData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    @AfterEach
    void noFaultsLeft() {
        s.clearFaults();
    }

    /**
     * The first example: a dump whose header and table of contents read fine but whose body is
     * cut short (here: at a third, at two thirds, one byte short) is refused before the reset.
     */
    @ParameterizedTest(name = "cut to {0} of its length")
    @ValueSource(strings = {"1/3", "2/3", "all but one byte"})
    void aBackupUrlWithATruncatedBodyIsRefusedBeforeStagingIsReset(String where) throws Exception {
        int length = switch (where) {
            case "1/3" -> productionDump.length / 3;
            case "2/3" -> productionDump.length * 2 / 3;
            default -> productionDump.length - 1;
        };
        server.serve(Arrays.copyOf(productionDump, length));
        Outcome r = s.parity("staging", "restore", "production", "--backup-url", server.url());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'check the backup is whole' failed: the dump at "), r.err());
        assertTrue(r.err().contains(" is not whole: "), r.err());
        assertFalse((r.out() + r.err()).contains("s3cr3t-signature"), r.toString());
        assertNotRun(r, "back up the database of staging (mill-staging)");
        assertNotRun(r, "reset the database of staging (mill-staging)");
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    @Test
    void aWholeBackupUrlIsRestoredAfterASafetyBackup() throws Exception {
        server.serve(productionDump);
        Outcome r = s.parity("staging", "restore", "production", "--backup-url", server.url());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(productionFingerprint, s.fingerprint(staging));
        assertTrue(r.err().contains("parity: the backup is whole: "), r.err());
        assertOrder(r.err(), "check the backup is whole", "back up the database of staging (mill-staging)",
                "reset the database of staging (mill-staging)", "restore the backup into staging (mill-staging)", "compare table counts");
    }

    /** pg:backups:restore fails after the reset (the sandbox recreates staging empty, then fails): the safety backup goes back. */
    @Test
    void aRestoreThatFailsAfterTheResetPutsStagingsBackupBack() throws Exception {
        s.f.sandbox().faults().failRestores(1);
        Outcome r = s.parity("staging", "restore", "production");
        assertNotEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'restore the backup into staging (mill-staging)' failed"), r.err());
        String backup = safetyBackupName(r);
        assertTrue(r.err().contains("parity: the restore failed after staging (mill-staging) was reset; putting back its backup " + backup),
                r.err());
        assertTrue(r.err().contains("parity: staging (mill-staging) has its database from before the restore again (backup " + backup + ")"),
                r.err());
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    /** The automatic put-back fails too: parity says exactly what to run, and running it works. */
    @Test
    void whenPuttingTheBackupBackFailsTooTheCommandToRunIsPrinted() throws Exception {
        s.f.sandbox().faults().failRestores(2);
        Outcome r = s.parity("staging", "restore", "production");
        assertNotEquals(0, r.exitCode(), r.toString());
        String backup = safetyBackupName(r);
        String command = "heroku pg:backups:restore mill-staging::" + backup + " DATABASE --confirm mill-staging --app mill-staging";
        assertTrue(r.err().contains("parity: putting back backup " + backup + " failed too (status "), r.err());
        assertTrue(r.err().contains("staging (mill-staging) may be empty. Put it back with: " + command
                + "   (or: staging restore --undo)"), r.err());
        SandboxFixture.Outcome fixed = s.f.heroku(command.substring("heroku ".length()).split(" "));
        assertEquals(0, fixed.exitCode(), fixed.toString());
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    /**
     * Ctrl-C while the backup is being restored into the reset staging: parity stops (no long
     * restore inside an interrupt) and its last line says exactly what to run, which works.
     */
    @Test
    void anInterruptAfterTheResetSaysHowToPutTheBackupBack() throws Exception {
        Path err = Files.createTempFile(tmp, "interrupted", ".err");
        Process p = s.start(s.slow("pg:backups:restore", 60), err, "staging", "restore", "production");
        try {
            for (int i = 0; i < 1200 && !Files.readString(err).contains("] restore the backup into staging (mill-staging)\n"); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(err).contains("] restore the backup into staging (mill-staging)\n"), Files.readString(err));
            new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "parity ended");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String said = Files.readString(err);
        assertEquals(130, p.exitValue(), said);
        // the heroku parity started (here still starting up) is ended with it: it must not send its restore later
        assertTrue(ProcessHandle.allProcesses().noneMatch(h -> h.info().commandLine().orElse("").contains("shim-slow-pg-backups-restore")),
                "the heroku that parity started is still running after parity ended");
        Matcher m = Pattern.compile("database before this restore is backup (b\\d+)").matcher(said);
        assertTrue(m.find(), said);
        String command = "heroku pg:backups:restore mill-staging::" + m.group(1) + " DATABASE --confirm mill-staging --app mill-staging";
        String last = said.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("parity: interrupted by SIGINT") && last.endsWith("staging (mill-staging) was reset and may be empty:"
                + " put back its backup from before the restore with: " + command + "   (or: staging restore --undo)"), said);
        assertFalse(said.contains("putting back its backup"), said);
        SandboxFixture.Outcome fixed = s.f.heroku(command.substring("heroku ".length()).split(" "));
        assertEquals(0, fixed.exitCode(), fixed.toString());
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);
    }

    @Test
    void undoPutsBackWhatStagingHadBeforeTheRestoreAndAgainSwitchesBack() throws Exception {
        Outcome r = s.parity("staging", "restore", "production");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(productionFingerprint, s.fingerprint(staging));
        String before = safetyBackupName(r);
        assertTrue(r.err().contains("(put it back later with: staging restore --undo)"), r.err());
        Path record = s.cache.resolve("parity/safety-backups/mill-staging");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(record)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(record.getParent())));
        assertTrue(Files.readString(record).contains("backup=" + before), Files.readString(record));

        Outcome undo = s.parity("staging", "restore", "--undo");
        assertEquals(0, undo.exitCode(), undo.toString());
        assertTrue(undo.err().contains("put back backup " + before + " (mill-staging, taken "), undo.err());
        s.assertOwnData(staging, STAGING_TABLE, STAGING_ROWS);

        Outcome again = s.parity("staging", "restore", "--undo");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(productionFingerprint, s.fingerprint(staging), "--undo again switches back");
    }

    @Test
    void noBackupSkipsTheCapture() throws Exception {
        int backups = backups(staging);
        Outcome r = s.parity("staging", "restore", "production", "--no-backup");
        assertEquals(0, r.exitCode(), r.toString());
        assertFalse(r.err().contains("back up the database of staging"), r.err());
        assertEquals(backups, backups(staging), "no backup of staging was captured");
        assertEquals(productionFingerprint, s.fingerprint(staging));
    }

    @Test
    void undoIntoProductionStillNeedsForce() throws Exception {
        Outcome r = s.parity("production", "restore", "--undo");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("re-run with --force"), r.err());
        Outcome closed = s.parity("production", "restore", "--undo", "--force");
        assertNotEquals(0, closed.exitCode(), closed.toString());
        assertEquals(productionFingerprint, s.fingerprint(production));
    }

    /** The name of the safety backup, as parity announced it. */
    private static String safetyBackupName(Outcome r) {
        Matcher m = Pattern.compile("staging \\(mill-staging\\)'s database before this restore is backup (b\\d+)").matcher(r.err());
        assertTrue(m.find(), r.err());
        return m.group(1);
    }

    private static int backups(App app) throws Exception {
        SandboxFixture.Outcome o = s.f.heroku("pg:backups", "--app", app.name);
        assertEquals(0, o.exitCode(), o.toString());
        return (int) Pattern.compile("(?m)^b\\d{3}").matcher(o.out()).results().count();
    }
}
