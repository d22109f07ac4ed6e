package dev.parity.cli.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.db.DumpToc;
import dev.parity.process.Command;
import dev.parity.process.ProcessRunner;
import dev.parity.process.Result;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import dev.parity.ui.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan of a restore while downloading, with a recording runner and a scripted download: which
 * pg_restore runs at which downloaded length, with which listing, and what stops it.
 */
class OverlappedRestoreTest {
    /** Data blocks: a at 100, b at 300, c at 600 to the end (611: one empty block). */
    static final long TOTAL = 611;
    static final DumpToc TOC = new DumpToc(16, 4, 8, 90, List.of(
            new DumpToc.Entry(1, "TABLE", "public", "a", DumpToc.Data.NONE, 0, List.of(), null),
            new DumpToc.Entry(10, "TABLE DATA", "public", "a", DumpToc.Data.OFFSET_SET, 100, List.of(), null),
            new DumpToc.Entry(11, "TABLE DATA", "public", "b", DumpToc.Data.OFFSET_SET, 300, List.of(), null),
            new DumpToc.Entry(12, "TABLE DATA", "public", "c", DumpToc.Data.OFFSET_SET, 600, List.of(), null),
            new DumpToc.Entry(20, "INDEX", "public", "a_idx", DumpToc.Data.NONE, 0, List.of(), null)));
    static final String LISTING = ";\n; Archive created at 2026-12-01\n;\n1; 1259 1 TABLE public a owner\n10; 0 1 TABLE DATA public a owner\n"
            + "11; 0 2 TABLE DATA public b owner\n12; 0 3 TABLE DATA public c owner\n20; 1259 4 INDEX public a_idx owner\n";

    @TempDir
    Path dir;
    Path whole;
    Recorder runner;
    ByteArrayOutputStream err;
    StepContext ctx;

    /** One pg_restore: its options, the listing it was given, and how far the download was when it started. */
    record Run(String what, String list, long at) {}

    final class Recorder implements ProcessRunner {
        final List<Run> runs = new ArrayList<>();
        Script download;
        String failing; // a table whose restore fails

        @Override
        public synchronized Result run(Command c) {
            List<String> argv = c.argv();
            String list = "";
            int i = argv.indexOf("--use-list");
            try {
                if (i >= 0) list = Files.readString(Path.of(argv.get(i + 1)));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            String what = argv.contains("--section=pre-data") ? "schema"
                    : argv.contains("--section=data") ? "rest " + argv.stream().filter(a -> a.startsWith("--jobs")).findFirst().orElse("")
                            + (argv.contains("--section=post-data") ? "" : " (no post-data)")
                    : "table " + list.strip().replaceAll(".* (\\w+) owner$", "$1");
            runs.add(new Run(what, list, download.bytes()));
            if (failing != null && what.equals("table " + failing)) {
                try {
                    Files.writeString(c.errorFile(), "pg_restore: error: COPY failed for table \"" + failing + "\": ERROR:  boom\n");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                return new Result(1, "");
            }
            return new Result(0, "");
        }

        @Override
        public boolean available(String program) {
            return true;
        }
    }

    /** A download that comes to each length in turn, each time the restore has no table restore running. */
    final class Script implements OverlappedRestore.Arriving {
        final long[] lengths;
        final StepFailed failure;
        int at;

        Script(StepFailed failure, long... lengths) {
            this.lengths = lengths;
            this.failure = failure;
        }

        @Override
        public synchronized long bytes() {
            return lengths[at];
        }

        @Override
        public long total() {
            return TOTAL;
        }

        @Override
        public synchronized boolean ended() {
            return at == lengths.length - 1;
        }

        @Override
        public void awaitChange(long millis) throws InterruptedException {
            while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("parity-restore-") && t.isAlive())) {
                Thread.sleep(5);
            }
            synchronized (this) {
                if (at < lengths.length - 1) at++;
            }
        }

        @Override
        public void changed() {}

        @Override
        public Path awaitWhole() throws StepFailed {
            if (failure != null) throw failure;
            return whole;
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        byte[] file = new byte[(int) TOTAL];
        // the last block: type 1 (data), dump id 12, then a zero-length chunk that ends it
        byte[] block = {1, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0};
        System.arraycopy(block, 0, file, 600, block.length);
        whole = Files.write(dir.resolve("b001.dump"), file);
        runner = new Recorder();
        err = new ByteArrayOutputStream();
        ctx = new StepContext(runner, new Io(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true),
                new ByteArrayInputStream(new byte[0]), Map.of(), dir, false));
    }

    /** Whether the last pg_restore builds the indexes too (false: a scrub comes between). */
    boolean postData = true;

    void restore(int jobs, Script download, String listing, boolean subset) throws Exception {
        runner.download = download;
        new OverlappedRestore(ctx, argv -> Command.of(plus("pg_restore", argv)), List.of("--no-owner", "--dbname", "tmp"), jobs, dir,
                () -> "shop_development was not changed").run(download, TOC, listing, subset, dir.resolve("b001.dump.overlap"), postData);
    }

