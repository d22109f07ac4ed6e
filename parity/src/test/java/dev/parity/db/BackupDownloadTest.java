package dev.parity.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.parity.support.RecordingRunner.startsWith;

import dev.parity.process.Command;
import dev.parity.process.Result;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import dev.parity.support.DumpServer;
import dev.parity.support.Dumps;
import dev.parity.support.RecordingRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BackupDownload#fetch} against a loopback server: whole downloads, resumes after a dropped
 * connection, servers without Range, reuse of a kept dump, and failures that never print the URL's secret.
 */
class BackupDownloadTest {
    /** Bigger than the download buffer (256 KiB), so a transfer takes several reads. */
    static final int SIZE = 1024 * 1024 + 123;
    static final byte[] DUMP = dump("15.4", 42);
    /** Another backup: same size, a different head (another pg_dump version, other contents). */
    static final byte[] OTHER_DUMP = dump("15.5", 7);
    static long pauseBefore;

    @TempDir
    Path dir;
    DumpServer server;
    Path complete;
    Path part;
    Recorded progress;

    @BeforeAll
    static void fastRetries() {
        pauseBefore = DownloadPauses.set(1);
    }

    @AfterAll
    static void restorePauses() {
        DownloadPauses.set(pauseBefore);
    }

    @BeforeEach
    void setUp() throws IOException {
        server = new DumpServer().serve(DUMP);
        complete = dir.resolve("myapp-b042.dump");
        part = dir.resolve("myapp-b042.dump.part");
        progress = new Recorded();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    static byte[] dump(String pgDumpVersion, long seed) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(Dumps.header(14, pgDumpVersion));
        byte[] rest = new byte[SIZE - b.size()];
        new Random(seed).nextBytes(rest);
        b.writeBytes(rest);
        return b.toByteArray();
    }

    BackupDownload.Fetched fetch() throws Exception {
        return BackupDownload.fetch(server.url(), complete, part, progress);
    }

    /** Progress callbacks, as they were called. */
    static class Recorded implements BackupDownload.Progress {
        final List<String> calls = new ArrayList<>();
        final List<Long> ticks = new ArrayList<>();

        @Override
        public LongConsumer start(long total, long from) {
            calls.add("start " + total + " from " + from);
            return ticks::add;
        }

        @Override
        public void finish(long bytes) {
            calls.add("finish " + bytes);
        }

        @Override
        public void abandon() {
            calls.add("abandon");
        }
    }

