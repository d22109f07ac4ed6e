package dev.parity.sandbox;

import com.sun.net.httpserver.HttpServer;
import dev.parity.pgcluster.PostgresCluster;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.api.AdminApi;
import dev.parity.sandbox.api.DataApi;
import dev.parity.sandbox.api.GitApi;
import dev.parity.sandbox.api.LogApi;
import dev.parity.sandbox.api.PlatformApi;
import dev.parity.sandbox.api.RunApi;
import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.http.Faults;
import dev.parity.sandbox.http.RequestCounts;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.logs.LogHub;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.model.Formation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A local Heroku: the Platform API and data API on one loopback HTTP port, apps with dynos that
 * boot, one-off dynos, logs, git deploys and a Postgres add-on on a throwaway cluster. The official
 * heroku CLI reaches it with {@code HEROKU_HOST=http://127.0.0.1:PORT}.
 */
public final class Sandbox implements AutoCloseable {
    /** Settings for one sandbox. {@code port} 0 picks a free port. */
    public record Options(Path dir, int port, Duration bootDelay, String token, String email) {
        public static Options in(Path dir) {
            return new Options(dir, 0, Duration.ofSeconds(1), null, "dev@example.com");
        }

        public Options withPort(int p) {
            return new Options(dir, p, bootDelay, token, email);
        }

        public Options withBootDelay(Duration d) {
            return new Options(dir, port, d, token, email);
        }

        public Options withToken(String t) {
            return new Options(dir, port, bootDelay, t, email);
        }
    }

    private static final Pattern APP_NAME = Pattern.compile("[a-z][a-z0-9-]{2,29}");

    private final Options options;
    private final String token;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final Set<String> crashOnBoot = ConcurrentHashMap.newKeySet();
    private final Faults faults = new Faults();
    private final RequestCounts requests = new RequestCounts();
    private final LogHub logs = new LogHub(clock);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sandbox-dynos"));
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> daemon(r, "sandbox-http"));
    private final SystemProcessRunner runner;
    private final HttpServer server;
    private final List<Part> parts = new ArrayList<>();
    private volatile Duration bootDelay;
    private PostgresCluster cluster;

    private Sandbox(Options options) throws IOException {
        this.options = options;
        this.token = options.token() != null ? options.token() : "sandbox-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        this.bootDelay = options.bootDelay();
        Files.createDirectories(options.dir());
        this.runner = new SystemProcessRunner(withoutHerokuCredentials(System.getenv()), options.dir());
        Router router = new Router(token::equals, faults, requests);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 64);
        parts.add(new PlatformApi(this));
        parts.add(new RunApi(this));
        parts.add(new LogApi(this));
        parts.add(new GitApi(this));
        parts.add(new DataApi(this));
        parts.add(new AdminApi(this));
        for (Part p : parts) p.register(router);
        server.createContext("/", router::handle);
        server.setExecutor(workers);
    }

    /**
     * What the sandbox's own programs (dyno commands, git, pg tools) inherit: the caller's
     * environment without its Heroku settings, so a dyno's {@code env} never shows the user's real
     * HEROKU_API_KEY, and a command in a dyno cannot reach real Heroku by accident.
     */
    static Map<String, String> withoutHerokuCredentials(Map<String, String> env) {
        Map<String, String> clean = new LinkedHashMap<>(env);
        clean.keySet().removeIf(k -> k.startsWith("HEROKU_"));
        return clean;
    }

    public static Sandbox start(Options options) throws IOException {
        Sandbox s = new Sandbox(options);
        s.server.start();
        return s;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ---- what the parts share ----

    public int port() {
        return server.getAddress().getPort();
    }

    /** The API base: what {@code HEROKU_HOST} is set to. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public String token() {
        return token;
    }

    public String email() {
        return options.email();
    }

    public Path dir() {
        return options.dir();
    }

    public Clock clock() {
        return clock;
    }

    public Faults faults() {
        return faults;
    }

    /** How many API requests reached their handler, by method and path. */
    public RequestCounts requests() {
        return requests;
    }

    public LogHub logs() {
        return logs;
    }

    public SystemProcessRunner runner() {
        return runner;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public <T extends Part> T part(Class<T> type) {
        for (Part p : parts) if (type.isInstance(p)) return type.cast(p);
        throw new IllegalStateException("no part " + type.getSimpleName());
    }

    /** The throwaway PostgreSQL cluster, started the first time an app needs a database. */
    public synchronized PostgresCluster cluster() {
        if (cluster == null) cluster = PostgresCluster.start(dir().resolve("postgres"));
        return cluster;
    }

    public synchronized boolean hasCluster() {
        return cluster != null;
    }

    /**
     * Environment variables a client needs besides HEROKU_HOST and the token (e.g. the CA that
     * signs the rendezvous certificate, for NODE_EXTRA_CA_CERTS).
     */
    public Map<String, String> extraEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        // the CLI otherwise waits on heroku.com hosts it cannot reach from here (telemetry, particleboard)
        env.put("HEROKU_PARTICLEBOARD_URL", baseUrl());
        env.put("DISABLE_TELEMETRY", "true");
        for (Part p : parts) env.putAll(p.env());
        return env;
    }

    public Duration bootDelay() {
        return bootDelay;
    }

    public void bootDelay(Duration d) {
        bootDelay = d;
    }

    /** Dynos of this process type crash on boot from now on (or stop crashing, with false). */
    public void crashOnBoot(String type, boolean crash) {
        if (crash) crashOnBoot.add(type); else crashOnBoot.remove(type);
    }

    // ---- apps ----

    public App app(String idOrName) {
        App a = apps.get(idOrName);
        if (a == null) a = apps.values().stream().filter(x -> x.id.equals(idOrName)).findFirst().orElse(null);
        if (a == null) throw ApiError.notFound("Couldn't find that app.", "app");
        return a;
    }

    public List<App> apps() {
        return apps.values().stream().sorted(java.util.Comparator.comparing(a -> a.name)).toList();
    }

    /**
     * Creates an app with an initial release, a bare git repository to push to, and optionally a
     * formation ({@code web=2, worker=1}) and a Postgres database.
     */
    public App createApp(String name, boolean postgres, Map<String, Integer> formation) {
        if (!APP_NAME.matcher(name).matches()) {
            throw ApiError.invalidParams("Name must start with a letter, end with a letter or digit and can only contain "
                    + "lowercase letters, digits, and dashes (3 to 30 characters).");
        }
        Path appDir = dir().resolve("apps").resolve(name);
        App app = new App(name, appDir.resolve("repo.git"), appDir.resolve("code"), clock.instant());
        if (apps.putIfAbsent(name, app) != null) throw invalidName(name);
        try {
            Files.createDirectories(app.codeDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        part(GitApi.class).createRepository(app);
        synchronized (app) {
            app.addRelease("Initial release", "succeeded", null, clock.instant());
            logs.heroku(app.name, "api", "Release v1 created by " + email());
            // until a deploy brings a Procfile, each type's command says so (and keeps `ps` groups apart)
            formation.forEach((type, quantity) -> app.formation.put(type,
                    new Formation(type, quantity, "(" + type + ": no code deployed yet)", "Basic", clock.instant())));
        }
        if (postgres) {
            try {
                part(DataApi.class).provision(app);
            } catch (dev.parity.pgcluster.PostgresClusterException e) {
                apps.remove(name); // nothing half-made stays behind; a retry after installing PostgreSQL works
                throw new ApiError(503, "unavailable", "cannot give " + name + " a database: " + e.getMessage());
            }
        }
        scale(app);
        return app;
    }

    private static ApiError invalidName(String name) {
        return ApiError.invalidParams("Name " + name + " is already taken");
    }

    // ---- dynos ----

    /** Makes the dynos match the formation: adds missing ones (booting), removes extra ones. */
    public void scale(App app) {
        synchronized (app) {
            for (Formation f : app.formation.values()) {
                List<Dyno> ofType = app.dynos.stream().filter(d -> d.type.equals(f.type)).toList();
                for (int n = ofType.size() + 1; n <= f.quantity; n++) {
                    Dyno d = new Dyno(f.type + "." + n, f.type, f.command, f.size, app.currentVersion(), clock.instant());
                    app.dynos.add(d);
                    boot(app, d);
                }
                for (Dyno d : ofType) {
                    if (d.number() > f.quantity) {
                        app.dynos.remove(d);
                        logs.heroku(app.name, d.name, "Stopping all processes with SIGTERM");
                    }
                }
            }
        }
    }

    /** Restarts the matching formation dynos: each goes to starting now and up after the boot delay. */
    public void restart(App app, Predicate<Dyno> which) {
        synchronized (app) {
            for (Dyno d : app.dynos) {
                if (d.type.equals("run") || d.type.equals("release") || !which.test(d)) continue;
                logs.heroku(app.name, d.name, "Restarting");
                logs.heroku(app.name, d.name, "State changed from " + d.state + " to starting");
                boot(app, d);
            }
        }
    }

    /** Moves the dyno to starting on the current release, and to up (or crashed) after the boot delay. */
    private void boot(App app, Dyno d) {
        long generation = ++d.generation;
        d.state = "starting";
        d.updatedAt = clock.instant();
        d.releaseVersion = app.currentVersion();
        Formation f = app.formation.get(d.type);
        if (f != null) d.command = f.command;
        logs.heroku(app.name, d.name, "Starting process with command `" + d.command + "`");
        scheduler.schedule(() -> {
            synchronized (app) {
                if (d.generation != generation || !app.dynos.contains(d)) return;
                String to = crashOnBoot.contains(d.type) ? "crashed" : "up";
                if (to.equals("crashed")) logs.heroku(app.name, d.name, "Process exited with status 1");
                logs.heroku(app.name, d.name, "State changed from starting to " + to);
                d.state = to;
                d.updatedAt = clock.instant();
            }
        }, bootDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Parses {@code web=2,worker=1}. */
    public static Map<String, Integer> parseFormation(String spec) {
        Map<String, Integer> f = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) return f;
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=");
            if (kv.length != 2) throw new IllegalArgumentException("formation must look like web=2,worker=1: " + spec);
            f.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
        }
        return f;
    }

    @Override
    public void close() {
        server.stop(0);
        for (Part p : parts) {
            try {
                p.close();
            } catch (RuntimeException ignored) {
                // keep stopping the rest
            }
        }
        scheduler.shutdownNow();
        workers.shutdownNow();
        synchronized (this) {
            if (cluster != null) cluster.close();
            cluster = null;
        }
    }
}
