package dev.parity.sandbox;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.parity.pgcluster.PostgresCluster;
import dev.parity.pgcluster.PostgresClusterException;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.api.AdminApi;
import dev.parity.sandbox.api.DataApi;
import dev.parity.sandbox.api.GitApi;
import dev.parity.sandbox.api.LogApi;
import dev.parity.sandbox.api.PlatformApi;
import dev.parity.sandbox.api.ReleaseApi;
import dev.parity.sandbox.api.RunApi;
import dev.parity.sandbox.data.PgTools;
import dev.parity.sandbox.git.AppRepository;
import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.http.DualPort;
import dev.parity.sandbox.http.Faults;
import dev.parity.sandbox.http.Part;
import dev.parity.sandbox.http.RequestCounts;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.logs.LogHub;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.model.Platform;
import dev.parity.sandbox.release.Releaser;
import java.io.IOException;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/**
 * A local Heroku: the Platform API and data API on one loopback port, apps with dynos that
 * boot, one-off dynos, logs, git deploys and a Postgres add-on on a throwaway cluster. The official
 * heroku CLI reaches it with {@code HEROKU_HOST=http://127.0.0.1:PORT}; the same port also answers
 * HTTPS (the sandbox's own CA), for git remotes and backup URLs that are {@code https://} as on Heroku.
 */
public final class Sandbox implements AutoCloseable {
    /**
     * Settings for one sandbox. {@code port} 0 picks a free port; {@code downloadRate} is the bytes a
     * second backup downloads share (0: unlimited).
     */
    public record Options(Path dir, int port, Duration bootDelay, String token, String email, long downloadRate) {
        public static Options in(Path dir) {
            return new Options(dir, 0, Duration.ofSeconds(1), null, "dev@example.com", 0);
        }

        public Options withPort(int p) {
            return new Options(dir, p, bootDelay, token, email, downloadRate);
        }

        public Options withBootDelay(Duration d) {
            return new Options(dir, port, d, token, email, downloadRate);
        }

        public Options withToken(String t) {
            return new Options(dir, port, bootDelay, t, email, downloadRate);
        }

        public Options withDownloadRate(long bytesPerSecond) {
            return new Options(dir, port, bootDelay, token, email, bytesPerSecond);
        }
    }

