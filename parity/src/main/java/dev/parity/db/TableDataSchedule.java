package dev.parity.db;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which tables' data can be restored while a dump is still arriving. A custom-format dump keeps its
 * table of contents first and records where each data block starts; a block ends where the next
 * one in the file begins (the last one at the end of the file). So once the first {@code n} bytes
 * are on disk, every block that ends at or before {@code n} is whole and {@code pg_restore} can
 * seek to it in the partial file.
 */
public final class TableDataSchedule {
    /** A table's data: its entry and the length of the file at which its block is whole. */
    public record Item(DumpToc.Entry entry, long end) {}

    private final List<Item> items;
    private final boolean[] taken;

    private TableDataSchedule(List<Item> items) {
        this.items = List.copyOf(items);
        this.taken = new boolean[items.size()];
    }

    /**
     * The schedule of the {@code TABLE DATA} entries among {@code wanted} (dump ids: the listing to
     * restore, possibly a subset) in a dump of {@code total} bytes. Empty when the dump does not
     * record where its data is (pg_dump wrote to a pipe) or records it outside the file: then only
     * a whole file can be restored.
     */
    public static Optional<TableDataSchedule> of(DumpToc toc, Set<Integer> wanted, long total) {
        if (!toc.offsetsRecorded()) return Optional.empty();
        List<DumpToc.Entry> blocks = new ArrayList<>(toc.withData());
        blocks.sort(Comparator.comparingLong(DumpToc.Entry::offset));
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            DumpToc.Entry e = blocks.get(i);
            if (e.offset() < toc.dataStart() || e.offset() >= total) return Optional.empty();
            long end = i + 1 < blocks.size() ? blocks.get(i + 1).offset() : total;
            // every block's end counts (large objects too), but only table data is restored early
            if ("TABLE DATA".equals(e.desc()) && wanted.contains(e.dumpId())) items.add(new Item(e, end));
        }
        return Optional.of(new TableDataSchedule(items));
    }

    /** Every table whose data this schedule can restore early, in file order. */
    public List<Item> items() {
        return items;
    }

    /**
     * Up to {@code max} tables whose data is whole in the first {@code downloaded} bytes and that
     * were not handed out before, in file order; they are handed out now.
     */
    public synchronized List<DumpToc.Entry> take(long downloaded, int max) {
        List<DumpToc.Entry> ready = new ArrayList<>();
        for (int i = 0; i < items.size() && ready.size() < max; i++) {
            if (!taken[i] && items.get(i).end() <= downloaded) {
                taken[i] = true;
                ready.add(items.get(i).entry());
            }
        }
        return ready;
    }

    /** The smallest length of the file at which some table's data is whole (empty: no table to restore early). */
    public Optional<Long> firstReadyAt() {
        return items.stream().map(Item::end).min(Long::compare);
    }
}
