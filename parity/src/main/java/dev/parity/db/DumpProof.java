package dev.parity.db;

import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import dev.parity.ui.Redact;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;

/**
 * Proves a dump at a URL is whole before anything is reset for it: a header and a table of
 * contents that read fine say nothing about a body cut short. The server must serve every byte it
 * announces, every data offset in the table of contents must lie inside the dump, and the last
 * data block must end exactly at the dump's end (its chunks walked, nothing decompressed). When the
 * table of contents records no offsets (pg_dump wrote to a pipe) or cannot be read here, the dump
 * is downloaded whole into a private directory the caller removes, and walked there.
 */
public final class DumpProof {
    static final int TOC_PREFIX = 256 * 1024;
    static final int TOC_PREFIX_MAX = 64 * 1024 * 1024;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    /** How the dump was proven whole: its size, its table of contents, and the file if it had to be downloaded. */
    public record Proven(long bytes, Optional<DumpToc> toc, Optional<Path> downloaded, String how) {}

    private DumpProof() {}

    /**
     * @param scratch a private directory of this run, removed by the caller when the run ends,
     *                where the dump is downloaded if ranged requests cannot prove it
     */
    public static Proven prove(String url, Path scratch, BackupDownload.Progress progress) throws StepFailed, InterruptedException {
        return prove(null, url, scratch, progress);
    }

    /** As {@link #prove(String, Path, BackupDownload.Progress)}, over TLS made by {@code tls} (null: the JVM's own trust). */
    public static Proven prove(SSLSocketFactory tls, String url, Path scratch, BackupDownload.Progress progress)
            throws StepFailed, InterruptedException {
        String shown = Redact.downloadUrl(url);
        BackupDownload.Head head = BackupDownload.head(tls, url, shown);
        long total = head.total();
        Optional<DumpToc> toc = readToc(tls, url, shown, total);
        if (toc.isPresent() && toc.get().offsetsRecorded()) {
            DumpToc t = toc.get();
            for (DumpToc.Entry e : t.withData()) {
                if (e.offset() < t.dataStart() || e.offset() >= total) {
                    throw incomplete(shown, "its table of contents puts the data of " + e.label() + " at byte " + e.offset()
                            + ", past its end (" + total + " bytes)");
                }
            }
            Optional<DumpToc.Entry> last = t.lastData();
            long from = last.map(DumpToc.Entry::offset).orElse(t.dataStart());
            Optional<List<DumpToc.Block>> blocks = walkRemote(tls, url, shown, t, from, total);
            if (blocks.isPresent()) {
                if (last.isPresent() && (blocks.get().isEmpty() || blocks.get().get(0).dumpId() != last.get().dumpId())) {
                    throw incomplete(shown, "the data of " + last.get().label() + " is not where its table of contents says");
                }
                return new Proven(total, toc, Optional.empty(), "its " + total + " bytes are served, its table of contents lists "
                        + t.withData().size() + " data blocks inside them, and the last one ends where the dump ends");
            }
        }
        // no offsets to check from here: the whole dump, then every block in it
        Path complete = scratch.resolve("source.dump");
        Path part = scratch.resolve("source.dump.part");
        BackupDownload.fetch(tls, url, complete, part, progress);
        if (toc.isEmpty()) {
            return new Proven(total, toc, Optional.of(complete), "downloaded whole (" + total + " bytes, as announced); "
                    + "its table of contents is in a format parity does not read");
        }
        DumpToc t = toc.get();
        Set<Integer> seen;
        try (InputStream in = Files.newInputStream(complete)) {
            in.skipNBytes(t.dataStart());
            seen = new HashSet<>(t.walkBlocks(in).stream().map(DumpToc.Block::dumpId).toList());
        } catch (DumpToc.CutShort e) {
            throw incomplete(shown, "it ends inside a data block");
        } catch (DumpToc.Unreadable e) {
            throw incomplete(shown, "its data is damaged (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot read the downloaded dump: " + BackupDownload.describe(e));
        }
        for (DumpToc.Entry e : t.withData()) {
            if (!seen.contains(e.dumpId())) throw incomplete(shown, "it has no data for " + e.label());
        }
        return new Proven(total, toc, Optional.of(complete), "downloaded whole (" + total + " bytes) and every one of its "
                + t.withData().size() + " data blocks read to its end");
    }

    /**
     * The table of contents of the dump at {@code url}, read from its first bytes only (ranged
     * requests); empty if this reader does not know the format. Nothing else is downloaded.
     */
    public static Optional<DumpToc> readToc(SSLSocketFactory tls, String url) throws StepFailed {
        String shown = Redact.downloadUrl(url);
        return readToc(tls, url, shown, BackupDownload.head(tls, url, shown).total());
    }

