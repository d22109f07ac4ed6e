package dev.parity.db;

import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Proves a dump file that arrived while it was being restored is whole, from its table of contents. */
public final class LocalDumpProof {
    private LocalDumpProof() {}

    /**
     * The downloaded file has the size the server announced; its last data block must also end
     * exactly at its end (its chunks walked, nothing decompressed) before the indexes are built and
     * the copy is verified. The blocks before it were read whole by the table restores or are read
     * by the last pg_restore, which fails on any that is cut short.
     */
    public static void proveWhole(DumpToc toc, Path whole) throws StepFailed {
        long from = toc.lastData().map(DumpToc.Entry::offset).orElse(toc.dataStart());
        try (InputStream in = Files.newInputStream(whole)) {
            in.skipNBytes(from);
            List<DumpToc.Block> blocks = toc.walkBlocks(in);
            if (toc.lastData().isPresent() && (blocks.size() != 1 || blocks.get(0).dumpId() != toc.lastData().get().dumpId())) {
                throw notWhole("its last data block is not where its table of contents says");
            }
        } catch (DumpToc.CutShort e) {
            throw notWhole("it ends inside its last data block");
        } catch (DumpToc.Unreadable e) {
            throw notWhole("its last data block is damaged (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw notWhole("reading it failed (" + e.getMessage() + ")");
        }
    }

    private static StepFailed notWhole(String why) {
        return new StepFailed(ExitCodes.FAILED, "the downloaded dump is not whole: " + why);
    }

}
