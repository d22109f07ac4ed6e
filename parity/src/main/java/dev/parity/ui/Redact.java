package dev.parity.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of what parity prints: credentials in URLs, signed query strings, fragments.
 * Works on any text: several URLs on a line, URLs in quotes or brackets, upper-case schemes, and a
 * URL whose path holds a space (the words after the space that still look like path or query are
 * taken as part of it, so its signature is never left behind).
 */
public final class Redact {
    public static final String MARK = "<redacted>";
    private static final Pattern SCHEME = Pattern.compile("(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://");
    /** Ends a URL: white space, quotes and angle brackets (never part of a URL as printed). */
    private static final String STOP = " \t\r\n\"'<>`";
    /** A query string outside any recognised URL: {@code ?name=…} up to white space. */
    private static final Pattern LOOSE_QUERY = Pattern.compile("\\?[^\\s?#=&\"'<>`]+=[^\\s\"'<>`]*");
    /** Signature and credential parameters wherever they appear, e.g. in a header dump or a split URL. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)(?<![A-Za-z0-9_-])((?:x-amz-(?:signature|credential|security-token)|signature|sig|token|access_token"
                    + "|password|passwd|secret|api_key|apikey)=)[^\\s&#\"'<>`]+");

    private Redact() {}

    /**
     * In every URL of {@code text}: {@code https://user:pw@host/p?sig=x#f} becomes
     * {@code https://<redacted>@host/p?<redacted>}; a fragment alone becomes {@code #<redacted>}.
     * Host and path are kept. Text outside URLs is left as it is, but for query strings and
     * signature parameters (which only ever appear there when a URL was split).
     */
    public static String url(String text) {
        if (text == null) return null;
        StringBuilder sb = new StringBuilder();
        int done = 0;
        for (int[] span : urls(text)) {
            sb.append(text, done, span[0]);
            sb.append(redactOne(text.substring(span[0], span[1])));
            done = span[1];
        }
        sb.append(text.substring(done));
        String out = LOOSE_QUERY.matcher(sb.toString()).replaceAll("?" + MARK);
        return SECRET_PARAMETER.matcher(out).replaceAll("$1" + MARK);
    }

    /**
     * As {@link #url}, and the path too but for its last segment: a download link may carry its
     * secret in the path (Dropbox's {@code /s/TOKEN/}, the sandbox's {@code /backups/TOKEN/}), so
     * {@code https://host/s/TOKEN/latest.dump?dl=1} becomes {@code https://host/<redacted>/latest.dump?<redacted>}.
     */
    public static String downloadUrl(String text) {
        if (text == null) return null;
        StringBuilder sb = new StringBuilder();
        int done = 0;
        for (int[] span : urls(text)) {
            sb.append(text, done, span[0]);
            sb.append(redactPath(redactOne(text.substring(span[0], span[1]))));
            done = span[1];
        }
        sb.append(text.substring(done));
        return url(sb.toString());
    }

    /** Start and end of each URL in {@code text}. */
    private static List<int[]> urls(String text) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = SCHEME.matcher(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            int start = m.start();
            int end = wordEnd(text, m.end());
            // a space inside the path: the next word belongs to the URL while it still looks like path or query
            while (!hasQueryOrFragment(text, m.end(), end) && end < text.length() && text.charAt(end) == ' ') {
                int nextEnd = wordEnd(text, end + 1);
                String next = text.substring(end + 1, nextEnd);
                if (next.isEmpty() || next.contains("://") || !(next.contains("/") || next.contains("?")
                        || next.contains("#") || next.contains("="))) {
                    break;
                }
                end = nextEnd;
            }
            spans.add(new int[] {start, end});
            from = Math.max(end, m.end());
        }
        return spans;
    }

    private static int wordEnd(String text, int from) {
        int i = from;
        while (i < text.length() && STOP.indexOf(text.charAt(i)) < 0) i++;
        return i;
    }

    private static boolean hasQueryOrFragment(String text, int from, int to) {
        for (int i = from; i < to; i++) if (text.charAt(i) == '?' || text.charAt(i) == '#') return true;
        return false;
    }

    /** One URL: userinfo, query and fragment replaced. */
    private static String redactOne(String u) {
        int afterScheme = u.indexOf("://") + 3;
        String rest = u.substring(afterScheme);
        // "user:pa#ss@host" or "user:pa?ss@host": a password typed unencoded; its '@' still ends the userinfo
        int userColon = rest.indexOf(':');
        int userAt = rest.indexOf('@');
        int userSlash = rest.indexOf('/');
        if (userColon >= 0 && userAt > userColon && (userSlash < 0 || userAt < userSlash) && indexOfAny(rest.substring(0, userAt), "?#") >= 0) {
            return u.substring(0, afterScheme) + MARK + "@" + redactOne("x://" + rest.substring(userAt + 1)).substring(4);
        }
        int q = indexOfAny(rest, "?#");
        String beforeQuery = q < 0 ? rest : rest.substring(0, q);
        String tail = "";
        if (q >= 0 && q + 1 < rest.length()) tail = rest.charAt(q) == '?' ? "?" + MARK : "#" + MARK;
        else if (q >= 0) tail = rest.substring(q); // an empty query hides nothing
        // a password may hold '@' and even '/': with "user:" before the first '@', userinfo runs to the last '@'
        int at = -1;
        int firstAt = beforeQuery.indexOf('@');
        if (firstAt >= 0) {
            int colon = beforeQuery.indexOf(':');
            int slash = beforeQuery.indexOf('/');
            String afterColon = colon < 0 ? "" : beforeQuery.substring(colon + 1, slash > colon ? slash : beforeQuery.length());
            if (colon >= 0 && colon < firstAt && !afterColon.matches("\\d*")) {
                at = beforeQuery.lastIndexOf('@');
            } else {
                at = beforeQuery.lastIndexOf('@', slash < 0 ? beforeQuery.length() : slash);
            }
        }
        String authorityOn = at < 0 ? beforeQuery : MARK + beforeQuery.substring(at);
        return u.substring(0, afterScheme) + authorityOn + tail;
    }

    /** The path of an already redacted URL, but for its last segment. */
    private static String redactPath(String u) {
        int afterScheme = u.indexOf("://") + 3;
        int path = u.indexOf('/', afterScheme);
        int end = indexOfAny(u.substring(afterScheme), "?#");
        end = end < 0 ? u.length() : afterScheme + end;
        if (path < 0 || path >= end) return u;
        int last = u.lastIndexOf('/', end - 1);
        if (last <= path) return u;
        return u.substring(0, path) + "/" + MARK + u.substring(last);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return i;
        return -1;
    }
}
