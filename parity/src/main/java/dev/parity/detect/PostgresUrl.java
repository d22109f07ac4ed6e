package dev.parity.detect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A PostgreSQL connection URL split into parts: {@code postgres://user:pw@host:port/db},
 * {@code postgresql://...}, the JDBC forms {@code jdbc:postgresql://host/db?user=u&password=p} and
 * {@code jdbc:postgresql:db}, and Ecto's {@code ecto://...}. Parts are percent-decoded.
 *
 * @param password secret: never printed by {@link #toString()}
 */
public record PostgresUrl(Optional<String> host, Optional<String> port, Optional<String> username,
                          Optional<String> password, Optional<String> database) {

    /** Ecto (Phoenix) writes Postgres URLs with its own scheme; the rest of the syntax is the same. */
    private static final Set<String> SCHEMES = Set.of("postgres", "postgresql", "ecto");

    public PostgresUrl {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(database, "database");
    }

    /** The parts of {@code url}, or empty when it is not a Postgres URL (e.g. {@code mysql2://...}). */
    public static Optional<PostgresUrl> parse(String url) {
        if (url == null) return Optional.empty();
        String s = url.strip();
        if (s.regionMatches(true, 0, "jdbc:", 0, 5)) s = s.substring(5);
        int colon = s.indexOf(':');
        if (colon <= 0) return Optional.empty();
        String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) return Optional.empty();
        String rest = s.substring(colon + 1);
        int hash = rest.indexOf('#');
        if (hash >= 0) rest = rest.substring(0, hash);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }

        String host = null, port = null, user = null, password = null, database;
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
            int slash = rest.indexOf('/');
            String authority = slash >= 0 ? rest.substring(0, slash) : rest;
            database = slash >= 0 ? rest.substring(slash + 1) : null;
            // The last '@' ends the user info: an unencoded '@' in a password is common in hand-written URLs.
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                authority = authority.substring(at + 1);
                int c = userInfo.indexOf(':');
                user = c >= 0 ? userInfo.substring(0, c) : userInfo;
                password = c >= 0 ? userInfo.substring(c + 1) : null;
            }
            // libpq allows several hosts ("h1:5432,h2:5432"); the first is the one tried first.
            int comma = authority.indexOf(',');
            if (comma >= 0) authority = authority.substring(0, comma);
            if (authority.startsWith("[")) { // IPv6 literal: [::1]:5432
                int close = authority.indexOf(']');
                if (close < 0) return Optional.empty();
                host = authority.substring(1, close);
                String after = authority.substring(close + 1);
                if (after.startsWith(":")) port = after.substring(1);
            } else {
                int c = authority.lastIndexOf(':');
                host = c >= 0 ? authority.substring(0, c) : authority;
                port = c >= 0 ? authority.substring(c + 1) : null;
            }
        } else {
            database = rest; // jdbc:postgresql:database
        }

        // Query parameters (libpq and JDBC) fill in what the URL's body leaves out.
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            String key = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            switch (key) {
                case "user" -> user = blank(user) ? value : user;
                case "password" -> password = blank(password) ? value : password;
                case "host" -> host = blank(host) ? value : host;
                case "port" -> port = blank(port) ? value : port;
                case "dbname" -> database = blank(database) ? value : database;
                default -> { }
            }
        }
        return Optional.of(new PostgresUrl(part(host), part(port), part(user), part(password), part(database)));
    }

    /** The local database this URL names, if it names one. */
    public Optional<LocalDatabase> toLocalDatabase(String source) {
        return database.map(db -> new LocalDatabase(db, host, port, username, password, source));
    }

    @Override
    public String toString() {
        return "PostgresUrl[host=" + host + ", port=" + port + ", username=" + username
                + ", password=" + password.map(p -> "Optional[<redacted>]").orElse("Optional.empty")
                + ", database=" + database + "]";
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    private static Optional<String> part(String raw) {
        if (blank(raw)) return Optional.empty();
        String decoded = percentDecode(raw);
        return decoded.isBlank() ? Optional.empty() : Optional.of(decoded);
    }

    /** RFC 3986 decoding: unlike URLDecoder, '+' stays '+' (it is common in generated passwords). */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 3;
            } else { // a '%' without two hex digits is kept as written
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
