package dev.parity.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * Filters a one-off dyno's output as {@code heroku run --exit-code} does (section 3.4): turns the
 * PTY's {@code \r\n} into {@code \n}, passes everything else on as it arrives, and finds and removes
 * the line {@code \uFFFF heroku-command-exit-status: N} that {@link #wrap(String)} made the dyno print.
 */
public final class ExitMarker {
    public static final String MARKER = "\uFFFF heroku-command-exit-status: ";
    private static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.UTF_8);

    private final OutputStream out;
    /** The current line's bytes not yet written: they might begin the marker or a {@code \r\n}. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private Integer status;
    /** Part of the current line has already been written. */
    private boolean lineStarted;

    public ExitMarker(OutputStream out) {
        this.out = out;
    }

    /** The command as sent to the dyno: the user's command, then the echo of its exit status. */
    public static String wrap(String command) {
        return command + " ; echo \"" + MARKER + "$?\"";
    }

    /** The exit status, once the marker line has been seen. */
    public OptionalInt status() {
        return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }

    public void write(byte[] buf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            byte b = buf[i];
            if (b == '\n') {
                line(pending.toByteArray());
                pending.reset();
            } else {
                pending.write(b);
            }
        }
        emitSafePrefix();
        out.flush();
    }

    /** The stream ended: writes what is left of the last line (and takes a marker from it). */
    public void finish() throws IOException {
        byte[] rest = pending.toByteArray();
        pending.reset();
        if (rest.length > 0) {
            int m = indexOf(rest, MARKER_BYTES);
            if (m >= 0) {
                parseStatus(rest, m);
                out.write(rest, 0, m);
            } else {
                out.write(rest);
            }
        }
        out.flush();
    }

    private void line(byte[] line) throws IOException {
        int len = line.length;
        if (len > 0 && line[len - 1] == '\r') len--;
        int m = indexOf(line, MARKER_BYTES, len);
        if (m >= 0 && parseStatus(line, m, len)) {
            if (m > 0 || lineStarted) { // the command's last line had no newline: keep its text
                out.write(line, 0, m);
                out.write('\n');
            }
            lineStarted = false;
            return;
        }
        out.write(line, 0, len);
        out.write('\n');
        lineStarted = false;
    }

    /** Writes the part of the pending line that can be neither the start of the marker nor a lone {@code \r}. */
    private void emitSafePrefix() throws IOException {
        byte[] p = pending.toByteArray();
        int keep = p.length;
        int m = indexOf(p, MARKER_BYTES);
        if (m >= 0) {
            keep = m;
        } else {
            for (int start = Math.max(0, p.length - MARKER_BYTES.length + 1); start < p.length; start++) {
                if (isPrefixOfMarker(p, start)) {
                    keep = start;
                    break;
                }
            }
        }
        if (keep > 0 && keep == p.length && p[keep - 1] == '\r') keep--;
        if (keep == 0) return;
        out.write(p, 0, keep);
        lineStarted = true;
        pending.reset();
        pending.write(p, keep, p.length - keep);
    }

    private static boolean isPrefixOfMarker(byte[] p, int start) {
        for (int i = start; i < p.length; i++) {
            if (p[i] != MARKER_BYTES[i - start]) return false;
        }
        return true;
    }

    private void parseStatus(byte[] line, int markerAt) {
        parseStatus(line, markerAt, line.length);
    }

    private boolean parseStatus(byte[] line, int markerAt, int len) {
        String digits = new String(line, markerAt + MARKER_BYTES.length, len - markerAt - MARKER_BYTES.length,
                StandardCharsets.UTF_8).strip();
        if (!digits.matches("\\d{1,9}")) return false;
        status = Integer.parseInt(digits);
        return true;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        return indexOf(hay, needle, hay.length);
    }

    static int indexOf(byte[] hay, byte[] needle, int len) {
        outer:
        for (int i = 0; i + needle.length <= len; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
