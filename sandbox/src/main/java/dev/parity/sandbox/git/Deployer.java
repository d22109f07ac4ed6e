package dev.parity.sandbox.git;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Platform;
import dev.parity.sandbox.model.Procfile;
import dev.parity.sandbox.model.Slug;
import dev.parity.sandbox.release.Releaser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a push to {@code main} or {@code master} does on Heroku: check out the commit, read its
 * Procfile into a slug, create a {@code Deploy <sha7>} release, run the release phase if the
 * Procfile has one, and only when that succeeds update the formation and move the dynos onto the
 * release.
 */
public final class Deployer {
    private static final String NO_COMMIT = "0".repeat(40);

    private final Platform platform;
    private final AppRepository repo;
    private final Releaser releaser;

    Deployer(Platform platform, AppRepository repo, Releaser releaser) {
        this.platform = platform;
        this.repo = repo;
        this.releaser = releaser;
    }

    /** Handles the post-receive hook's input: one {@code old new ref} line per updated ref. */
    public void received(App app, String refLines, PushOutput out) throws Exception {
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

    /** Builds and releases {@code commit}, pushed to {@code branch}, after the app's releases in progress. */
    public void deploy(App app, String branch, String commit, PushOutput out) throws Exception {
        releaser.onQueue(app, () -> {
            out.line("Building source:");
            out.line("");
            out.step("Building on the Heroku-24 stack");
            repo.checkout(app, commit);
            repo.setHead(app, branch);
            Map<String, String> procfile = readProcfile(app.codeDir);
            Slug slug = app.addSlug(commit, procfile, platform.clock().instant());
            String releaseCommand = slug.releaseCommand();
            out.step("Discovering process types");
            out.detail(procfile.isEmpty() ? "No Procfile: the formation keeps its commands"
                    : "Procfile declares types -> " + String.join(", ", declared(slug)));
            out.line("");
            out.step("Launching...");
            if (releaseCommand != null) {
                out.warn("Release command declared: this new release will not be available until the command succeeds.");
            }
            Map<String, String> config;
            synchronized (app) {
                config = Map.copyOf(app.configVars);
            }
            return releaser.release(app, new Releaser.Change("Deploy " + commit.substring(0, 7), slug, config), out, r -> {
                out.detail("Released v" + r.version);
                out.detail("http://" + app.name + ".sandbox.localhost/ deployed to Heroku");
                out.line("");
                out.line("Verifying deploy... done.");
            });
        });
    }

    private static Map<String, String> readProcfile(Path codeDir) throws IOException {
        Path p = codeDir.resolve("Procfile");
        return Files.isRegularFile(p) ? new LinkedHashMap<>(Procfile.parse(Files.readString(p))) : new LinkedHashMap<>();
    }

    /** {@code release} first, then the dyno types, as Heroku lists them. */
    private static List<String> declared(Slug slug) {
        List<String> types = new ArrayList<>();
        if (slug.releaseCommand() != null) types.add("release");
        types.addAll(slug.dynoTypes().keySet());
        return types;
    }
}
