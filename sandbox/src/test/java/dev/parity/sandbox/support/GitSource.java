package dev.parity.sandbox.support;

import dev.parity.sandbox.support.SandboxFixture.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helper: a local git repository that commits files and pushes them to a sandbox app with real git. */
public final class GitSource {
    private final SandboxFixture f;
    private final Path dir;

    public GitSource(SandboxFixture f, Path dir) throws Exception {
        this.f = f;
        this.dir = Files.createDirectories(dir);
        git("init", "--quiet", "--initial-branch=main");
    }

    public Path dir() {
        return dir;
    }

    /** Writes the files and commits them; returns the commit's id. */
    public String commit(Map<String, String> files) throws Exception {
        for (Map.Entry<String, String> e : files.entrySet()) Files.writeString(dir.resolve(e.getKey()), e.getValue());
        git("add", ".");
        git("-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "--quiet", "--allow-empty", "-m", "change");
        return git("rev-parse", "HEAD").strip();
    }

    /** {@code git push URL main} to the app; the outcome keeps git's stderr (the remote: lines). */
    public Outcome push(String app) throws Exception {
        return f.run(List.of("git", "push", "--force", f.sandbox().baseUrl() + "/" + app + ".git", "main"), null, dir);
    }

    /** Commits and pushes; fails the test unless the push exits 0. Returns the commit. */
    public String deploy(String app, Map<String, String> files) throws Exception {
        String sha = commit(files);
        Outcome o = push(app);
        if (o.exitCode() != 0) throw new AssertionError("push failed\n" + o);
        return sha;
    }

    public String git(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Outcome o = f.run(argv, null, dir);
        if (o.exitCode() != 0) throw new AssertionError("git " + String.join(" ", args) + "\n" + o);
        return o.out();
    }
}
