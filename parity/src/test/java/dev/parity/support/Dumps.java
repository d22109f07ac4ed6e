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

    /**
     * A whole custom-format dump as pg_dump writes it to a file: the header, a table of contents
     * with a table ({@code public users}) and its data, whose offset is recorded, then that data
     * block ({@code rows} bytes of COPY text in one chunk) and its end marker.
     */
    public static byte[] whole(int minor, String pgDumpVersion, String rows) {
        byte[] data = rows.getBytes(StandardCharsets.UTF_8);
        byte[] toc = toc(minor, 0);
        long dataStart = headerOnly(minor, pgDumpVersion).length + toc.length;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(headerOnly(minor, pgDumpVersion));
        b.writeBytes(toc(minor, dataStart));
        b.write(1); // a data block
        writeInt(b, 2); // of entry 2
        writeInt(b, data.length);
        b.writeBytes(data);
        writeInt(b, 0);
        return b.toByteArray();
    }

    private static byte[] headerOnly(int minor, String pgDumpVersion) {
        byte[] h = header(minor, pgDumpVersion);
        return java.util.Arrays.copyOf(h, h.length - "not really a table of contents".length());
    }

    private static byte[] toc(int minor, long dataOffset) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeInt(b, 2);
        entry(b, minor, 1, "TABLE", "CREATE TABLE public.users (id integer);", 3, 0);
        entry(b, minor, 2, "TABLE DATA", "", 2, dataOffset);
        return b.toByteArray();
    }

    private static void entry(ByteArrayOutputStream b, int minor, int id, String desc, String defn, int flag, long offset) {
        writeInt(b, id);
        writeInt(b, flag == 3 ? 0 : 1); // had dumper
        writeString(b, "1259");
        writeString(b, String.valueOf(16380 + id));
        writeString(b, "users");
        writeString(b, desc);
        if (minor >= 11) writeInt(b, desc.equals("TABLE") ? 1 : 2); // section: pre-data, data
        writeString(b, defn);
        writeString(b, "");
        writeString(b, desc.equals("TABLE DATA") ? "COPY public.users (id) FROM stdin;\n" : "");
        writeString(b, "public");
        writeString(b, "");
        if (minor >= 14) writeString(b, "heap");
        if (minor >= 16) writeInt(b, 'r');
        writeString(b, "app");
        writeString(b, "false");
        writeInt(b, -1); // no dependencies
        b.write(flag);
        for (int i = 0; i < 8; i++) b.write((int) (offset >> (8 * i)) & 0xff);
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
