package dev.parity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which tables' data is whole, and handed out for restoring, at which downloaded length. */
class TableDataScheduleTest {
    static final long TOTAL = 1000;

    static DumpToc.Entry entry(int id, String desc, String tag, DumpToc.Data data, long offset) {
        return new DumpToc.Entry(id, desc, "public", tag, data, offset, List.of(), null);
    }

    /** Blocks in file order: orders 100, users 300, large objects 600, events 700 (to the end); a schema and a sequence without data. */
    static DumpToc toc(DumpToc.Entry... extra) {
        List<DumpToc.Entry> entries = new java.util.ArrayList<>(List.of(
                entry(1, "TABLE", "users", DumpToc.Data.NONE, 0),
                entry(2, "SEQUENCE SET", "users_id_seq", DumpToc.Data.NONE, 0),
                entry(10, "TABLE DATA", "users", DumpToc.Data.OFFSET_SET, 300), // listed before orders, stored after it
                entry(11, "TABLE DATA", "orders", DumpToc.Data.OFFSET_SET, 100),
                entry(12, "BLOBS", "BLOBS", DumpToc.Data.OFFSET_SET, 600),
                entry(13, "TABLE DATA", "events", DumpToc.Data.OFFSET_SET, 700)));
        entries.addAll(List.of(extra));
        return new DumpToc(16, 4, 8, 90, entries);
    }

    static final Set<Integer> ALL = Set.of(1, 2, 10, 11, 12, 13);

    static List<String> tags(List<DumpToc.Entry> entries) {
        return entries.stream().map(DumpToc.Entry::tag).toList();
    }

    @Test
    void aTableIsReadyOnceTheNextBlockInTheFileHasBegun() {
        TableDataSchedule s = TableDataSchedule.of(toc(), ALL, TOTAL).orElseThrow();
        assertEquals(List.of(), tags(s.take(90, 4)), "only the table of contents");
        assertEquals(List.of(), tags(s.take(299, 4)), "orders ends where users begins, at 300");
        assertEquals(List.of("orders"), tags(s.take(300, 4)));
        assertEquals(List.of(), tags(s.take(599, 4)), "handed out once only; users ends at 600");
        assertEquals(List.of("users"), tags(s.take(600, 4)), "the large objects' block ends users'");
        assertEquals(List.of(), tags(s.take(999, 4)), "large objects are not restored early; events runs to the end");
        assertEquals(List.of("events"), tags(s.take(TOTAL, 4)));
        assertEquals(Optional.of(300L), s.firstReadyAt());
    }

    @Test
    void noMoreThanTheFreeRestoresAreHandedOutInFileOrder() {
        TableDataSchedule s = TableDataSchedule.of(toc(), ALL, TOTAL).orElseThrow();
        assertEquals(List.of("orders"), tags(s.take(TOTAL, 1)));
        assertEquals(List.of("users", "events"), tags(s.take(TOTAL, 2)));
        assertEquals(List.of(), tags(s.take(TOTAL, 2)));
    }

    @Test
    void aSubsetRestoresEarlyOnlyTheTablesItLists() {
        TableDataSchedule s = TableDataSchedule.of(toc(), Set.of(1, 2, 10, 13), TOTAL).orElseThrow();
        assertEquals(List.of("users"), tags(s.take(600, 4)), "orders' data is left out; its block still ends where users' begins");
        assertEquals(List.of("users", "events"), s.items().stream().map(i -> i.entry().tag()).toList());
    }

    @Test
    void aDumpWrittenToAPipeHasNoSchedule() {
        assertEquals(Optional.empty(), TableDataSchedule.of(toc(entry(14, "TABLE DATA", "notes", DumpToc.Data.OFFSET_NOT_SET, 0)), ALL, TOTAL));
    }

    @Test
    void anOffsetOutsideTheFileHasNoSchedule() {
        assertEquals(Optional.empty(), TableDataSchedule.of(toc(entry(14, "TABLE DATA", "notes", DumpToc.Data.OFFSET_SET, TOTAL)), ALL, TOTAL));
        assertEquals(Optional.empty(), TableDataSchedule.of(toc(entry(14, "TABLE DATA", "notes", DumpToc.Data.OFFSET_SET, 20)), ALL, TOTAL),
                "inside the table of contents");
    }

    @Test
    void aDumpWithoutDataHasNothingToRestoreEarly() {
        DumpToc schemaOnly = new DumpToc(16, 4, 8, 90, List.of(entry(1, "TABLE", "users", DumpToc.Data.NONE, 0)));
        TableDataSchedule s = TableDataSchedule.of(schemaOnly, Set.of(1), TOTAL).orElseThrow();
        assertTrue(s.items().isEmpty());
        assertEquals(Optional.empty(), s.firstReadyAt());
    }

    @Test
    void aListingIsCutIntoTheEntriesAskedFor() {
        RestoreListing l = RestoreListing.parse(";\n; Archive created at 2026-12-01\n;\n214; 1259 16385 TABLE public a postgres\n"
                + ";3352; 0 16385 TABLE DATA public a postgres\n3353; 0 16392 TABLE DATA public b postgres\n");
        assertEquals(Set.of(214, 3353), l.ids(), "commented-out entries are not restored");
        assertEquals("3353; 0 16392 TABLE DATA public b postgres\n", l.only(id -> id == 3353));
        assertEquals("214; 1259 16385 TABLE public a postgres\n", l.only(id -> id != 3353));
    }
}
