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
 *
 * <p>Guards follow the app, not the word: any environment whose app is production's app is
 * production (see {@link Environment#isProduction()}), and an app that is production's and
 * staging's at once is refused, naming where each came from.
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
        return identified(new Environment(name, kind, app(name), source(name)));
    }

    /** An app name and where it came from, for production and staging when they can be resolved. */
    private record Known(String app, String source) {}

    private Optional<Known> known(String name) {
        if (!config.environmentApps().containsKey(name) && !remotes.containsKey(name)) return Optional.empty();
        try {
            return Optional.of(new Known(app(name), source(name)));
        } catch (UnknownEnvironment e) {
            return Optional.empty(); // not a Heroku app: resolving that environment itself says why
        }
    }

    /** Heroku app names are lowercase; a remote or a configuration may still spell one otherwise. */
    private static boolean sameApp(String a, String b) {
        return a != null && b != null && a.equalsIgnoreCase(b);
    }

    /**
     * {@code env}, marked as production when its app is production's under another name; refused
     * when its app is both production's and staging's.
     */
    private Environment identified(Environment env) {
        Optional<Known> production = known("production");
        if (production.isEmpty() || !sameApp(env.app(), production.get().app())) return env;
        refuseShared(production.get());
        if (env.kind() == EnvironmentKind.PRODUCTION) return env;
        return new Environment(env.name(), env.kind(), env.app(), env.source(), env.name() + " is production's app "
                + production.get().app() + " (from " + production.get().source() + ")");
    }

    private void refuseShared(Known production) {
        Optional<Known> staging = known("staging");
        if (staging.isPresent() && sameApp(staging.get().app(), production.app())) {
            throw new SharedApp(production.app() + " is both production's app (from " + production.source()
                    + ") and staging's (from " + staging.get().source() + "), so parity cannot tell which guards apply."
                    + " Point one of them at its own app (" + ParityConfig.FILE + " environments: or git remote set-url)");
        }
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
        known("production").ifPresent(this::refuseShared);
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
