package dev.parity.db;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The header of a {@code pg_dump -Fc} archive: its format version and the pg_dump version that
 * wrote it. Read before any database is touched, so a dump that this machine's pg_restore cannot
 * read is reported with the client version it needs instead of failing half-way.
 */
public record DumpHeader(int major, int minor, int revision, Optional<String> pgDumpVersion) {
    static final String MAGIC = "PGDMP";

    /** Format version 1.15 changed the compression field from an int to one byte. */
    private static final int FORMAT_WITH_COMPRESSION_BYTE = 15;

    public String formatVersion() {
        return major + "." + minor;
    }

    /**
     * The oldest PostgreSQL major version whose pg_restore reads this archive format, for formats
     * newer than 1.14 (pg_backup_archiver.h: 1.15 came with PostgreSQL 16, 1.16 with 17; anything
     * later needs at least 18). Empty for the older formats, which every supported client reads.
     * Needed because a header in a newer layout does not always yield the pg_dump version string.
     */
    public Optional<Integer> clientMajorNeeded() {
        if (major > 1 || (major == 1 && minor > 16)) return Optional.of(18);
        if (major == 1 && minor == 16) return Optional.of(17);
        if (major == 1 && minor == 15) return Optional.of(16);
        return Optional.empty();
    }

    public static boolean startsWithMagic(byte[] firstBytes) {
        return firstBytes.length >= MAGIC.length()
                && new String(firstBytes, 0, MAGIC.length(), StandardCharsets.US_ASCII).equals(MAGIC);
    }

    /** Reads the header; empty if the file is not a custom-format dump at all. */
    public static Optional<DumpHeader> read(Path file) throws IOException {
        return read(new java.io.BufferedInputStream(Files.newInputStream(file)));
    }

    /** The header from a dump's first bytes (a few hundred are enough). */
    public static Optional<DumpHeader> parse(byte[] first) {
        try {
            return read(new java.io.ByteArrayInputStream(first));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<DumpHeader> read(InputStream stream) throws IOException {
        try (DataInputStream in = new DataInputStream(stream)) {
            byte[] magic = in.readNBytes(MAGIC.length());
            if (!startsWithMagic(magic)) return Optional.empty();
            int major = in.readUnsignedByte();
            int minor = in.readUnsignedByte();
            int revision = in.readUnsignedByte();
            return Optional.of(new DumpHeader(major, minor, revision, versionString(in, minor)));
        } catch (java.io.EOFException e) {
            return Optional.empty();
        }
    }

    /** Best effort: the rest of the header holds the pg_dump version as its last string. */
    private static Optional<String> versionString(DataInputStream in, int minor) {
        try {
            int intSize = in.readUnsignedByte();
            in.readUnsignedByte(); // offset size
            in.readUnsignedByte(); // format
            if (minor >= FORMAT_WITH_COMPRESSION_BYTE) in.readUnsignedByte();
            else readInt(in, intSize);
            for (int i = 0; i < 7; i++) readInt(in, intSize); // creation time fields
            readString(in, intSize); // database name
            readString(in, intSize); // server version
            return Optional.ofNullable(readString(in, intSize));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static int readInt(InputStream in, int size) throws IOException {
        int sign = in.read();
        int value = 0;
        for (int i = 0; i < size; i++) {
            int b = in.read();
            if (b < 0) throw new java.io.EOFException();
            if (i < 4) value |= b << (8 * i);
        }
        return sign == 0 ? value : -value;
    }

    private static String readString(InputStream in, int intSize) throws IOException {
        int len = readInt(in, intSize);
        if (len < 0) return null;
        if (len > 1024) throw new IOException("implausible header string");
        byte[] bytes = in.readNBytes(len);
        if (bytes.length < len) throw new java.io.EOFException("header cut short");
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