    private final Options options;
    private final String token;
    private final Clock clock = Clock.systemUTC();
    private final Faults faults = new Faults();
    private final RequestCounts requests = new RequestCounts();
    private final LogHub logs = new LogHub(clock);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sandbox-dynos"));
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> daemon(r, "sandbox-http"));
    private final SystemProcessRunner runner;
    private final DualPort port;
    private final HttpServer server;
    private HttpsServer tlsServer;
    private final Router router;
    private final Platform platform;
    private final List<Part> parts = new ArrayList<>();
    private final AppRepository repositories;
    private final Releaser releaser;
    private PostgresCluster cluster;

    private Sandbox(Options options) throws IOException {
        this.options = options;
        this.token = options.token() != null ? options.token() : "sandbox-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Files.createDirectories(options.dir());
        this.runner = new SystemProcessRunner(withoutHerokuCredentials(System.getenv()), options.dir());
        this.port = new DualPort(options.port(), workers);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.platform = new Platform(options.dir(), "http://127.0.0.1:" + port.port(), options.email(),
                clock, logs, scheduler, options.bootDelay());
        this.repositories = AppRepository.using(runner);
        platform.onCreate(repositories::create);
        this.releaser = new Releaser(platform, repositories, runner);
        RunApi run = new RunApi(platform, runner);
        DataApi data = new DataApi(platform, new PgTools(this::cluster, runner), faults, run::clientContext);
        data.publicUrls().rate().set(options.downloadRate());
        parts.add(new PlatformApi(platform, releaser, data, run));
        parts.add(new ReleaseApi(platform, releaser));
        parts.add(run);
        parts.add(new LogApi(platform));
        parts.add(new GitApi(platform, repositories, releaser, runner));
        parts.add(data);
        parts.add(new AdminApi(platform, faults, data.publicUrls().rate()));
        platform.postgres(app -> {
            try {
                data.provision(app);
            } catch (PostgresClusterException e) {
                throw new ApiError(503, "unavailable", "cannot give " + app.name + " a database: " + e.getMessage());
            }
        });
        this.router = new Router(token::equals, faults, requests);
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
        s.port.start(() -> s.server.getAddress().getPort(), s::tlsPort);
        return s;
    }

    /** The TLS server behind the port, made at the first HTTPS connection (its certificate takes keytool a second). */
    private synchronized int tlsPort() {
        if (tlsServer == null) {
            try {
                HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
                s.setHttpsConfigurator(new HttpsConfigurator(part(RunApi.class).serverContext()));
                s.createContext("/", router::handle);
                s.setExecutor(workers);
                s.start();
                tlsServer = s;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return tlsServer.getAddress().getPort();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ---- what the parts share ----

    public int port() {
        return port.port();
    }

    /** The API base: what {@code HEROKU_HOST} is set to. */
    public String baseUrl() {
        return platform.baseUrl();
    }

    /** The same host and port over HTTPS: {@code https://127.0.0.1:PORT}. */
    public String secureBaseUrl() {
        return platform.secureBaseUrl();
    }

    /** The PEM file of the CA behind the sandbox's HTTPS and rendezvous certificates. */
    public Path caCertificate() {
        return part(RunApi.class).caCertificate();
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

    /** The apps' git repositories and the checkouts of their deployed code. */
    public AppRepository repositories() {
        return repositories;
    }

    /** Makes releases: deploys, rollbacks and config changes, with their release phase. */
    public Releaser releaser() {
        return releaser;
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
        // the CLI's detached children (autoupdate, the npm version check, analytics) would outlive the sandbox
        env.put("HEROKU_DISABLE_AUTOUPDATE", "1");
        env.put("HEROKU_SKIP_NEW_VERSION_CHECK", "true");
        env.put("HEROKU_SKIP_ANALYTICS", "1");
        for (Part p : parts) env.putAll(p.env());
        // git trusts the sandbox's CA for this host and port only (remotes from `heroku git:remote` are https://)
        env.put("GIT_CONFIG_COUNT", "1");
        env.put("GIT_CONFIG_KEY_0", "http." + secureBaseUrl() + "/.sslCAInfo");
        env.put("GIT_CONFIG_VALUE_0", caCertificate().toString());
        return env;
    }

    /** The bandwidth backup downloads share (bytes a second, 0: unlimited); {@code set} changes it. */
    public dev.parity.sandbox.data.DownloadRate downloadRate() {
        return part(DataApi.class).publicUrls().rate();
    }

    public Duration bootDelay() {
        return platform.bootDelay();
    }

    public void bootDelay(Duration d) {
        platform.bootDelay(d);
    }

    /** Dynos of this process type crash on boot from now on (or stop crashing, with false). */
    public void crashOnBoot(String type, boolean crash) {
        platform.crashOnBoot(type, crash);
    }

    // ---- apps and dynos: the platform's, here for tests and the sandbox's commands ----

    /** The apps, their releases and dynos. */
    public Platform platform() {
        return platform;
    }

    public App app(String idOrName) {
        return platform.app(idOrName);
    }

    public List<App> apps() {
        return platform.apps();
    }

    /**
     * Creates an app with an initial release, a bare git repository to push to, and optionally a
     * formation ({@code web=2, worker=1}) and a Postgres database.
     */
    public App createApp(String name, boolean postgres, Map<String, Integer> formation) {
        return platform.createApp(name, postgres, formation);
    }

    /** Makes the dynos match the formation: adds missing ones (booting), removes extra ones. */
    public void scale(App app) {
        platform.scale(app);
    }

    /** Restarts the matching formation dynos: each goes to starting now and up after the boot delay. */
    public void restart(App app, Predicate<Dyno> which) {
        platform.restart(app, which);
    }

    /** Parses {@code web=2,worker=1}. */
    public static Map<String, Integer> parseFormation(String spec) {
        return Platform.parseFormation(spec);
    }

    @Override
    public void close() {
        port.close();
        server.stop(0);
        synchronized (this) {
            if (tlsServer != null) tlsServer.stop(0);
        }
        for (Part p : parts) {
            try {
                p.close();
            } catch (RuntimeException ignored) {
                // keep stopping the rest
            }
        }
        releaser.close();
        scheduler.shutdownNow();
        workers.shutdownNow();
        synchronized (this) {
            if (cluster != null) cluster.close();
            cluster = null;
        }
    }
}
