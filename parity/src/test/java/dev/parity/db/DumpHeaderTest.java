package dev.parity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.Dumps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DumpHeaderTest {

    @TempDir
    Path tmp;

    private Path file(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(tmp, "b", ".dump"), bytes);
    }

    /** archive minor version | pg_dump version */
    @ParameterizedTest(name = "[{index}] 1.{0} by pg_dump {1}")
    @CsvSource({"14, 15.4", "16, 17.2", "15, 16.1", "13, 12.17", "16, 17.2 (Debian 17.2-1.pgdg120+1)"})
    void readsFormatAndPgDumpVersion(int minor, String pgDump) throws IOException {
        DumpHeader h = DumpHeader.read(file(Dumps.header(minor, pgDump))).orElseThrow();
        assertEquals(1, h.major());
        assertEquals(minor, h.minor());
        assertEquals(0, h.revision());
        assertEquals("1." + minor, h.formatVersion());
        assertEquals(Optional.of(pgDump), h.pgDumpVersion());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"<html><body>AccessDenied</body></html>", "PGDM", "pgdmp", "-- PostgreSQL database dump\n",
            "\u0000\u0000\u0000\u0000\u0000\u0000"})
    void notADumpIsEmpty(String content) throws IOException {
        assertEquals(Optional.empty(), DumpHeader.read(file(content.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void emptyFileIsEmpty() throws IOException {
        assertEquals(Optional.empty(), DumpHeader.read(file(new byte[0])));
    }

    @Test
    void truncatedRightAfterTheMagicIsEmpty() throws IOException {
        assertEquals(Optional.empty(), DumpHeader.read(file("PGDMP".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void truncatedInsideTheVersionBytesIsEmpty() throws IOException {
        assertEquals(Optional.empty(), DumpHeader.read(file(Arrays.copyOf(Dumps.header(16, "17.2"), 7))));
    }

    /** Every cut of a real header reads without an exception: no dump before the version bytes, a dump after. */
    @Test
    void truncatedAnywhereNeverThrows() throws IOException {
        byte[] full = Dumps.header(16, "17.2");
        for (int length = 0; length < full.length; length++) {
            Optional<DumpHeader> h = DumpHeader.read(file(Arrays.copyOf(full, length)));
            if (length < 8) assertEquals(Optional.empty(), h, "length " + length);
            else assertEquals(16, h.orElseThrow().minor(), "length " + length);
        }
    }

    @Test
    void truncatedAnywhereNeverInventsAVersion() throws IOException {
        byte[] full = Dumps.header(16, "17.2");
        for (int length = 8; length < full.length; length++) {
            Optional<String> v = DumpHeader.read(file(Arrays.copyOf(full, length))).orElseThrow().pgDumpVersion();
            assertTrue(v.isEmpty() || v.get().equals("17.2"), "length " + length + ": " + v);
        }
    }

    @Test
    void headerCutBeforeThePgDumpVersionHasNoVersion() throws IOException {
        byte[] full = Dumps.header(14, "15.4");
        assertEquals(Optional.empty(), DumpHeader.read(file(Arrays.copyOf(full, 20))).orElseThrow().pgDumpVersion());
    }

    @Test
    void implausibleStringLengthGivesNoVersionInsteadOfReadingOn() throws IOException {
        byte[] b = Dumps.header(16, "17.2");
        // the database-name length follows magic(5) + version(3) + sizes/format(3) + compression(1) + 7 ints of 5 bytes
        int at = 5 + 3 + 3 + 1 + 7 * 5;
        b[at + 1] = (byte) 0xff;
        b[at + 2] = (byte) 0xff;
        b[at + 3] = (byte) 0xff;
        b[at + 4] = (byte) 0x7f;
        DumpHeader h = DumpHeader.read(file(b)).orElseThrow();
        assertEquals(Optional.empty(), h.pgDumpVersion());
    }

    @Test
    void magicIsRecognisedFromTheFirstBytes() {
        assertTrue(DumpHeader.startsWithMagic("PGDMP\u0001\u0010".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(DumpHeader.startsWithMagic("PGDM".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(DumpHeader.startsWithMagic(new byte[0]));
        assertFalse(DumpHeader.startsWithMagic("<html>".getBytes(StandardCharsets.US_ASCII)));
    }
}
