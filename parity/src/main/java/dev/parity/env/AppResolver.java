package dev.parity.env;

import dev.parity.config.ParityConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Decides which Heroku app an environment name means: {@code .parity.yml} first, then the git
 * remote of that name. Never parses {@code heroku info} output.
 */
public final class AppResolver {
    /** The original's review-app naming: first 20 characters of the staging app, then -pr-N. */
    static final int REVIEW_PREFIX_LENGTH = 20;
    private static final Pattern PR_NUMBER = Pattern.compile("[1-9][0-9]{0,9}");

    private final ParityConfig config;
    private final Map<String, String> remotes;
    private final HerokuHosts hosts;

    /** @param remotes git remote name to fetch URL */
    public AppResolver(ParityConfig config, Map<String, String> remotes, HerokuHosts hosts) {
        this.config = config;
        this.remotes = new LinkedHashMap<>(remotes);
        this.hosts = hosts;
    }

    /** Environment names this repository knows: the built-in ones, the configured ones, Heroku remotes. */
    public TreeSet<String> knownEnvironments() {
        TreeSet<String> names = new TreeSet<>(java.util.List.of("production", "staging", "development", "pr_app"));
        names.addAll(config.environmentApps().keySet());
        remotes.forEach((name, url) -> {
            if (HerokuRemote.appName(url, hosts).isPresent()) names.add(name);
        });
        return names;
    }

    /** Whether {@code name} is an environment at all (it may still lack an app). */
    public boolean isEnvironment(String name) {
        return knownEnvironments().contains(name);
    }

    public Environment resolve(String name) {
        EnvironmentKind kind = EnvironmentKind.of(name);
        if (kind == EnvironmentKind.DEVELOPMENT) return Environment.development();
        if (kind == EnvironmentKind.REVIEW_APP) {
            throw new IllegalArgumentException("use resolveReviewApp for pr_app");
        }
        if (!isEnvironment(name)) {
            throw new UnknownEnvironment("unknown environment '" + name + "'. Known environments: "
                    + String.join(", ", knownEnvironments())
                    + ". Add one with a git remote (heroku git:remote -r " + name + " -a APP) or in "
                    + ParityConfig.FILE + " under environments:");
        }
        return new Environment(name, kind, app(name), source(name));
    }

    /** {@code pr_app N}: the review app for pull request N, named after the staging app. */
    public static boolean isPullRequestNumber(String s) {
        return s != null && PR_NUMBER.matcher(s).matches();
    }

    public Environment resolveReviewApp(String number) {
        if (!isPullRequestNumber(number)) {
            throw new UnknownEnvironment("pr_app needs a pull request number first, e.g. `pr_app 1234 console`"
                    + (number == null ? "" : " (got '" + number + "')"));
        }
        String staging = app("staging");
        String prefix = staging.length() > REVIEW_PREFIX_LENGTH ? staging.substring(0, REVIEW_PREFIX_LENGTH) : staging;
        return new Environment("pr_app " + number, EnvironmentKind.REVIEW_APP, prefix + "-pr-" + number,
                "review app of " + source("staging"));
    }

    private String app(String name) {
        String configured = config.environmentApps().get(name);
        if (configured != null) return configured;
        String url = remotes.get(name);
        if (url == null) {
            throw new UnknownEnvironment("no git remote named '" + name + "' and no environments." + name
                    + ".app in " + ParityConfig.FILE + ". Add the remote with: heroku git:remote -r " + name + " -a APP");
        }
        Optional<String> app = HerokuRemote.appName(url, hosts);
        return app.orElseThrow(() -> new UnknownEnvironment("git remote '" + name + "' points at " + dev.parity.ui.Redact.url(url)
                + ", which is not a Heroku app. Set it with: git remote set-url " + name
                + " " + hosts.gitUrl("APP") + " (or set environments." + name + ".app in "
                + ParityConfig.FILE + ")"));
    }

    private String source(String name) {
        return config.environmentApps().containsKey(name)
                ? ParityConfig.FILE + " environments." + name + ".app"
                : "git remote '" + name + "'";
    }
}
