package dev.parity.git;

import dev.parity.process.Command;
import dev.parity.process.ProcessRunner;
import dev.parity.process.Result;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only questions about the repository, asked through the process runner. */
public final class Git {
    private final ProcessRunner runner;

    public Git(ProcessRunner runner) {
        this.runner = runner;
    }

    /** Remote name to fetch URL, read from {@code root/.git/config} when it is plain, else from git. */
    public Map<String, String> remotes(java.nio.file.Path root) throws InterruptedException {
        Optional<Map<String, String>> fromFile = GitConfigFile.remotes(root);
        return fromFile.isPresent() ? fromFile.get() : remotes();
    }

    /** Remote name to fetch URL, as git reports them; empty outside a repository or without git. */
    public Map<String, String> remotes() throws InterruptedException {
        Map<String, String> remotes = new LinkedHashMap<>();
        if (!runner.available("git")) return remotes;
        Result r = runner.run(Command.of("git", "config", "--get-regexp", "^remote\\..*\\.url$").captured());
        if (!r.ok()) return remotes;
        for (String line : r.stdout().split("\n")) {
            int space = line.indexOf(' ');
            if (space < 0) continue;
            String key = line.substring(0, space); // remote.NAME.url
            String name = key.substring("remote.".length(), key.length() - ".url".length());
            remotes.putIfAbsent(name, line.substring(space + 1).trim());
        }
        return remotes;
    }

    /**
     * Where {@code git push REMOTE} sends commits, as configured: its pushurls when set, else every
     * url (git pushes to each). Empty when git cannot say.
     */
    public List<String> pushUrls(String remote) throws InterruptedException {
        if (!runner.available("git")) return List.of();
        List<String> push = configValues("remote." + remote + ".pushurl");
        return push.isEmpty() ? configValues("remote." + remote + ".url") : push;
    }

    private List<String> configValues(String key) throws InterruptedException {
        Result r = runner.run(Command.of("git", "config", "--get-all", key).captured());
        if (!r.ok()) return List.of();
        return r.stdout().lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    public boolean branchExists(String branch) throws InterruptedException {
        return runner.run(Command.of("git", "show-ref", "--verify", "--quiet", "refs/heads/" + branch).captured()).ok();
    }

    /** Tracked files with uncommitted changes ({@code git status --porcelain}); untracked files are not pushed, so they don't count. */
    public List<String> uncommittedChanges() throws InterruptedException {
        Result r = runner.run(Command.of("git", "status", "--porcelain", "--untracked-files=no").captured());
        if (!r.ok()) return List.of("(git status failed with status " + r.exitCode() + ")");
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /**
     * Files added or changed from {@code from} to {@code to} (a rename counts as an addition), or
     * empty when either commit is not in the local repository (nothing can be said then).
     */
    public Optional<List<String>> changedFiles(String from, String to) throws InterruptedException {
        for (String commit : List.of(from, to)) {
            // a commit id is never taken for an option: git sees "--end-of-options" first
            if (!runner.run(Command.of("git", "rev-parse", "--verify", "--quiet", "--end-of-options", commit + "^{commit}")
                    .captured()).ok()) {
                return Optional.empty();
            }
        }
        Result r = runner.run(Command.of("git", "diff", "--name-only", "--no-renames", "--diff-filter=ACM", "-z",
                "--end-of-options", from, to, "--").captured());
        if (!r.ok()) return Optional.empty();
        return Optional.of(java.util.Arrays.stream(r.stdout().split("\0")).filter(f -> !f.isEmpty()).toList());
    }

    /** The full commit id {@code ref} names ({@code main}, {@code HEAD}), or empty when it names none. */
    public Optional<String> commitOf(String ref) throws InterruptedException {
        Result r = runner.run(Command.of("git", "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}").captured());
        String id = r.stdout().strip();
        return r.ok() && !id.isEmpty() ? Optional.of(id) : Optional.empty();
    }

    /** The text of {@code path} in {@code commit}, or empty when the commit has no such file. */
    public Optional<String> fileAt(String commit, String path) throws InterruptedException {
        Result r = runner.run(Command.of("git", "show", "--end-of-options", commit + ":" + path).captured());
        return r.ok() ? Optional.of(r.stdout()) : Optional.empty();
    }
}
