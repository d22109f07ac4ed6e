package dev.parity.ui;

import java.util.regex.Pattern;

/** Keeps secrets out of what parity prints: credentials in URLs, signed query strings. */
public final class Redact {
    private static final Pattern USERINFO = Pattern.compile("(?<=://)[^/@\\s]+@");
    private static final Pattern QUERY = Pattern.compile("\\?\\S*");

    private Redact() {}

    /** {@code https://user:pw@host/p?sig=x} becomes {@code https://<redacted>@host/p?<redacted>}. */
    public static String url(String url) {
        if (url == null) return null;
        String s = USERINFO.matcher(url).replaceAll("<redacted>@");
        return QUERY.matcher(s).replaceAll("?<redacted>");
    }
}
