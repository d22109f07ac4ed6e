package dev.parity.sandbox.release;

import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.git.AppRepository;
import dev.parity.sandbox.git.PushOutput;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Formation;
import dev.parity.sandbox.model.Platform;
import dev.parity.sandbox.model.Release;
import dev.parity.sandbox.model.Slug;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Makes releases as Heroku does, one at a time per app (deploys, rollbacks, config changes each
 * wait for the one before): the release's code is checked out, a release created, pending while
 * the slug's release command runs; only when it succeeds do the release's config vars and
 * process types apply and the formation's dynos restart onto it. A failed release leaves the
 * previous one live, with its code checked out again.
 */
public final class Releaser implements AutoCloseable {
    /** What a new release is made of. */
    public record Change(String description, Slug slug, Map<String, String> config) {}

    private final Platform platform;
    private final AppRepository repo;
    private final ReleaseOutputs outputs = new ReleaseOutputs();
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final ReleasePhase phase;
    private final Map<String, ExecutorService> queues = new ConcurrentHashMap<>();

    public Releaser(Platform platform, AppRepository repo, SystemProcessRunner runner) {
        this.platform = platform;
        this.repo = repo;
        this.phase = new ReleasePhase(platform, runner, running, outputs);
    }

    public ReleaseOutputs outputs() {
        return outputs;
    }

    /** Runs {@code task} on the app's release queue, after the releases before it, and waits for it. */
    public <T> T onQueue(App app, Callable<T> task) throws Exception {
        Future<T> f = queue(app).submit(task);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) throw ex;
            throw e;
        }
    }

    /**
     * Queues a release of {@code change} (computed when its turn comes) and returns it once it
     * exists: a release without release phase is then complete, one with a release phase is
     * pending with its command started, and finishes in the background.
     */
    public Release start(App app, Supplier<Change> change) throws InterruptedException {
        CompletableFuture<Release> created = new CompletableFuture<>();
        queue(app).execute(() -> {
            try {
                Release r = release(app, change.get(), PushOutput.discard(), x -> {
                    if (x.releasePhase) created.complete(x);
                });
                created.complete(r);
            } catch (RuntimeException | InterruptedException e) {
                created.completeExceptionally(e);
            }
        });
        try {
            return created.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Creates the release and carries it through its release phase, on the app's queue thread.
     * {@code created} hears of the release once it exists (with its release command started).
     */
    public Release release(App app, Change change, PushOutput out, Consumer<Release> created) throws InterruptedException {
        String previousCommit = app.currentRelease().map(r -> r.commit).orElse(null);
        String commit = change.slug() == null ? null : change.slug().commit;
        if (!Objects.equals(commit, previousCommit)) repo.checkout(app, commit);
        String command = change.slug() == null ? null : change.slug().releaseCommand();
        Release release;
        synchronized (app) {
            release = app.addRelease(change.description(), command != null ? "pending" : "succeeded", change.slug(),
                    change.config(), command != null, now());
        }
        platform.logs().heroku(app.name, "api", change.description() + " by " + platform.email());
        platform.logs().heroku(app.name, "api", "Release v" + release.version + " created by " + platform.email());
        if (command == null) {
            created.accept(release);
            goLive(app, release);
            return release;
        }
        ReleasePhase.Started started = phase.start(app, release, command, change.config());
        created.accept(release);
        out.line("Running release command...");
        out.line("");
        int status = started.await(out::line);
        synchronized (app) {
            release.status = status == 0 ? "succeeded" : "failed";
            release.updatedAt = now();
        }
        out.line("Waiting for release.... " + (status == 0 ? "done." : "failed."));
        if (status != 0) {
            out.warn("Release command failed (exit status " + status + "): v" + app.currentVersion()
                    + " stays the current release.");
            if (!Objects.equals(commit, previousCommit)) repo.checkout(app, previousCommit); // its code stays, for one-off dynos
            return release;
        }
        goLive(app, release);
        return release;
    }

    /** The release is live: its config vars and process types apply, the formation restarts onto it. */
    private void goLive(App app, Release release) {
        Instant now = now();
        synchronized (app) {
            if (!app.configVars.equals(release.config)) {
                app.configVars.clear();
                app.configVars.putAll(release.config);
            }
            // New process types get one web dyno or no dyno; existing ones keep their quantity.
            if (release.slug != null) {
                release.slug.dynoTypes().forEach((type, command) -> {
                    Formation f = app.formation.get(type);
                    if (f == null) {
                        app.formation.put(type, new Formation(type, type.equals("web") ? 1 : 0, command, "Basic", now));
                    } else if (!f.command.equals(command)) {
                        f.command = command;
                        f.updatedAt = now;
                    }
                });
            }
        }
        platform.restart(app, d -> true);
        platform.scale(app);
    }

    private Instant now() {
        return platform.clock().instant();
    }

    private ExecutorService queue(App app) {
        return queues.computeIfAbsent(app.id, k -> Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sandbox-release-" + app.name);
            t.setDaemon(true);
            return t;
        }));
    }

    /** Stops release commands still running, and the queues. */
    @Override
    public void close() {
        for (Process p : running) p.destroyForcibly();
        running.clear();
        queues.values().forEach(ExecutorService::shutdownNow);
        outputs.finishAll();
    }
}
