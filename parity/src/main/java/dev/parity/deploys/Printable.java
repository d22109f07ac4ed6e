package dev.parity.deploys;

/**
 * Text from outside parity (release descriptions, release command output, file names, a Procfile
 * line, migration names from a database) made safe to print in one terminal line: control
 * characters (escape sequences that recolour, move the cursor or clear the screen, a newline that
 * would start a line looking like parity's own) and bidirectional overrides are shown as escapes.
 */
public final class Printable {
    private Printable() {}

    public static String line(String text) {
        if (text == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = c != '\t' && (Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069'));
            if (unsafe && b == null) b = new StringBuilder(text.substring(0, i));
            if (b == null) continue;
            if (unsafe) {
                b.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }
}
