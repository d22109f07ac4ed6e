package dev.parity.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real git repositories for end-to-end tests: a work tree, and bare repositories standing in for
 * Heroku's. Remotes keep their Heroku URLs (so parity reads the app from them) while git's
 * {@code url.<base>.insteadOf} sends the pushes to the local bare repositories.
 */
public final class GitRepo {
    private final Path dir;

    private GitRepo(Path dir) {
        this.dir = dir;
    }

    public static GitRepo init(Path dir, String initialBranch) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        GitRepo repo = new GitRepo(dir);
        repo.git("init", "-q", "-b", initialBranch);
        repo.git("config", "user.email", "dev@example.com");
        repo.git("config", "user.name", "Dev");
        repo.git("config", "commit.gpgsign", "false");
        repo.commit("README", "hello\n");
        return repo;
    }

    public Path dir() {
        return dir;
    }

    public void commit(String file, String content) throws IOException, InterruptedException {
        Files.writeString(dir.resolve(file), content);
        git("add", file);
        git("commit", "-q", "-m", "change " + file);
    }

    /** A remote with a Heroku URL whose pushes land in a bare repository under {@code bareRoot}. */
    public Path addHerokuRemote(String name, String app, Path bareRoot) throws IOException, InterruptedException {
        Path bare = bareRoot.resolve(app + ".git");
        if (!Files.exists(bare)) run(bareRoot, "git", "init", "-q", "--bare", bare.toString());
        git("remote", "add", name, "https://git.heroku.com/" + app + ".git");
        git("config", "url." + bareRoot.toAbsolutePath() + "/.insteadOf", "https://git.heroku.com/");
        return bare;
    }

    public String git(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        return run(dir, argv.toArray(String[]::new));
    }

    public static String run(Path cwd, String... argv) throws IOException, InterruptedException {
        Files.createDirectories(cwd);
        Process p = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", argv) + " failed: " + out);
        return out.strip();
    }
}
