package dev.parity.sandbox.git;

import com.sun.net.httpserver.HttpExchange;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.http.Request;
import dev.parity.sandbox.http.Response;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Platform;
import dev.parity.sandbox.release.Releaser;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deploys over git. A push arrives at {@code POST /APP.git/git-receive-pack} and is handed to
 * {@code git http-backend}; once the refs are stored, the repository's post-receive hook posts
 * the pushed refs back to a one-time URL of this push ({@code /sandbox/git/pushes/ID}, given to
 * the hook in its environment), and that request runs the deploy and streams its output, which
 * git shows to the pusher as {@code remote:} lines. The URL is the push's capability: the hook
 * never sees the API token, and only a push in progress can deploy.
 */
public final class GitDeploys {
    private static final String REPO = "/([a-z][a-z0-9-]{2,29})\\.git";
    private static final Set<String> SERVICES = Set.of("git-upload-pack", "git-receive-pack");

    private final Platform platform;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final AppRepository repo;
    private final GitHttp http;
    private final Deployer deployer;
    /** Pushes in progress: capability id → app. */
    private final Map<String, App> pushes = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public GitDeploys(Platform platform, AppRepository repo, Releaser releaser, SystemProcessRunner runner) {
        this.platform = platform;
        this.repo = repo;
        this.http = new GitHttp(runner, running);
        this.deployer = new Deployer(platform, repo, releaser);
    }

    public void register(Router router) {
        // Open routes: git sends no Bearer token (it may send Basic credentials, which we accept).
        router.addOpen("GET", REPO + "/info/refs", q -> {
            String service = q.query().get("service");
            if (service == null || !SERVICES.contains(service)) {
                throw ApiError.notFound("Only git's smart HTTP protocol is served here.", null);
            }
            http.serve(q.exchange(), platform.app(q.param(0)), "/info/refs", Map.of());
            return Response.STREAMED;
        });
        router.addOpen("POST", REPO + "/git-upload-pack", q -> {
            http.serve(q.exchange(), platform.app(q.param(0)), "/git-upload-pack", Map.of());
            return Response.STREAMED;
        });
        router.addOpen("POST", REPO + "/git-receive-pack", this::receivePack);
        router.addOpen("POST", "/sandbox/git/pushes/([0-9a-f]{32})", this::pushed);
    }

    public void createRepository(App app) {
        repo.create(app);
    }

    private Response receivePack(Request q) throws Exception {
        App app = platform.app(q.param(0));
        String id = HexFormat.of().formatHex(random.generateSeed(16));
        pushes.put(id, app);
        try {
            http.serve(q.exchange(), app, "/git-receive-pack",
                    Map.of(AppRepository.PUSH_URL_VAR, platform.baseUrl() + "/sandbox/git/pushes/" + id));
        } finally {
            pushes.remove(id);
        }
        return Response.STREAMED;
    }

    /** The hook's call: deploys what was pushed, streaming the build output back as plain text. */
    private Response pushed(Request q) throws Exception {
        App app = pushes.get(q.param(0));
        if (app == null) throw ApiError.notFound("No push in progress has that id.", null);
        String refs = new String(q.bodyBytes(), StandardCharsets.UTF_8);
        HttpExchange ex = q.exchange();
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        PushOutput out = new PushOutput(ex.getResponseBody());
        try {
            deployer.received(app, refs, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.warn("Push rejected, the sandbox stopped while deploying.");
        } catch (Exception e) {
            // The answer has begun: a failure can only be told to the pusher, as Heroku's builds do.
            out.warn("Push rejected, the sandbox failed to deploy: " + e.getMessage());
        }
        out.close();
        return Response.STREAMED;
    }

    /** Stops git backends still running. */
    public void close() {
        for (Process p : running) p.destroyForcibly();
        running.clear();
    }
}
