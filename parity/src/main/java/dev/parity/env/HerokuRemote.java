package dev.parity.env;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the app name out of a git remote URL in any of the forms Heroku hands out. */
public final class HerokuRemote {
    private HerokuRemote() {}

    public static Optional<String> appName(String url, HerokuHosts hosts) {
        for (HerokuHosts h : new HerokuHosts[] {hosts, HerokuHosts.DEFAULT}) {
            Optional<String> app = match(url.trim(), h);
            if (app.isPresent()) return app;
        }
        return Optional.empty();
    }

    private static Optional<String> match(String url, HerokuHosts h) {
        String git = Pattern.quote(h.gitHost());
        String http = Pattern.quote(h.httpGitHost());
        String app = "([A-Za-z0-9][A-Za-z0-9-]*?)(?:\\.git)?/?";
        for (String regex : new String[] {
                "git@" + git + ":" + app,
                "ssh://git@" + git + "(?::\\d+)?/" + app,
                "https?://(?:[^@/]+@)?" + http + "/" + app}) {
            Matcher m = Pattern.compile(regex).matcher(url);
            if (m.matches()) return Optional.of(m.group(1));
        }
        return Optional.empty();
    }
}
