package dev.parity.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.http.Part;
import dev.parity.sandbox.http.Request;
import dev.parity.sandbox.http.Response;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.model.Formation;
import dev.parity.sandbox.model.Platform;
import dev.parity.sandbox.run.Certificates;
import dev.parity.sandbox.run.OneOffDyno;
import dev.parity.sandbox.run.Rendezvous;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** One-off dynos ({@code POST /apps/{app}/dynos}, section 3.3) and the rendezvous listener they attach through. */
public final class RunApi implements Part {
    private static final long ATTACH_TIMEOUT_SECONDS = 60;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Platform platform;
    private final SystemProcessRunner runner;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sandbox-run");
        t.setDaemon(true);
        return t;
    });
    // keytool takes about a second: the certificate is made in the background from the start.
    private final Future<Certificates> certificates;
    private final Set<OneOffDyno> live = ConcurrentHashMap.newKeySet();
    private Rendezvous rendezvous;
    private volatile boolean closed;

    public RunApi(Platform platform, SystemProcessRunner runner) {
        this.platform = platform;
        this.runner = runner;
        this.certificates = threads.submit(() -> Certificates.in(platform.dir(), runner));
    }

    @Override
    public void register(Router router) {
        router.add("POST", "/apps/([^/]+)/dynos", this::create);
    }

    /** The CA that signs the rendezvous certificate: the heroku CLI must trust it. */
    @Override
    public Map<String, String> env() {
        return Map.of("NODE_EXTRA_CA_CERTS", caCertificate().toString());
    }

    /** The PEM file of the rendezvous CA, for clients (the CLI, parity's Java client) to trust. */
    public Path caCertificate() {
        return certificates().caPem();
    }

    /** The server side of the sandbox's TLS: rendezvous and the HTTPS half of the API port. */
    public javax.net.ssl.SSLContext serverContext() {
        return certificates().context();
    }

    /** A client context that trusts the sandbox's CA (only it): for the sandbox fetching its own https:// URLs. */
    public javax.net.ssl.SSLContext clientContext() {
        try {
            return Certificates.trusting(caCertificate());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the sandbox's CA: " + e.getMessage(), e);
        }
    }

    private Certificates certificates() {
        try {
            return certificates.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the rendezvous certificate");
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot make the rendezvous certificate: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private synchronized Rendezvous rendezvous() {
        if (closed) throw new ApiError(503, "unavailable", "The sandbox is shutting down.");
        if (rendezvous == null) {
            try {
                rendezvous = new Rendezvous(certificates().context(), threads);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rendezvous;
    }

    private Response create(Request q) throws IOException {
        App app = platform.app(q.param(0));
        JsonNode body = q.json();
        String command = body.path("command").asText("");
        if (command.isBlank()) throw ApiError.invalidParams("Missing required params: command");
        boolean attach = body.path("attach").asBoolean(false);
        Rendezvous listener = attach ? rendezvous() : null; // before the dyno exists, so a failure leaves none

        Dyno dyno;
        Map<String, Object> view;
        OneOffDyno oneOff;
        synchronized (app) {
            String size = body.hasNonNull("size") ? body.get("size").asText() : defaultSize(app);
            dyno = new Dyno(freeName(app), "run", command, size, app.currentVersion(), platform.clock().instant());
            boolean terminal = body.path("env").has("COLUMNS"); // the CLI sends it when its stdout is a terminal
            oneOff = new OneOffDyno(platform, runner, app, dyno, environment(app, body.path("env")), terminal, threads, live::remove);
            if (attach) {
                String secret = secret();
                dyno.attachUrl = listener.expect(secret, oneOff::attach);
                platform.scheduler().schedule(() -> {
                    if (listener.forget(secret)) oneOff.attachTimedOut();
                }, ATTACH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            app.dynos.add(dyno);
            live.add(oneOff);
            view = Views.dyno(app, dyno); // "starting": rendered before the process can move it on
        }
        platform.logs().heroku(app.name, dyno.name, "Starting process with command `" + command + "`");
        long ttl = body.path("time_to_live").asLong(0);
        if (ttl > 0) platform.scheduler().schedule(oneOff::kill, ttl, TimeUnit.SECONDS);
        if (!attach) oneOff.startDetached();
        return Response.created(view);
    }

    /** Stops the app's one-off dynos that {@code which} selects (ps:stop run.N); returns how many. */
    public int stop(App app, java.util.function.Predicate<Dyno> which) {
        int n = 0;
        for (OneOffDyno d : live) {
            if (d.app() == app && which.test(d.dyno())) {
                d.kill();
                n++;
            }
        }
        return n;
    }

    /**
     * A dyno's environment: PATH, HOME and LANG of the sandbox, the app's config vars (with
     * DATABASE_URL when it has Postgres), the request's env, then what the platform sets.
     */
    private static Map<String, String> environment(App app, JsonNode requested) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : new String[] {"PATH", "HOME", "LANG"}) {
            if (System.getenv(name) != null) env.put(name, System.getenv(name));
        }
        env.putAll(app.configVars);
        requested.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) env.put(e.getKey(), e.getValue().asText());
        });
        env.put("PORT", String.valueOf(freePort()));
        return env;
    }

    /** run.N with a four-digit N no live dyno of the app has. */
    private static String freeName(App app) {
        while (true) {
            String name = "run." + (1000 + RANDOM.nextInt(9000));
            if (app.dynos.stream().noneMatch(d -> d.name.equals(name))) return name;
        }
    }

    private static String defaultSize(App app) {
        Formation web = app.formation.get("web");
        return web != null ? web.size : "Basic";
    }

    private static String secret() {
        byte[] b = new byte[20];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            return 5000;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (rendezvous != null) rendezvous.close();
        }
        certificates.cancel(true);
        for (OneOffDyno d : live) d.kill();
        threads.shutdownNow();
    }
}