    static List<String> plus(String first, List<String> rest) {
        List<String> l = new ArrayList<>(List.of(first));
        l.addAll(rest);
        return l;
    }

    List<String> what() {
        return runner.runs.stream().map(r -> r.what() + " @" + r.at()).toList();
    }

    @Test
    void theSchemaFirstThenEachTableOnceItsBlockIsWholeThenTheRestWithJobs() throws Exception {
        restore(2, new Script(null, 90, 320, TOTAL), LISTING, false);
        assertEquals(List.of("schema @90", "table a @320", "rest --jobs=2 @611"), what(),
                "a is whole at 300; b would be at 600, but the download had ended: b and c go with the indexes");
        assertEquals("10; 0 1 TABLE DATA public a owner\n", runner.runs.get(1).list());
        assertEquals("1; 1259 1 TABLE public a owner\n11; 0 2 TABLE DATA public b owner\n12; 0 3 TABLE DATA public c owner\n"
                + "20; 1259 4 INDEX public a_idx owner\n", runner.runs.get(2).list(), "everything but what was restored early");
        assertTrue(err.toString().contains("parity: restored the data of 1 of 3 tables while the download went on"), err.toString());
    }

    @Test
    void beforeAScrubTheLastPgRestoreLeavesTheIndexesAndConstraintsToALaterStep() throws Exception {
        postData = false;
        restore(2, new Script(null, 90, 320, TOTAL), LISTING, false);
        assertEquals(List.of("schema @90", "table a @320", "rest --jobs=2 (no post-data) @611"), what());
        assertTrue(runner.runs.get(2).list().contains("INDEX public a_idx"), "the listing is the same; --section=data leaves the index out");
    }

    @Test
    void oneCoreIsLeftToTheDownload() throws Exception {
        restore(3, new Script(null, 90, 600, TOTAL), LISTING, false);
        List<String> what = what();
        assertEquals(4, what.size(), what.toString());
        assertEquals("schema @90", what.get(0));
        // a and b run at the same time, on two workers: either may be recorded first
        assertEquals(java.util.Set.of("table a @600", "table b @600"), java.util.Set.copyOf(what.subList(1, 3)), what.toString());
        assertEquals("rest --jobs=3 @611", what.get(3));
        assertTrue(runner.runs.get(3).list().contains("TABLE DATA public c"));
        assertTrue(!runner.runs.get(3).list().contains("TABLE DATA public a"));
    }

    @Test
    void withTwoJobsOneTableRestoresAtATime() throws Exception {
        restore(2, new Script(null, 90, 600, 605, TOTAL), LISTING, false);
        assertEquals(List.of("schema @90", "table a @600", "table b @605", "rest --jobs=2 @611"), what());
    }

    @Test
    void aSubsetRestoresEarlyOnlyWhatItListsAndGivesEveryPgRestoreItsListing() throws Exception {
        String subset = LISTING.replace("10; 0 1 TABLE DATA public a", ";10; 0 1 TABLE DATA public a");
        restore(2, new Script(null, 90, 600, 605, TOTAL), subset, true);
        assertEquals(List.of("schema @90", "table b @600", "rest --jobs=2 @611"), what(), "a's rows are left out");
        assertEquals(subset, runner.runs.get(0).list());
        assertTrue(!runner.runs.get(2).list().contains("TABLE DATA public a"), runner.runs.get(2).list());
    }

    @Test
    void aFailingTableStopsBeforeTheRestAndSaysWhich() {
        runner.failing = "a";
        StepFailed e = assertThrows(StepFailed.class, () -> restore(2, new Script(null, 90, 320, 605, TOTAL), LISTING, false));
        assertEquals("restoring the data of public.a: pg_restore reported 1 error: COPY failed for table \"a\": ERROR:  boom."
                + " shop_development was not changed", e.getMessage());
        assertEquals(List.of("schema @90", "table a @320"), what(), "no other table, no indexes after it");
    }

    @Test
    void aFailedDownloadStopsBeforeTheRest() {
        StepFailed cut = new StepFailed(1, "download of https://backups.example/b001.dump was cut short: got 320 of 611 bytes after 5 attempts;"
                + " no database was touched");
        StepFailed e = assertThrows(StepFailed.class, () -> restore(2, new Script(cut, 90, 320, 320), LISTING, false));
        assertEquals("the download failed while the restore went on: download of https://backups.example/b001.dump was cut short:"
                + " got 320 of 611 bytes after 5 attempts. shop_development was not changed", e.getMessage());
        assertEquals(List.of("schema @90", "table a @320"), what());
    }

    @Test
    void aFileThatDoesNotEndWithItsLastBlockIsNotRestoredFurther() throws Exception {
        Files.write(whole, java.util.Arrays.copyOf(Files.readAllBytes(whole), (int) TOTAL - 2));
        StepFailed e = assertThrows(StepFailed.class, () -> restore(2, new Script(null, 90, TOTAL), LISTING, false));
        assertEquals("the downloaded dump is not whole: it ends inside its last data block", e.getMessage());
        assertEquals(List.of("schema @90"), what());
    }
}
