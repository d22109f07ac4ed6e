package dev.parity.sandbox.git;

import dev.parity.sandbox.Sandbox;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Formation;
import dev.parity.sandbox.model.Procfile;
import dev.parity.sandbox.model.Release;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a push to {@code main} or {@code master} does on Heroku: check out the commit, read its
 * Procfile, create a {@code Deploy <sha7>} release, run the release phase if the Procfile has
 * one, and only when that succeeds update the formation and move the dynos onto the release.
 */
public final class Deployer {
    private static final String NO_COMMIT = "0".repeat(40);

    private final Sandbox s;
    private final AppRepository repo;
    private final ReleasePhase releasePhase;
    /** One deploy at a time per app, as Heroku builds one at a time. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    Deployer(Sandbox s, AppRepository repo, ReleasePhase releasePhase) {
        this.s = s;
        this.repo = repo;
        this.releasePhase = releasePhase;
    }

    /** Handles the post-receive hook's input: one {@code old new ref} line per updated ref. */
    public void received(App app, String refLines, PushOutput out) throws IOException, InterruptedException {
        for (String line : refLines.split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length != 3 || f[1].equals(NO_COMMIT) || !f[2].startsWith("refs/heads/")) continue;
            String branch = f[2].substring("refs/heads/".length());
            if (branch.equals("main") || branch.equals("master")) {
                deploy(app, branch, f[1], out);
            } else {
                out.line("Pushed to non-deploy branch, skipping build.");
            }
        }
    }

    /** Builds and releases {@code commit}, pushed to {@code branch}. */
    public void deploy(App app, String branch, String commit, PushOutput out) throws IOException, InterruptedException {
        synchronized (locks.computeIfAbsent(app.name, k -> new Object())) {
            String previousCommit = app.currentRelease().map(r -> r.commit).orElse(null);
            out.line("Building source:");
            out.line("");
            out.step("Building on the Heroku-24 stack");
            repo.checkout(app, commit);
            repo.setHead(app, branch);
            Map<String, String> procfile = readProcfile(app.codeDir);
            String releaseCommand = procfile.remove("release");
            out.step("Discovering process types");
            out.detail(procfile.isEmpty() && releaseCommand == null ? "No Procfile: the formation keeps its commands"
                    : "Procfile declares types -> " + String.join(", ", declared(procfile, releaseCommand)));
            out.line("");
            out.step("Launching...");
            if (releaseCommand != null) {
                out.warn("Release command declared: this new release will not be available until the command succeeds.");
            }
            Release release = createRelease(app, commit, releaseCommand != null);
            out.detail("Released v" + release.version);
            out.detail("http://" + app.name + ".sandbox.localhost/ deployed to Heroku");
            out.line("");
            out.line("Verifying deploy... done.");
            if (releaseCommand != null && !releasePhaseSucceeded(app, release, releaseCommand, out)) {
                // The old release stays live, and so does its code for one-off dynos.
                repo.checkout(app, previousCommit);
                return;
            }
            applyProcfile(app, procfile);
            s.restart(app, d -> true);
            s.scale(app);
        }
    }

    private Release createRelease(App app, String commit, boolean pending) {
        String description = "Deploy " + commit.substring(0, 7);
        Release release = app.addRelease(description, pending ? "pending" : "succeeded", commit, s.clock().instant());
        s.logs().heroku(app.name, "api", description + " by " + s.email());
        s.logs().heroku(app.name, "api", "Release v" + release.version + " created by " + s.email());
        return release;
    }

    private boolean releasePhaseSucceeded(App app, Release release, String command, PushOutput out)
            throws IOException, InterruptedException {
        out.line("Running release command...");
        out.line("");
        int status = releasePhase.run(app, release, command, out);
        synchronized (app) {
            release.status = status == 0 ? "succeeded" : "failed";
            release.updatedAt = s.clock().instant();
        }
        out.line("Waiting for release.... " + (status == 0 ? "done." : "failed."));
        if (status != 0) {
            out.warn("Release command failed (exit status " + status + "): v" + app.currentVersion()
                    + " stays the current release.");
        }
        return status == 0;
    }

    /** New process types get one web dyno or no dyno; existing ones keep their quantity. */
    private void applyProcfile(App app, Map<String, String> procfile) {
        Instant now = s.clock().instant();
        synchronized (app) {
            procfile.forEach((type, command) -> {
                Formation f = app.formation.get(type);
                if (f == null) {
                    app.formation.put(type, new Formation(type, type.equals("web") ? 1 : 0, command, "Basic", now));
                } else {
                    f.command = command;
                    f.updatedAt = now;
                }
            });
        }
    }

    private static Map<String, String> readProcfile(Path codeDir) throws IOException {
        Path p = codeDir.resolve("Procfile");
        return Files.isRegularFile(p) ? new LinkedHashMap<>(Procfile.parse(Files.readString(p))) : new LinkedHashMap<>();
    }

    private static List<String> declared(Map<String, String> procfile, String releaseCommand) {
        List<String> types = new ArrayList<>();
        if (releaseCommand != null) types.add("release");
        types.addAll(procfile.keySet());
        return types;
    }
}
