package dev.parity.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Byte images of dump files for tests that need a header but no database. */
public final class Dumps {
    private Dumps() {}

    /** A custom-format header of the given archive version written by {@code pgDumpVersion}, then junk. */
    public static byte[] header(int minor, String pgDumpVersion) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("PGDMP".getBytes(StandardCharsets.US_ASCII));
        b.write(1);
        b.write(minor);
        b.write(0);
        b.write(4); // int size
        b.write(8); // offset size
        b.write(1); // format: custom
        if (minor >= 15) b.write(0); else writeInt(b, 0); // compression
        for (int i = 0; i < 7; i++) writeInt(b, 1);
        writeString(b, "myapp");
        writeString(b, pgDumpVersion);
        writeString(b, pgDumpVersion);
        b.writeBytes("not really a table of contents".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream b, int v) {
        b.write(v < 0 ? 1 : 0);
        int a = Math.abs(v);
        for (int i = 0; i < 4; i++) b.write((a >> (8 * i)) & 0xff);
    }

    private static void writeString(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeInt(b, bytes.length);
        b.writeBytes(bytes);
    }
}
