package dev.parity.db;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table of contents of a {@code pg_dump -Fc} archive, read by parity itself (the layout of
 * PostgreSQL's pg_backup_archiver.c ReadHead/ReadToc and pg_backup_custom.c): every entry, and for
 * an entry with data, where that data starts. Enough to prove a remote dump is whole from a few
 * ranged requests, before anything is reset. Archive formats 1.10 to 1.16 (PostgreSQL 9.0 to 17).
 */
public record DumpToc(int minor, int intSize, int offSize, long dataStart, List<Entry> entries) {
    static final int OLDEST_MINOR = 10;
    static final int NEWEST_MINOR = 16;
    /** Block types of the custom format's data section. */
    static final int BLOCK_DATA = 1;
    static final int BLOCK_BLOBS = 3;

    /** Where an entry's data is: known, not recorded (pg_dump wrote to a pipe), or the entry has none. */
    public enum Data { OFFSET_NOT_SET, OFFSET_SET, NONE }

    /**
     * {@code dependsOn}: the dump ids of the entries this one needs (pg_dump's own dependency list);
     * {@code definition}: the SQL that creates it (a TABLE's {@code CREATE TABLE}, which names its columns).
     */
    public record Entry(int dumpId, String desc, String namespace, String tag, Data data, long offset, List<Integer> dependsOn,
                        String definition) {
        /** e.g. {@code TABLE DATA public orders}, as pg_restore --list names it. */
        public String label() {
            return desc + " " + (namespace == null ? "-" : namespace) + " " + tag;
        }
    }

    /** The bytes ended before the table of contents did. */
    public static final class CutShort extends Exception {
        CutShort() {
            super("the archive ends inside its table of contents");
        }
    }

    /** Not an archive this reader knows (another format, a newer version, or damaged bytes). */
    public static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    /** A data block found by {@link #walkBlocks}: whose data it is and where it starts (from the walk's first byte). */
    public record Block(int dumpId, long start) {}

    /** Entries whose data is in the archive. */
    public List<Entry> withData() {
        return entries.stream().filter(e -> e.data != Data.NONE).toList();
    }

    /** The entry with data that starts last in the file, if every entry with data has its offset recorded. */
    public Optional<Entry> lastData() {
        List<Entry> data = withData();
        if (data.stream().anyMatch(e -> e.data == Data.OFFSET_NOT_SET)) return Optional.empty();
        return data.stream().max(java.util.Comparator.comparingLong(Entry::offset));
    }

    /** Whether every entry with data has its offset recorded (pg_dump wrote to a seekable file). */
    public boolean offsetsRecorded() {
        return withData().stream().allMatch(e -> e.data == Data.OFFSET_SET);
    }

    /** Whether {@code first} starts a custom-format archive of a format newer than this reader knows. */
    public static boolean newerFormat(byte[] first) {
        if (first.length < 7 || !DumpHeader.startsWithMagic(first)) return false;
        int major = first[5] & 0xff;
        int minor = first[6] & 0xff;
        return major > 1 || (major == 1 && minor > NEWEST_MINOR);
    }

    /** Reads the header and table of contents from the first {@code length} bytes of an archive. */
    public static DumpToc parse(byte[] bytes, int length) throws CutShort, Unreadable {
        Reader in = new Reader(new ByteArrayInputStream(bytes, 0, length));
        try {
            byte[] magic = in.bytes(DumpHeader.MAGIC.length());
            if (!DumpHeader.startsWithMagic(magic)) throw new Unreadable("not a PostgreSQL custom-format dump");
            int major = in.u8();
            int minor = in.u8();
            in.u8(); // revision
            if (major != 1 || minor < OLDEST_MINOR || minor > NEWEST_MINOR) {
                throw new Unreadable("archive format " + major + "." + minor + " is not one parity reads");
            }
            in.intSize = in.u8();
            int offSize = in.u8();
            if (in.intSize < 1 || in.intSize > 8 || offSize < 1 || offSize > 16) throw new Unreadable("implausible integer sizes");
            if (in.u8() != 1) throw new Unreadable("not a custom-format archive");
            if (minor >= 15) in.u8(); // compression algorithm
            else in.integer(); // compression level
            for (int i = 0; i < 7; i++) in.integer(); // creation time
            in.string(); // database name
            in.string(); // server version
            in.string(); // pg_dump version
            long count = in.integer();
            if (count < 0 || count > 10_000_000) throw new Unreadable("implausible entry count " + count);
            List<Entry> entries = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                int dumpId = (int) in.integer();
                in.integer(); // had dumper
                in.string(); // catalog table oid
                in.string(); // catalog oid
                String tag = in.string();
                String desc = in.string();
                if (minor >= 11) in.integer(); // section
                String definition = in.string();
                in.string(); // drop statement
                in.string(); // copy statement
                String namespace = in.string();
                in.string(); // tablespace
                if (minor >= 14) in.string(); // table access method
                if (minor >= 16) in.integer(); // relkind
                in.string(); // owner
                in.string(); // "with oids"
                List<Integer> dependsOn = new ArrayList<>();
                for (String dep = in.string(); dep != null; dep = in.string()) { // dependencies, up to a null string
                    try {
                        dependsOn.add(Integer.parseInt(dep.trim()));
                    } catch (NumberFormatException e) {
                        throw new Unreadable("unexpected dependency '" + dep + "' in entry " + dumpId);
                    }
                }
                int flag = in.u8();
                long offset = 0;
                for (int b = 0; b < offSize; b++) {
                    long v = in.u8();
                    if (b < 8) offset |= v << (8 * b);
                    else if (v != 0) throw new Unreadable("a data offset too large");
                }
                Data data = switch (flag) {
                    case 1 -> Data.OFFSET_NOT_SET;
                    case 2 -> Data.OFFSET_SET;
                    case 3 -> Data.NONE;
                    default -> throw new Unreadable("unexpected data offset flag " + flag + " in entry " + dumpId);
                };
                entries.add(new Entry(dumpId, desc, namespace, tag, data, offset, List.copyOf(dependsOn), definition == null ? "" : definition));
            }
            return new DumpToc(minor, in.intSize, offSize, in.position, List.copyOf(entries));
        } catch (EOFException e) {
            throw new CutShort();
        } catch (IOException e) {
            throw new Unreadable(e.getMessage());
        }
    }

    /**
     * Reads data blocks from {@code in} up to its end and returns them in order. Each block is skipped chunk by chunk (only the chunk lengths are read), so a block
     * that the stream ends inside is found without decompressing anything.
     *
     * @throws CutShort if the stream ends inside a block
     */
    public List<Block> walkBlocks(InputStream stream) throws CutShort, Unreadable {
        Reader in = new Reader(stream);
        in.intSize = intSize;
        List<Block> blocks = new ArrayList<>();
        try {
            while (true) {
                long start = in.position;
                int type = stream.read();
                if (type < 0) return blocks;
                in.position++;
                blocks.add(new Block((int) in.integer(), start));
                if (type == BLOCK_DATA) {
                    in.skipChunks();
                } else if (type == BLOCK_BLOBS) {
                    while (in.integer() != 0) in.skipChunks(); // each large object: its oid, then its chunks; oid 0 ends them
                } else {
                    throw new Unreadable("unexpected data block type " + type + " at data byte " + (in.position - 1));
                }
            }
        } catch (EOFException e) {
            throw new CutShort();
        } catch (IOException e) {
            throw new Unreadable(e.getMessage());
        }
    }

    /** The archive's integers: a sign byte, then {@code intSize} bytes, least significant first. */
    private static final class Reader {
        private final InputStream in;
        long position;
        int intSize = 4;

        Reader(InputStream in) {
            this.in = in;
        }

        int u8() throws IOException {
            int b = in.read();
            if (b < 0) throw new EOFException();
            position++;
            return b;
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            position += b.length;
            if (b.length < n) throw new EOFException();
            return b;
        }

        long integer() throws IOException {
            int sign = u8();
            long value = 0;
            for (int i = 0; i < intSize; i++) {
                long b = u8();
                if (i < 8) value |= b << (8 * i);
            }
            return sign == 0 ? value : -value;
        }

        String string() throws IOException {
            long len = integer();
            if (len < 0) return null;
            if (len > 256L * 1024 * 1024) throw new IOException("implausible string length " + len);
            return new String(bytes((int) len), StandardCharsets.UTF_8);
        }

        void skipChunks() throws IOException {
            for (long len = integer(); len != 0; len = integer()) {
                if (len < 0) throw new IOException("negative chunk length at data byte " + position);
                in.skipNBytes(len);
                position += len;
            }
        }
    }
}
