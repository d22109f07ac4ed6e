package dev.parity.cli.restore;

import dev.parity.cli.ExitCodes;
import dev.parity.db.DumpCache;
import dev.parity.db.DumpToc;
import dev.parity.db.TocFilter;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A subset restore's listing: the dump's table of contents filtered by {@link TocFilter}, written
 * next to the dump for {@code pg_restore --use-list}. Unknown table names stop the run here, after
 * the download and before any database is created.
 */
final class SubsetListing {
    static final String PLAN = " (unknown table names stop here, before any database is created;"
            + " foreign keys into tables or rows left out are dropped and named)";

    private SubsetListing() {}

    static String fileName(Path dump) {
        return dump.getFileName() + ".subset.list";
    }

    /** Writes the filtered listing and returns it (what verification then expects). */
    static String write(StepContext ctx, DumpCache cache, Path dump, String listing, TocFilter.Subset subset)
            throws StepFailed {
        TocFilter.Filtered filtered;
        try {
            filtered = TocFilter.filter(listing, TocFilter.readToc(dump), subset);
        } catch (TocFilter.UnknownTable e) {
            throw new StepFailed(ExitCodes.USAGE, e.getMessage() + "; no database was touched");
        } catch (IOException | DumpToc.Unreadable e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot read the dump's table of contents: " + e.getMessage() + "; no database was touched");
        }
        Path file = cache.dir().resolve(fileName(dump));
        ctx.deleteAtEnd(file);
        try {
            Files.writeString(file, filtered.listing());
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
        ctx.io().progress("parity: restoring " + subset.describe() + " (" + filtered.leftOut() + " of the dump's entries left out)");
        if (!filtered.droppedForeignKeys().isEmpty()) {
            ctx.io().err().println("parity: warning: foreign keys left out (they point at tables or rows not restored): "
                    + String.join(", ", filtered.droppedForeignKeys()));
        }
        return filtered.listing();
    }
}
