package dev.parity.cli;

import dev.parity.config.ParityConfig;
import dev.parity.db.DevDatabase;
import dev.parity.detect.Project;
import dev.parity.detect.ProjectDetector;
import dev.parity.env.AppResolver;
import dev.parity.env.Environment;
import dev.parity.env.HerokuHosts;
import dev.parity.git.Git;
import dev.parity.process.ProcessRunner;
import dev.parity.ui.Io;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The repository parity was started in and what it knows about it: the configuration, the git
 * remotes, the detected framework. Each is read once, when first needed, so `--help` stays fast.
 */
public final class Workspace {
    private final Io io;
    private final ProcessRunner runner;
    private final Path root;
    private ParityConfig config;
    private AppResolver resolver;
    private Project project;
    private Map<String, String> remotes;
    /** Environments whose being production by app was already said. */
    private final Set<String> explained = new HashSet<>();

    public Workspace(Io io, ProcessRunner runner) {
        this.io = io;
        this.runner = runner;
        this.root = findRoot(io.cwd());
    }

    /** The nearest directory upwards holding {@code .git} or {@code .parity.yml}; else the working directory. */
    static Path findRoot(Path cwd) {
        for (Path p = cwd.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git")) || Files.exists(p.resolve(ParityConfig.FILE))) return p;
        }
        return cwd.toAbsolutePath();
    }

    public Io io() {
        return io;
    }

    public ProcessRunner runner() {
        return runner;
    }

    public Path root() {
        return root;
    }

    public Git git() {
        return new Git(runner);
    }

    public HerokuHosts hosts() {
        return HerokuHosts.from(io.env());
    }

    public ParityConfig config() {
        if (config == null) config = ParityConfig.load(root);
        return config;
    }

    public Map<String, String> remotes() throws InterruptedException {
        if (remotes == null) remotes = git().remotes(root);
        return remotes;
    }

    public AppResolver resolver() throws InterruptedException {
        if (resolver == null) resolver = new AppResolver(config(), remotes(), hosts());
        return resolver;
    }

    /**
     * The environment {@code name} means. One that is production only by its app says so once on
     * stderr, before anything runs, so the guards that follow are never a surprise.
     */
    public Environment environment(String name) throws InterruptedException {
        Environment env = resolver().resolve(name);
        env.productionByApp().ifPresent(why -> {
            if (explained.add(name)) io.err().println("parity: " + why + ", so parity treats it as production");
        });
        return env;
    }

    /** The local database: {@code .parity.yml development:} first, then what the framework's files say. */
    public DevDatabase developmentDatabase() {
        ParityConfig.Development d = config().development();
        try {
            if (d.database().isPresent()) {
                return new DevDatabase(d.database().get(), d.host(), d.port(), d.username(), Optional.empty(),
                        ParityConfig.FILE + " development.database");
            }
            Project p = project();
            return p.developmentDatabase()
                    .map(db -> new DevDatabase(db.name(), d.host().or(db::host), d.port().or(db::port),
                            d.username().or(db::username), db.password(), db.source()))
                    .orElseThrow(() -> new UsageError("cannot tell the development database's name"
                            + ("unknown".equals(p.framework()) ? "" : " (" + p.framework() + " detected)")
                            + ". Set it in " + ParityConfig.FILE + ":  development: {database: myapp_development}"));
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    /** Where parity keeps files between runs (local backups): $XDG_CACHE_HOME/parity or ~/.cache/parity. */
    public Path cacheDirectory() {
        // the XDG spec: a relative path is invalid and ignored (it would put production dumps in the working directory)
        String xdg = io.env("XDG_CACHE_HOME");
        Path base = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(io.env().getOrDefault("HOME", System.getProperty("user.home")), ".cache");
        return base.resolve("parity");
    }

    /** The Platform API client for this environment (token from HEROKU_API_KEY or ~/.netrc). */
    public dev.parity.heroku.HerokuApi api() {
        return dev.parity.heroku.HerokuApi.from(io.env());
    }

    /** The Platform API, typed: dynos, releases, slugs, maintenance, config vars. */
    public dev.parity.heroku.Platform platform() {
        return new dev.parity.heroku.Platform(api());
    }

    public Project project() {
        if (project == null) project = ProjectDetector.detect(root, io.env());
        return project;
    }
}