    @Test
    void wholeDownloadArrivesByteForByteInAPrivateFile() throws Exception {
        BackupDownload.Fetched got = fetch();
        assertEquals(new BackupDownload.Fetched(complete, SIZE, false, 0), got);
        assertArrayEquals(DUMP, Files.readAllBytes(complete));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(complete)));
        assertFalse(Files.exists(part), "the .part file became the dump");
        assertEquals(List.of("start " + SIZE + " from 0", "finish " + SIZE), progress.calls);
        assertEquals(SIZE, progress.ticks.get(progress.ticks.size() - 1));
        assertTrue(progress.ticks.size() >= 2, "progress while it downloads: " + progress.ticks);
        assertEquals(List.of("bytes=0-" + (BackupDownload.HEAD_BYTES - 1), ""), server.ranges(), "a 4 KiB probe, then one download");
    }

    @Test
    void droppedConnectionResumesWithRangeWhereItStopped() throws Exception {
        server.cutOnceAfter(300_000);
        BackupDownload.Fetched got = fetch();
        assertEquals(SIZE, got.bytes());
        assertArrayEquals(DUMP, Files.readAllBytes(complete), "resumed download is byte-identical");
        assertEquals(List.of("bytes=0-4095", "", "bytes=300000-"), server.ranges());
        assertEquals(BackupDownload.HEAD_BYTES + SIZE, server.bytesSent(), "no byte was sent twice");
    }

    @Test
    void aPartLeftByAnEarlierRunOfTheSameBackupIsContinued() throws Exception {
        Files.write(part, Arrays.copyOf(DUMP, 500_000));
        BackupDownload.Fetched got = fetch();
        assertEquals(new BackupDownload.Fetched(complete, SIZE, false, 500_000), got);
        assertArrayEquals(DUMP, Files.readAllBytes(complete));
        assertEquals(List.of("bytes=0-4095", "bytes=500000-"), server.ranges());
        assertEquals(List.of("start " + SIZE + " from 500000", "finish " + SIZE), progress.calls);
    }

    @Test
    void serverIgnoringRangeMakesTheDownloadStartOver() throws Exception {
        server.ignoreRange().cutOnceAfter(300_000);
        BackupDownload.Fetched got = fetch();
        assertEquals(SIZE, got.bytes());
        assertArrayEquals(DUMP, Files.readAllBytes(complete), "the restart replaced the first bytes, it did not append to them");
        List<String> ranges = server.ranges();
        assertEquals(3, ranges.size(), ranges.toString());
        assertEquals("bytes=300000-", ranges.get(2), "it asked to resume; the server sent everything again");
    }

    @Test
    void aPartOfAnotherBackupIsDiscarded() throws Exception {
        Files.write(part, Arrays.copyOf(OTHER_DUMP, 500_000));
        BackupDownload.Fetched got = fetch();
        assertEquals(0, got.resumedFrom());
        assertArrayEquals(DUMP, Files.readAllBytes(complete));
        assertEquals(List.of("bytes=0-4095", ""), server.ranges(), "downloaded from the start");
    }

    @Test
    void aPartLongerThanTheBackupIsDiscarded() throws Exception {
        byte[] longer = Arrays.copyOf(DUMP, SIZE + 10);
        Files.write(part, longer);
        assertEquals(0, fetch().resumedFrom());
        assertArrayEquals(DUMP, Files.readAllBytes(complete));
    }

    @Test
    void aCompleteDumpOfTheSameBackupIsReusedWithoutDownloadingIt() throws Exception {
        fetch();
        int requests = server.requests();
        long sent = server.bytesSent();
        Recorded again = new Recorded();
        BackupDownload.Fetched got = BackupDownload.fetch(server.url(), complete, part, again);
        assertEquals(new BackupDownload.Fetched(complete, SIZE, true, SIZE), got);
        assertEquals(requests + 1, server.requests(), "only the probe");
        assertTrue(server.bytesSent() - sent <= BackupDownload.HEAD_BYTES, "at most the probe's bytes: " + (server.bytesSent() - sent));
        assertEquals(List.of(), again.calls, "no progress bar for a reused dump");
        assertArrayEquals(DUMP, Files.readAllBytes(complete));
    }

    @Test
    void aCompleteDumpOfAnotherBackupIsReplaced() throws Exception {
        Files.write(complete, OTHER_DUMP);
        BackupDownload.Fetched got = fetch();
        assertFalse(got.reused());
        assertArrayEquals(DUMP, Files.readAllBytes(complete));
    }

    @Test
    void sizeDifferentFromWhatTheServerAnnouncedFailsAndKeepsNoDump() {
        server.announceTotal(SIZE + 100); // the probe says one size, the download delivers another
        StepFailed e = assertThrows(StepFailed.class, this::fetch);
        assertEquals(ExitCodes.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("cut short") && e.getMessage().contains("no database was touched"), e.getMessage());
        assertTrue(e.getMessage().contains("announced"), e.getMessage());
        assertFalse(Files.exists(complete), "nothing that looks complete is left");
        assertTrue(progress.calls.contains("abandon"), progress.calls.toString());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    @Test
    void connectionThatAlwaysDropsGivesUpAfterTheAttemptsAndSaysHowFarItGot() {
        server.cutAfter(300_000);
        StepFailed e = assertThrows(StepFailed.class, this::fetch);
        assertTrue(e.getMessage().contains("got 300000 of " + SIZE + " bytes"), e.getMessage());
        assertFalse(Files.exists(complete));
        assertEquals(1 + 5, server.requests(), "the probe and five attempts");
        assertEquals("bytes=300000-", server.ranges().get(5), "each retry resumes");
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {403, 404, 500})
    void errorStatusFailsBeforeAnyDownloadAndNeverPrintsTheSignature(int status) {
        server.failWith(status);
        StepFailed e = assertThrows(StepFailed.class, this::fetch);
        assertEquals(ExitCodes.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("HTTP " + status), e.getMessage());
        assertTrue(e.getMessage().contains("no database was touched"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertEquals(1, server.requests(), "no download after the probe failed");
        assertFalse(Files.exists(part) || Files.exists(complete));
        if (status == 403) assertTrue(e.getMessage().contains("expire"), "403 is how an expired URL answers: " + e.getMessage());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {403, 404, 500})
    void errorStatusNeverPrintsATokenInTheUrlsPath(int status) {
        server.failWith(status);
        String url = server.url("/download/pathtoken-s3cr3t/b042.dump?X-Amz-Signature=s3cr3t-signature");
        StepFailed e = assertThrows(StepFailed.class, () -> BackupDownload.fetch(url, complete, part, progress));
        assertTrue(e.getMessage().contains("HTTP " + status), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {403, 404, 500})
    void errorStatusOnTheDownloadItselfNeverPrintsTheSignature(int status) {
        server.failDownloadsWith(status);
        StepFailed e = assertThrows(StepFailed.class, this::fetch);
        assertTrue(e.getMessage().contains("HTTP " + status), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertFalse(Files.exists(complete));
        assertEquals(status >= 500 ? 1 + 5 : 2, server.requests(), "server errors are retried, refusals are not");
        assertEquals(List.of("start " + SIZE + " from 0", "abandon"), progress.calls, "the bar is cleared before the error shows");
    }

    @Test
    void theFirstBytesAreShownBeforeAnyDownloadAndMayRefuseIt() {
        List<byte[]> heads = new ArrayList<>();
        Recorded refusing = new Recorded() {
            @Override
            public void head(byte[] first) throws StepFailed {
                heads.add(first);
                throw new StepFailed(7, "written by a newer pg_dump");
            }
        };
        StepFailed e = assertThrows(StepFailed.class, () -> BackupDownload.fetch(server.url(), complete, part, refusing));
        assertEquals(7, e.exitCode());
        assertEquals(1, heads.size());
        assertArrayEquals(Arrays.copyOf(DUMP, BackupDownload.HEAD_BYTES), heads.get(0));
        assertEquals(1, server.requests(), "nothing downloaded");
        assertFalse(Files.exists(part) || Files.exists(complete));
        assertEquals(List.of(), refusing.calls);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"<html><body>NoSuchKey</body></html>",
            "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>", "PGDM"})
    void somethingElseThanADumpIsRejectedBeforeAnyDownload(String page) {
        server.serve(page.getBytes());
        StepFailed e = assertThrows(StepFailed.class, this::fetch);
        assertTrue(e.getMessage().contains("does not serve a PostgreSQL custom-format dump"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertEquals(1, server.requests(), "only the probe");
        assertFalse(Files.exists(part) || Files.exists(complete), "no file was created");
        assertEquals(List.of(), progress.calls);
    }

    @Test
    void anErrorPageFromAServerWithoutRangeIsRejectedAfterItsFirstBytes() {
        byte[] big = ("<html>" + "x".repeat(SIZE) + "</html>").getBytes();
        server.ignoreRange().serve(big);
        StepFailed e = assertThrows(StepFailed.class, this::fetch);
        assertTrue(e.getMessage().contains("does not serve a PostgreSQL custom-format dump"), e.getMessage());
        assertEquals(1, server.requests());
        assertFalse(Files.exists(part) || Files.exists(complete));
    }

    @Test
    void anEmptyFileIsNotABackup() {
        server.serve(new byte[0]).ignoreRange();
        StepFailed e = assertThrows(StepFailed.class, this::fetch);
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void checkAnswersAcceptsADumpAndRejectsAnythingElse() throws Exception {
        BackupDownload.checkAnswers(server.url());
        assertEquals(1, server.requests());
        assertTrue(server.bytesSent() <= BackupDownload.HEAD_BYTES, "only the first bytes: " + server.bytesSent());
        server.serve("<html>gone</html>".getBytes());
        assertThrows(StepFailed.class, () -> BackupDownload.checkAnswers(server.url()));
        server.failWith(403);
        StepFailed e = assertThrows(StepFailed.class, () -> BackupDownload.checkAnswers(server.url()));
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    @Test
    void unreachableServerSaysSoWithoutTheSignature() {
        String url = server.url();
        server.close();
        StepFailed e = assertThrows(StepFailed.class, () -> BackupDownload.fetch(url, complete, part, progress));
        assertTrue(e.getMessage().contains("no database was touched"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    @Test
    void onlyHttpUrlsAreFetched() {
        StepFailed e = assertThrows(StepFailed.class,
                () -> BackupDownload.fetch("file:///etc/passwd?token=s3cr3t", complete, part, progress));
        assertTrue(e.getMessage().contains("not an http(s) URL"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    // ---- the table of contents of a backup that is not downloaded (restores between apps) ----------

    /** pg_restore --list, answered as a real one would: it lists once it has at least {@code needs} bytes of the dump. */
    static RecordingRunner pgRestoreListingFrom(long needs, List<Path> heads, List<Long> sizes) {
        return new RecordingRunner().answerWith(startsWith("pg_restore", "--list"), c -> {
            Path head = Path.of(c.argv().get(c.argv().size() - 1));
            try {
                heads.add(head);
                sizes.add(Files.size(head));
                return Files.size(head) >= needs ? new Result(0, "215; 1259 16386 TABLE public users app\n") : new Result(1, "");
            } catch (IOException e) {
                return new Result(2, e.toString());
            }
        });
    }

    @Test
    void tableOfContentsNeedsOnlyTheStartOfTheBackup() throws Exception {
        List<Path> heads = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        RecordingRunner runner = pgRestoreListingFrom(1, heads, sizes);
        assertEquals(Optional.of("215; 1259 16386 TABLE public users app\n"), BackupDownload.tableOfContents(runner, server.url()));
        assertEquals(List.of("bytes=0-" + (BackupDownload.TOC_PREFIX - 1)), server.ranges());
        assertEquals(List.of(BackupDownload.TOC_PREFIX), sizes);
        assertFalse(Files.exists(heads.get(0).getParent()), "the fetched start and its directory are removed");
        Command list = runner.commands().get(0);
        assertTrue(list.errorFile() != null, "pg_restore's complaints about a cut-off dump are not shown");
    }

    @Test
    void tableOfContentsFetchesMoreUntilItCanBeListed() throws Exception {
        List<Long> sizes = new ArrayList<>();
        RecordingRunner runner = pgRestoreListingFrom(SIZE, new ArrayList<>(), sizes);
        assertTrue(BackupDownload.tableOfContents(runner, server.url()).isPresent());
        assertEquals(List.of(BackupDownload.TOC_PREFIX, (long) SIZE), sizes, "a larger start, up to the whole (small) dump");
        assertEquals(List.of("bytes=0-262143", "bytes=0-2097151"), server.ranges());
    }

    @Test
    void tableOfContentsOfADumpNothingCanListIsEmpty() throws Exception {
        RecordingRunner runner = pgRestoreListingFrom(Long.MAX_VALUE, new ArrayList<>(), new ArrayList<>());
        assertEquals(Optional.empty(), BackupDownload.tableOfContents(runner, server.url()));
    }

    @Test
    void tableOfContentsFromAServerWithoutRangeReadsOnlyWhatItNeeds() throws Exception {
        server.ignoreRange();
        List<Long> sizes = new ArrayList<>();
        assertTrue(BackupDownload.tableOfContents(pgRestoreListingFrom(1, new ArrayList<>(), sizes), server.url()).isPresent());
        assertEquals(List.of(BackupDownload.TOC_PREFIX), sizes);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {403, 404, 500})
    void tableOfContentsOfAnUnansweredUrlFailsWithoutItsSecrets(int status) {
        server.failWith(status);
        String url = server.url("/download/pathtoken-s3cr3t/b042.dump?X-Amz-Signature=s3cr3t-signature");
        StepFailed e = assertThrows(StepFailed.class,
                () -> BackupDownload.tableOfContents(pgRestoreListingFrom(1, new ArrayList<>(), new ArrayList<>()), url));
        assertTrue(e.getMessage().contains("HTTP " + status), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    /**
     * A backup from a newer PostgreSQL than the local pg_restore (Heroku's 17 and a laptop's 15):
     * no amount of it makes it listable here, so it must not be fetched whole to find that out.
     */
    @Test
    void aBackupFromANewerPostgresIsNotFetchedWholeToFindOutItCannotBeListed() throws Exception {
        ByteArrayOutputStream newer = new ByteArrayOutputStream();
        newer.writeBytes(Dumps.header(16, "17.2"));
        byte[] rest = new byte[6 * 1024 * 1024];
        new Random(17).nextBytes(rest);
        newer.writeBytes(rest);
        server.serve(newer.toByteArray());
        RecordingRunner runner = pgRestoreListingFrom(Long.MAX_VALUE, new ArrayList<>(), new ArrayList<>())
                .answer(startsWith("pg_restore", "--version"), 0, "pg_restore (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n");
        assertEquals(Optional.empty(), BackupDownload.tableOfContents(runner, server.url()));
        assertTrue(server.bytesSent() <= BackupDownload.TOC_PREFIX, "fetched " + server.bytesSent() + " of " + newer.size() + " bytes");
    }

    /** A full disk is the kernel's ENOSPC, met for real by writing to /dev/full. */
    @Test
    void aFullDiskFailsAtOnceInsteadOfRetrying() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full");
        BackupDownload.Sink before = BackupDownload.sink;
        BackupDownload.sink = (p, append) -> new java.io.FileOutputStream("/dev/full");
        try {
            StepFailed e = assertThrows(StepFailed.class, this::fetch);
            assertEquals(ExitCodes.FAILED, e.exitCode());
            assertTrue(e.getMessage().startsWith("no space left on the disk of " + dir + " for the "), e.getMessage());
            assertTrue(e.getMessage().endsWith("free some space and run again (a partial download is resumed); no database was touched"),
                    e.getMessage());
            assertEquals(List.of("bytes=0-4095", ""), server.ranges(), "one attempt, no retries");
            assertEquals(List.of("start " + SIZE + " from 0", "abandon"), progress.calls);
        } finally {
            BackupDownload.sink = before;
        }
    }

    @Test
    void theStartOfABackupIsATemporaryFileOfTheRunWhileItIsListed() throws Exception {
        List<Path> heads = new ArrayList<>();
        List<Boolean> registered = new ArrayList<>();
        RecordingRunner runner = new RecordingRunner().answerWith(startsWith("pg_restore", "--list"), c -> {
            Path head = Path.of(c.argv().get(c.argv().size() - 1));
            heads.add(head);
            registered.add(dev.parity.steps.Interruption.temporaryPaths().contains(head.getParent()));
            return new Result(0, "215; 1259 16386 TABLE public users app\n");
        });
        assertTrue(BackupDownload.tableOfContents(runner, server.url()).isPresent());
        assertEquals(List.of(true), registered, "an interrupt while it is listed removes it");
        assertFalse(dev.parity.steps.Interruption.temporaryPaths().contains(heads.get(0).getParent()), "released when done");
        assertFalse(Files.exists(heads.get(0).getParent()));
    }
}
