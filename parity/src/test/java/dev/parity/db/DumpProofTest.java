package dev.parity.db;

import dev.parity.pgcluster.PostgresCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.steps.StepFailed;
import dev.parity.support.DumpServer;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DumpProof} on real dumps written by the real pg_dump: one written to a file (its table of
 * contents records where each table's data starts) and one written to a pipe (it records none),
 * served whole and cut at several points by {@link DumpServer}. A cut dump is refused, whatever
 * the cut; a whole one passes, without a download when the offsets are there.
 */
class DumpProofTest {
    @TempDir
    static Path tmp;
    static PostgresCluster pg;
    /** pg_dump --file: offsets recorded. */
    static byte[] seekable;
    /** pg_dump to a pipe: no offsets. */
    static byte[] piped;
    static DumpToc toc;
    static DumpServer server;

    Path scratch;

    @BeforeAll
    static void dumps() throws Exception {
        pg = PostgresCluster.start(tmp.resolve("clusters"));
        pg.createDatabase("shop");
        // three tables; the biggest one's data comes last, so cuts can land inside it
        pg.psql("shop", "CREATE TABLE a_small (id int PRIMARY KEY, note text); INSERT INTO a_small SELECT g, 'n' || g FROM generate_series(1, 50) g;"
                + " CREATE TABLE b_empty (id int);"
                + " CREATE TABLE c_big (id int PRIMARY KEY, body text);"
                + " INSERT INTO c_big SELECT g, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 20000) g;");
        Path file = tmp.resolve("shop.dump");
        run(List.of(pg.program("pg_dump"), "--format=custom", "--file", file.toString(), "shop"), null);
        seekable = Files.readAllBytes(file);
        Path pipedFile = tmp.resolve("shop-piped.dump");
        run(List.of(pg.program("pg_dump"), "--format=custom", "shop"), pipedFile);
        piped = Files.readAllBytes(pipedFile);
        toc = DumpToc.parse(seekable, seekable.length);
        server = new DumpServer();
    }

    /** Runs a client program against the test cluster; with {@code pipeTo}, its stdout goes through a pipe into that file. */
    private static void run(List<String> argv, Path pipeTo) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(pg.libpqEnv());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        if (pipeTo == null) pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        if (pipeTo != null) {
            try (var in = p.getInputStream()) {
                Files.write(pipeTo, in.readAllBytes());
            }
        }
        assertEquals(0, p.waitFor(), String.join(" ", argv));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (pg != null) pg.close();
    }

    @BeforeEach
    void newScratch() throws Exception {
        scratch = Files.createTempDirectory(tmp, "scratch");
    }

    @Test
    void theTableOfContentsOfARealDumpIsReadWithEveryTablesDataOffset() throws Exception {
        List<String> data = toc.withData().stream().map(DumpToc.Entry::label).toList();
        assertEquals(List.of("TABLE DATA public a_small", "TABLE DATA public b_empty", "TABLE DATA public c_big"),
                data.stream().sorted().toList());
        assertTrue(toc.offsetsRecorded());
        assertEquals("TABLE DATA public c_big", toc.lastData().orElseThrow().label());
        for (DumpToc.Entry e : toc.withData()) assertTrue(e.offset() >= toc.dataStart() && e.offset() < seekable.length, e.toString());
        assertTrue(toc.entries().stream().anyMatch(e -> e.label().equals("TABLE public c_big")), toc.entries().toString());
    }

    @Test
    void aPipedDumpRecordsNoOffsets() throws Exception {
        DumpToc t = DumpToc.parse(piped, piped.length);
        assertFalse(t.offsetsRecorded());
        assertEquals(3, t.withData().size());
    }

    @Test
    void walkingTheDataOfAWholeDumpFindsEveryBlock() throws Exception {
        DumpToc t = DumpToc.parse(piped, piped.length);
        List<Integer> ids = t.walkBlocks(new ByteArrayInputStream(piped, (int) t.dataStart(), piped.length - (int) t.dataStart()))
                .stream().map(DumpToc.Block::dumpId).toList();
        assertEquals(t.withData().stream().map(DumpToc.Entry::dumpId).sorted().toList(), ids.stream().sorted().toList());
    }

    @Test
    void aWholeSeekableDumpIsProvenWithoutADownload() throws Exception {
        server.serve(seekable);
        long before = server.bytesSent();
        DumpProof.Proven p = DumpProof.prove(server.url(), scratch, new NoProgress());
        assertEquals(seekable.length, p.bytes());
        assertTrue(p.downloaded().isEmpty());
        long sent = server.bytesSent() - before;
        // the head, the first bytes for the table of contents, and the last table's data
        assertTrue(sent <= 4096 + DumpProof.TOC_PREFIX + (seekable.length - toc.lastData().orElseThrow().offset()) + 1, "sent " + sent);
        assertEmpty(scratch);
    }

    /** Every cut: inside the header's table of contents, in the first table's data, inside the last table's data, one byte short. */
    @Test
    void aSeekableDumpCutAnywhereIsRefused() throws Exception {
        long lastData = toc.lastData().orElseThrow().offset();
        long[] cuts = {toc.dataStart() / 2, toc.dataStart() - 1, toc.dataStart() + 3, lastData - 1, lastData + 2,
                (lastData + seekable.length) / 2, seekable.length - 5, seekable.length - 1};
        for (long cut : cuts) {
            server.serve(Arrays.copyOf(seekable, (int) cut));
            StepFailed e = assertThrows(StepFailed.class, () -> DumpProof.prove(server.url(), scratch, new NoProgress()), "cut at " + cut);
            assertTrue(e.getMessage().contains(" is not whole: ") && e.getMessage().endsWith("; no database was touched"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cr3t-signature"), e.getMessage());
        }
    }

    @Test
    void aDumpCutInsideItsTableOfContentsSaysSo() throws Exception {
        server.serve(Arrays.copyOf(seekable, (int) toc.dataStart() - 10));
        StepFailed e = assertThrows(StepFailed.class, () -> DumpProof.prove(server.url(), scratch, new NoProgress()));
        assertTrue(e.getMessage().contains("it ends inside its table of contents"), e.getMessage());
    }

    @Test
    void aDumpCutBeforeATablesDataNamesThatTable() throws Exception {
        server.serve(Arrays.copyOf(seekable, (int) toc.lastData().orElseThrow().offset() - 1));
        StepFailed e = assertThrows(StepFailed.class, () -> DumpProof.prove(server.url(), scratch, new NoProgress()));
        assertTrue(e.getMessage().contains("puts the data of TABLE DATA public c_big at byte "), e.getMessage());
    }

    /** A table of contents in a format this reader knows that does not read is damaged: refused, not downloaded. */
    @Test
    void aDamagedTableOfContentsIsRefusedWithoutADownload() throws Exception {
        byte[] damaged = dev.parity.support.Dumps.header(14, "15.4"); // a header, then bytes that are no table of contents
        server.serve(damaged);
        StepFailed e = assertThrows(StepFailed.class, () -> DumpProof.prove(server.url(), scratch, new NoProgress()));
        assertTrue(e.getMessage().contains("its table of contents is damaged"), e.getMessage());
        assertEmpty(scratch);
    }

    /** A format newer than this reader: downloaded whole, and proven by its length only (said so). */
    @Test
    void aNewerFormatIsDownloadedWholeAndSaysItWasCheckedByLengthOnly() throws Exception {
        byte[] newer = Arrays.copyOf(seekable, seekable.length);
        newer[6] = 17;
        server.serve(newer);
        DumpProof.Proven p = DumpProof.prove(server.url(), scratch, new NoProgress());
        assertEquals(newer.length, p.bytes());
        assertTrue(p.downloaded().isPresent());
        assertTrue(p.how().contains("its table of contents is in a format parity does not read"), p.how());
    }

    @Test
    void aDumpOneByteShortIsRefused() throws Exception {
        server.serve(Arrays.copyOf(seekable, seekable.length - 1));
        StepFailed e = assertThrows(StepFailed.class, () -> DumpProof.prove(server.url(), scratch, new NoProgress()));
        assertTrue(e.getMessage().contains("its last data block (from byte "), e.getMessage());
        assertTrue(e.getMessage().contains("it is cut short"), e.getMessage());
    }

    /** The server announces the whole size but has only part of it: the bytes it announced must come. */
    @Test
    void aServerAnnouncingMoreThanItServesIsRefused() throws Exception {
        try {
            server.serve(Arrays.copyOf(seekable, seekable.length - 100)).announceTotal(seekable.length);
            StepFailed e = assertThrows(StepFailed.class, () -> DumpProof.prove(server.url(), scratch, new NoProgress()));
            assertTrue(e.getMessage().contains(" is not whole: "), e.getMessage());
        } finally {
            server.announceTotal(-1);
        }
    }

    @Test
    void aWholePipedDumpIsDownloadedIntoTheScratchDirectoryAndWalked() throws Exception {
        server.serve(piped);
        DumpProof.Proven p = DumpProof.prove(server.url(), scratch, new NoProgress());
        assertEquals(piped.length, p.bytes());
        Path file = p.downloaded().orElseThrow();
        assertEquals(scratch, file.getParent(), "the download is in the run's own directory, which its clean-up removes");
        assertTrue(Arrays.equals(piped, Files.readAllBytes(file)));
        assertTrue(p.how().contains("downloaded whole"), p.how());
    }

    @Test
    void aPipedDumpCutAnywhereIsRefusedAfterTheDownload() throws Exception {
        DumpToc t = DumpToc.parse(piped, piped.length);
        long[] cuts = {t.dataStart() / 2, t.dataStart() + 3, (t.dataStart() + piped.length) / 2, piped.length - 1};
        for (long cut : cuts) {
            server.serve(Arrays.copyOf(piped, (int) cut));
            Path dir = Files.createTempDirectory(tmp, "cut");
            StepFailed e = assertThrows(StepFailed.class, () -> DumpProof.prove(server.url(), dir, new NoProgress()), "cut at " + cut);
            assertTrue(e.getMessage().contains(" is not whole: "), "cut at " + cut + ": " + e.getMessage());
        }
    }

    /** A piped dump whose last table lost its data entirely (cut exactly between two blocks) still misses that table. */
    @Test
    void aPipedDumpCutBetweenTwoBlocksIsRefused() throws Exception {
        DumpToc t = DumpToc.parse(piped, piped.length);
        List<DumpToc.Block> blocks = t.walkBlocks(new ByteArrayInputStream(piped, (int) t.dataStart(), piped.length - (int) t.dataStart()));
        DumpToc.Block last = blocks.get(blocks.size() - 1);
        int lastId = last.dumpId();
        int boundary = (int) (t.dataStart() + last.start());
        server.serve(Arrays.copyOf(piped, boundary));
        StepFailed e = assertThrows(StepFailed.class, () -> DumpProof.prove(server.url(), scratch, new NoProgress()));
        String label = t.withData().stream().filter(x -> x.dumpId() == lastId).findFirst().orElseThrow().label();
        assertTrue(e.getMessage().contains("it has no data for " + label), e.getMessage());
    }

    private static void assertEmpty(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    private static final class NoProgress implements BackupDownload.Progress {
        @Override
        public LongConsumer start(long total, long from) {
            return n -> {};
        }

        @Override
        public void finish(long bytes) {}

        @Override
        public void abandon() {}
    }
}
