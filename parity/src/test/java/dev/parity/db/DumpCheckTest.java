package dev.parity.db;

import static dev.parity.support.RecordingRunner.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import dev.parity.support.Dumps;
import dev.parity.support.RecordingRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DumpCheckTest {
    static final String TOC = """
            ;
            ; Archive created at 2024-06-07 10:00:00 UTC
            ;
            215; 1259 16385 TABLE public users postgres
            8; 2615 16386 SCHEMA - heroku_ext postgres
            """;

    @TempDir
    Path tmp;

    private Path dump(byte[] bytes) throws IOException {
        return Files.write(tmp.resolve("latest.dump"), bytes);
    }

    @Test
    void notADumpFailsBeforeRunningPgRestore() throws Exception {
        Path f = dump("<html><body>AccessDenied</body></html>".getBytes(StandardCharsets.UTF_8));
        RecordingRunner runner = new RecordingRunner();
        StepFailed e = assertThrows(StepFailed.class, () -> DumpCheck.check(runner, f));
        assertTrue(e.getMessage().contains("not a PostgreSQL custom-format dump"), e.getMessage());
        assertTrue(e.getMessage().contains("no database was touched"), e.getMessage());
        assertEquals(ExitCodes.FAILED, e.exitCode());
        assertTrue(runner.commands().isEmpty(), "pg_restore never ran");
    }

    @Test
    void emptyFileIsNotADump() throws Exception {
        Path f = dump(new byte[0]);
        StepFailed e = assertThrows(StepFailed.class, () -> DumpCheck.check(new RecordingRunner(), f));
        assertTrue(e.getMessage().contains("not a PostgreSQL custom-format dump"), e.getMessage());
    }

    @Test
    void missingFileFailsWithoutRunningPgRestore() {
        RecordingRunner runner = new RecordingRunner();
        StepFailed e = assertThrows(StepFailed.class, () -> DumpCheck.check(runner, tmp.resolve("gone.dump")));
        assertTrue(e.getMessage().contains("cannot read the downloaded dump"), e.getMessage());
        assertTrue(runner.commands().isEmpty());
    }

    @Test
    void listSuccessReturnsTheTableOfContents() throws Exception {
        Path f = dump(Dumps.header(16, "17.2"));
        RecordingRunner runner = new RecordingRunner().answer(startsWith("pg_restore", "--list"), 0, TOC);
        assertEquals(TOC, DumpCheck.check(runner, f));
        assertEquals(List.of(List.of("pg_restore", "--list", f.toString())),
                runner.commands().stream().map(c -> c.argv()).toList());
        assertTrue(runner.commands().get(0).capture(), "the table of contents is captured");
    }

    @Test
    void listFailureWithAnOlderLocalPgRestoreNamesTheClientToInstall() throws Exception {
        Path f = dump(Dumps.header(16, "17.2"));
        RecordingRunner runner = new RecordingRunner()
                .fail(startsWith("pg_restore", "--list"), 1)
                .answer(startsWith("pg_restore", "--version"), 0, "pg_restore (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n");
        StepFailed e = assertThrows(StepFailed.class, () -> DumpCheck.check(runner, f));
        assertTrue(e.getMessage().contains("PostgreSQL 17 client"), e.getMessage());
        assertTrue(e.getMessage().contains("15.18"), e.getMessage());
        assertTrue(e.getMessage().contains("17.2"), e.getMessage());
        assertTrue(e.getMessage().contains("no database was touched"), e.getMessage());
        assertEquals(ExitCodes.FAILED, e.exitCode());
    }

    @Test
    void listFailureWithAnOlderLocalPgRestoreAndADistroSuffixedDumpVersion() throws Exception {
        Path f = dump(Dumps.header(16, "17.2 (Ubuntu 17.2-1.pgdg22.04+1)"));
        RecordingRunner runner = new RecordingRunner()
                .fail(startsWith("pg_restore", "--list"), 1)
                .answer(startsWith("pg_restore", "--version"), 0, "pg_restore (PostgreSQL) 16.4\n");
        StepFailed e = assertThrows(StepFailed.class, () -> DumpCheck.check(runner, f));
        assertTrue(e.getMessage().contains("PostgreSQL 17 client"), e.getMessage());
    }

    /** local pg_restore --version output */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {"pg_restore (PostgreSQL) 17.2", "pg_restore (PostgreSQL) 18.0", "''"})
    void listFailureWithALocalPgRestoreNotOlderSaysTheDumpIsCorrupt(String version) throws Exception {
        Path f = dump(Dumps.header(16, "17.2"));
        RecordingRunner runner = new RecordingRunner()
                .fail(startsWith("pg_restore", "--list"), 1)
                .answer(startsWith("pg_restore", "--version"), 0, version);
        StepFailed e = assertThrows(StepFailed.class, () -> DumpCheck.check(runner, f));
        assertTrue(e.getMessage().contains("corrupt or incomplete"), e.getMessage());
        assertTrue(e.getMessage().contains("archive format 1.16"), e.getMessage());
        assertFalse(e.getMessage().contains("client or newer"), e.getMessage());
        assertEquals(1, e.exitCode());
    }

    @Test
    void listFailureKeepsPgRestoresExitCode() throws Exception {
        Path f = dump(Dumps.header(14, "15.4"));
        RecordingRunner runner = new RecordingRunner()
                .fail(startsWith("pg_restore", "--list"), 3)
                .answer(startsWith("pg_restore", "--version"), 0, "pg_restore (PostgreSQL) 15.4");
        StepFailed e = assertThrows(StepFailed.class, () -> DumpCheck.check(runner, f));
        assertEquals(3, e.exitCode());
        assertTrue(e.getMessage().contains("written by pg_dump 15.4"), e.getMessage());
    }

    @Test
    void mentionsFindsAWholeName() {
        assertTrue(DumpCheck.mentions(TOC, "heroku_ext"));
        assertTrue(DumpCheck.mentions(TOC, "users"));
        assertTrue(DumpCheck.mentions("COMMENT ON EXTENSION heroku_ext.pg_stat_statements", "heroku_ext"));
    }

    @Test
    void mentionsRespectsWordBoundaries() {
        assertFalse(DumpCheck.mentions("8; 2615 16386 SCHEMA - heroku_extension postgres", "heroku_ext"));
        assertFalse(DumpCheck.mentions("8; 2615 16386 SCHEMA - my_heroku_ext postgres", "heroku_ext"));
        assertFalse(DumpCheck.mentions("TABLE public users_archive", "users"));
        assertFalse(DumpCheck.mentions("", "heroku_ext"));
    }

    @Test
    void mentionsTreatsTheNameLiterally() {
        assertFalse(DumpCheck.mentions("TABLE public aXb", "a.b"));
        assertTrue(DumpCheck.mentions("TABLE public a.b", "a.b"));
    }

    @Test
    void majorVersionIsTheLeadingNumber() {
        assertEquals(java.util.Optional.of(17), DumpCheck.major("17.2"));
        assertEquals(java.util.Optional.of(9), DumpCheck.major("9.6.24"));
        assertEquals(java.util.Optional.of(16), DumpCheck.major("16beta1"));
        assertEquals(java.util.Optional.empty(), DumpCheck.major("unknown version"));
    }
}