    /** The table of contents from a growing prefix; empty if this reader does not know the format. */
    static Optional<DumpToc> readToc(SSLSocketFactory tls, String url, String shown, long total) throws StepFailed {
        for (long want = Math.min(TOC_PREFIX, total); ; want = Math.min(Math.min(want * 8, TOC_PREFIX_MAX), total)) {
            byte[] prefix = range(tls, url, shown, 0, want - 1);
            try {
                return Optional.of(DumpToc.parse(prefix, prefix.length));
            } catch (DumpToc.Unreadable e) {
                // a format newer than this reader: only a whole download can tell; a known one that does not read is damaged
                if (DumpToc.newerFormat(prefix)) return Optional.empty();
                throw incomplete(shown, "its table of contents is damaged (" + e.getMessage() + ")");
            } catch (DumpToc.CutShort e) {
                if (prefix.length < want) throw incomplete(shown, "the server sent " + prefix.length + " of the " + want + " bytes asked for");
                if (want >= total) throw incomplete(shown, "it ends inside its table of contents (" + total + " bytes)");
                if (want >= TOC_PREFIX_MAX) {
                    throw incomplete(shown, "no table of contents ends within its first " + TOC_PREFIX_MAX / (1024 * 1024) + " MiB (damaged)");
                }
            }
        }
    }

    /** Bytes {@code from}…{@code to} (inclusive) of the URL; the server must honour the range. */
    private static byte[] range(SSLSocketFactory tls, String url, String shown, long from, long to) throws StepFailed {
        HttpURLConnection c = BackupDownload.open(tls, url, shown);
        c.setRequestProperty("Range", "bytes=" + from + "-" + to);
        try {
            int status = c.getResponseCode();
            if (status == 416) throw incomplete(shown, "the server will not serve bytes " + from + "-" + to + " of what it announced");
            if (status != HttpURLConnection.HTTP_PARTIAL && !(status == HttpURLConnection.HTTP_OK && from == 0)) {
                throw BackupDownload.refused("backup URL " + shown, c, status);
            }
            try (InputStream in = c.getInputStream()) {
                return in.readNBytes((int) (to - from + 1));
            }
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "backup URL " + shown + " failed: " + BackupDownload.describe(e) + "; no database was touched");
        } finally {
            c.disconnect();
        }
    }

    /**
     * Streams the dump from {@code from} to its end, walking the data blocks there; every announced
     * byte must come. Empty if the server does not serve ranges (then only a download can tell).
     */
    private static Optional<List<DumpToc.Block>> walkRemote(SSLSocketFactory tls, String url, String shown, DumpToc toc, long from, long total) throws StepFailed {
        HttpURLConnection c = BackupDownload.open(tls, url, shown);
        c.setRequestProperty("Range", "bytes=" + from + "-");
        try {
            int status = c.getResponseCode();
            if (from >= total || status == 416) {
                if (from == total) return Optional.of(List.of()); // no data at all: the table of contents ends the dump
                throw incomplete(shown, "the server will not serve byte " + from + " of the " + total + " it announced");
            }
            if (status == HttpURLConnection.HTTP_OK) return Optional.empty();
            if (status != HttpURLConnection.HTTP_PARTIAL) throw BackupDownload.refused("backup URL " + shown, c, status);
            Matcher m = CONTENT_RANGE.matcher(String.valueOf(c.getHeaderField("Content-Range")));
            if (!m.matches() || Long.parseLong(m.group(1)) != from || Long.parseLong(m.group(3)) != total
                    || Long.parseLong(m.group(2)) != total - 1) {
                throw incomplete(shown, "asked for bytes " + from + "-" + (total - 1) + ", the server answered with "
                        + c.getHeaderField("Content-Range"));
            }
            try (Counting in = new Counting(c.getInputStream())) {
                List<DumpToc.Block> blocks;
                try {
                    blocks = toc.walkBlocks(in);
                } catch (DumpToc.CutShort e) {
                    throw incomplete(shown, "its last data block (from byte " + from + ") ends after the " + total
                            + " bytes it has: it is cut short");
                } catch (DumpToc.Unreadable e) {
                    throw incomplete(shown, "its last data block is damaged (" + e.getMessage() + ")");
                }
                if (from + in.count != total) {
                    throw incomplete(shown, "the server announced " + total + " bytes and sent " + (from + in.count));
                }
                return Optional.of(blocks);
            }
        } catch (IOException e) {
            throw incomplete(shown, "reading its last data block failed (" + BackupDownload.describe(e) + ")");
        } finally {
            c.disconnect();
        }
    }

    private static StepFailed incomplete(String shown, String why) {
        return new StepFailed(ExitCodes.FAILED, "the dump at " + shown + " is not whole: " + why + "; no database was touched");
    }

    /** Counts what was read, skips included. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
