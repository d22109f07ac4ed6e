package dev.parity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.Dumps;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link DumpToc} on the layouts of the archive formats that differ in their table of contents:
 * 1.14 (PostgreSQL 12–15), 1.15 (16: a compression byte), 1.16 (17: each entry's relkind).
 * Real dumps of the installed PostgreSQL are read in {@link DumpProofTest}.
 */
class DumpTocTest {

    @ParameterizedTest(name = "archive 1.{0}")
    @CsvSource({"14, 15.4", "15, 16.1", "16, 17.2"})
    void readsEveryEntryAndWhereItsDataIs(int minor, String pgDump) throws Exception {
        byte[] dump = Dumps.whole(minor, pgDump, "1\n2\n\\.\n");
        DumpToc toc = DumpToc.parse(dump, dump.length);
        assertEquals(minor, toc.minor());
        assertEquals(List.of("TABLE public users", "TABLE DATA public users"), toc.entries().stream().map(DumpToc.Entry::label).toList());
        DumpToc.Entry data = toc.lastData().orElseThrow();
        assertEquals(toc.dataStart(), data.offset());
        List<DumpToc.Block> blocks = toc.walkBlocks(new ByteArrayInputStream(dump, (int) data.offset(), dump.length - (int) data.offset()));
        assertEquals(List.of(new DumpToc.Block(2, 0)), blocks);
    }

    @Test
    void everyCutInsideTheTableOfContentsIsCutShort() throws Exception {
        byte[] dump = Dumps.whole(16, "17.2", "1\n\\.\n");
        long dataStart = DumpToc.parse(dump, dump.length).dataStart();
        for (int length = 8; length < dataStart; length++) {
            byte[] cut = Arrays.copyOf(dump, length);
            assertThrows(DumpToc.CutShort.class, () -> DumpToc.parse(cut, cut.length), "length " + length);
        }
    }

    @Test
    void everyCutInsideADataBlockIsCutShort() throws Exception {
        byte[] dump = Dumps.whole(14, "15.4", "1\n2\n3\n\\.\n");
        DumpToc toc = DumpToc.parse(dump, dump.length);
        int start = (int) toc.dataStart();
        for (int end = start + 1; end < dump.length; end++) {
            int length = end - start;
            assertThrows(DumpToc.CutShort.class, () -> toc.walkBlocks(new ByteArrayInputStream(dump, start, length)), "end " + end);
        }
    }

    @Test
    void aNewerOrOtherArchiveIsUnreadableNotGuessed() {
        byte[] newer = Dumps.whole(16, "18.0", "");
        newer[6] = 17;
        assertThrows(DumpToc.Unreadable.class, () -> DumpToc.parse(newer, newer.length));
        byte[] page = "<html>AccessDenied</html>".getBytes(StandardCharsets.US_ASCII);
        DumpToc.Unreadable e = assertThrows(DumpToc.Unreadable.class, () -> DumpToc.parse(page, page.length));
        assertTrue(e.getMessage().contains("not a PostgreSQL custom-format dump"), e.getMessage());
    }
}
