package dev.parity.sandbox.model;

import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.logs.LogHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The emulated platform's state: its apps, and what happens to their dynos (boot after a delay,
 * restart, stop, scale). The API parts are handed this, not the server that holds them.
 */
public final class Platform {
    /** Gives a new app its Postgres database (the data part does this). */
    public interface Provisioner {
        void provision(App app);
    }

    private static final Pattern APP_NAME = Pattern.compile("[a-z][a-z0-9-]{2,29}");

    private final Path dir;
    private final String baseUrl;
    private final String email;
    private final Clock clock;
    private final LogHub logs;
    private final ScheduledExecutorService scheduler;
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final Set<String> crashOnBoot = ConcurrentHashMap.newKeySet();
    private final List<Consumer<App>> onCreate = new CopyOnWriteArrayList<>();
    private volatile Provisioner postgres = app -> {
        throw new ApiError(503, "unavailable", "this sandbox gives no databases");
    };
    private volatile Duration bootDelay;

    /** Apps live under {@code dir/apps}; {@code baseUrl} is the API's (what HEROKU_HOST is set to). */
    public Platform(Path dir, String baseUrl, String email, Clock clock, LogHub logs, ScheduledExecutorService scheduler,
                    Duration bootDelay) {
        this.dir = dir;
        this.baseUrl = baseUrl;
        this.email = email;
        this.clock = clock;
        this.logs = logs;
        this.scheduler = scheduler;
        this.bootDelay = bootDelay;
    }

    // ---- what every part reads ----

    public Path dir() {
        return dir;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The same host and port over HTTPS (the sandbox answers both on one port). */
    public String secureBaseUrl() {
        return baseUrl.replaceFirst("^http://", "https://");
    }

    /** The account's email: the user of every release. */
    public String email() {
        return email;
    }

    public Clock clock() {
        return clock;
    }

    public LogHub logs() {
        return logs;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
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

    /** Runs for each new app, before its first release (e.g. makes its git repository). */
    public void onCreate(Consumer<App> hook) {
        onCreate.add(hook);
    }

    public void postgres(Provisioner p) {
        postgres = p;
    }

    // ---- apps ----

    public App app(String idOrName) {
        App a = apps.get(idOrName);
        if (a == null) a = apps.values().stream().filter(x -> x.id.equals(idOrName)).findFirst().orElse(null);
        if (a == null) throw ApiError.notFound("Couldn't find that app.", "app");
        return a;
    }

    public List<App> apps() {
        return apps.values().stream().sorted(Comparator.comparing(a -> a.name)).toList();
    }

    /**
     * Creates an app with an initial release, what {@link #onCreate} hooks add (its git
     * repository), and optionally a formation ({@code web=2, worker=1}) and a Postgres database.
     * A database that cannot be made leaves no app behind.
     */
    public App createApp(String name, boolean withPostgres, Map<String, Integer> formation) {
        if (!APP_NAME.matcher(name).matches()) {
            throw ApiError.invalidParams("Name must start with a letter, end with a letter or digit and can only contain "
                    + "lowercase letters, digits, and dashes (3 to 30 characters).");
        }
        Path appDir = dir.resolve("apps").resolve(name);
        App app = new App(name, appDir.resolve("repo.git"), appDir.resolve("code"), clock.instant());
        if (apps.putIfAbsent(name, app) != null) throw ApiError.invalidParams("Name " + name + " is already taken");
        try {
            Files.createDirectories(app.codeDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Consumer<App> hook : onCreate) hook.accept(app);
        synchronized (app) {
            app.addRelease("Initial release", "succeeded", null, Map.of(), false, clock.instant());
            logs.heroku(app.name, "api", "Release v1 created by " + email);
            // until a deploy brings a Procfile, each type's command says so (and keeps `ps` groups apart)
            formation.forEach((type, quantity) -> app.formation.put(type,
                    new Formation(type, quantity, "(" + type + ": no code deployed yet)", "Basic", clock.instant())));
        }
        if (withPostgres) {
            try {
                postgres.provision(app);
            } catch (RuntimeException e) {
                apps.remove(name); // nothing half-made stays behind; a retry after installing PostgreSQL works
                throw e;
            }
        }
        scale(app);
        return app;
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
                if (!isFormationDyno(d) || !which.test(d)) continue;
                logs.heroku(app.name, d.name, "Restarting");
                logs.heroku(app.name, d.name, "State changed from " + d.state + " to starting");
                boot(app, d);
            }
        }
    }

    /**
     * Stops the matching formation dynos (ps:stop, ps:kill): each goes down, and the formation
     * brings it back as Heroku's does: it boots again after the boot delay.
     */
    public void stop(App app, Predicate<Dyno> which) {
        synchronized (app) {
            for (Dyno d : app.dynos) {
                if (!isFormationDyno(d) || !which.test(d)) continue;
                long generation = ++d.generation;
                logs.heroku(app.name, d.name, "Stopping all processes with SIGTERM");
                logs.heroku(app.name, d.name, "Process exited with status 143");
                logs.heroku(app.name, d.name, "State changed from " + d.state + " to down");
                d.state = "down";
                d.updatedAt = clock.instant();
                scheduler.schedule(() -> {
                    synchronized (app) {
                        if (d.generation == generation && app.dynos.contains(d)) boot(app, d);
                    }
                }, bootDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private static boolean isFormationDyno(Dyno d) {
        return !d.type.equals("run") && !d.type.equals("release");
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
}
