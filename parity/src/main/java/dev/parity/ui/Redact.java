package dev.parity.ui;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Keeps secrets out of what parity prints: credentials in URLs, signed query strings. */
public final class Redact {
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://\\S+");
    private static final Pattern USERINFO = Pattern.compile("(?<=://)[^/@\\s]+@");
    private static final Pattern QUERY = Pattern.compile("\\?\\S*");

    private Redact() {}

    /**
     * In every URL of {@code text}: {@code https://user:pw@host/p?sig=x} becomes
     * {@code https://<redacted>@host/p?<redacted>}. Text outside URLs is left as it is.
     */
    public static String url(String text) {
        if (text == null) return null;
        Matcher m = URL.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String u = USERINFO.matcher(m.group()).replaceAll("<redacted>@");
            u = QUERY.matcher(u).replaceAll("?<redacted>");
            m.appendReplacement(sb, Matcher.quoteReplacement(u));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * As {@link #url}, and the path too but for its last segment: a download link may carry its
     * secret in the path (Dropbox's {@code /s/TOKEN/}, the sandbox's {@code /backups/TOKEN/}), so
     * {@code https://host/s/TOKEN/latest.dump?dl=1} becomes {@code https://host/<redacted>/latest.dump?<redacted>}.
     */
    public static String downloadUrl(String text) {
        if (text == null) return null;
        Matcher m = URL.matcher(url(text));
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String u = m.group();
            int path = u.indexOf('/', u.indexOf("://") + 3);
            int query = u.indexOf('?');
            int end = query < 0 ? u.length() : query;
            int last = u.lastIndexOf('/', end - 1);
            if (path >= 0 && path < end && last > path) u = u.substring(0, path) + "/<redacted>" + u.substring(last);
            m.appendReplacement(sb, Matcher.quoteReplacement(u));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
