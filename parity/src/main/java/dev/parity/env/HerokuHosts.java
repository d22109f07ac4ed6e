package dev.parity.env;

import java.net.URI;
import java.util.Map;

/**
 * The git hosts a Heroku app's remote can point at, derived from {@code HEROKU_HOST} and
 * {@code HEROKU_GIT_HOST} the way the official CLI derives them (a full URL such as
 * {@code http://127.0.0.1:5555} makes both git hosts {@code 127.0.0.1:5555}).
 */
public record HerokuHosts(String apiBase, String gitHost, String httpGitHost) {
    public static final HerokuHosts DEFAULT = new HerokuHosts("https://api.heroku.com", "heroku.com", "git.heroku.com");

    public static HerokuHosts from(Map<String, String> env) {
        HerokuHosts h = fromHerokuHost(env.get("HEROKU_HOST"));
        String gitOverride = env.get("HEROKU_GIT_HOST");
        if (gitOverride != null && !gitOverride.isBlank()) {
            h = new HerokuHosts(h.apiBase, gitOverride, gitOverride);
        }
        return h;
    }

    private static HerokuHosts fromHerokuHost(String host) {
        if (host == null || host.isBlank() || !accepted(host)) return DEFAULT;
        if (host.startsWith("http://") || host.startsWith("https://")) {
            URI uri;
            try {
                uri = URI.create(host);
            } catch (IllegalArgumentException e) {
                throw malformed(host);
            }
            if (uri.getHost() == null || uri.getPort() > 65535) throw malformed(host);
            String hostPort = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return new HerokuHosts(stripSlash(host), hostPort, hostPort);
        }
        if (!BARE_HOST.matcher(host).matches()) throw malformed(host);
        return new HerokuHosts("https://api." + host, host, "git." + host);
    }

    private static final java.util.regex.Pattern BARE_HOST = java.util.regex.Pattern.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?");

    /** One line naming the variable, never a URI parser's trace. */
    private static dev.parity.config.ConfigError malformed(String host) {
        return new dev.parity.config.ConfigError("HEROKU_HOST '" + dev.parity.ui.Redact.url(host).replaceAll("\\p{Cntrl}", "?") + "' is neither a host name "
                + "(heroku.com) nor a URL (http://127.0.0.1:5555); fix it or unset it");
    }

    /**
     * The Postgres data API's base, as the official CLI finds it: {@code HEROKU_DATA_HOST}, else
     * {@code HEROKU_POSTGRESQL_HOST}, else api.data.heroku.com; only the host changes, the scheme and
     * port stay the API's (so a loopback sandbox serves both on one port).
     */
    public static String dataBase(Map<String, String> env, String apiBase) {
        String host = env.get("HEROKU_DATA_HOST");
        if (host == null || host.isBlank()) host = env.get("HEROKU_POSTGRESQL_HOST");
        if (host == null || host.isBlank()) host = "api.data.heroku.com";
        URI api = URI.create(apiBase);
        return api.getScheme() + "://" + host.strip() + (api.getPort() == -1 ? "" : ":" + api.getPort());
    }

    /** The app's git URL over HTTP(S); plain HTTP only when the API itself is plain HTTP (a local sandbox). */
    public String gitUrl(String app) {
        String scheme = apiBase.startsWith("http://") ? "http://" : "https://";
        return scheme + httpGitHost + "/" + app + ".git";
    }

    /** The CLI ignores any HEROKU_HOST that is not a Heroku domain or loopback. */
    static boolean accepted(String host) {
        String h = host.toLowerCase();
        if (h.contains("localhost") || h.contains("127.0.0.1")) return true;
        String bare = h.replaceFirst("^https?://", "").replaceFirst("[:/].*$", "");
        return bare.equals("heroku.com") || bare.endsWith(".heroku.com") || bare.endsWith(".herokai.com")
                || bare.endsWith(".herokuspace.com") || bare.endsWith(".herokudev.com");
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
