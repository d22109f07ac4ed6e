package dev.parity.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remotes read from .git/config agree with git, and anything unusual is left to git. */
class GitConfigFileTest {
    @TempDir
    Path repo;

    Optional<Map<String, String>> read(String config) throws Exception {
        Files.createDirectories(repo.resolve(".git"));
        Files.writeString(repo.resolve(".git/config"), config);
        return GitConfigFile.remotes(repo);
    }

    @Test
    void readsEveryRemoteAsGitDoes() throws Exception {
        Process init = new ProcessBuilder("git", "init", "-q", repo.toString()).inheritIO().start();
        assertEquals(0, init.waitFor());
        for (List<String> r : List.of(List.of("production", "https://git.heroku.com/myapp.git"),
                List.of("staging", "git@heroku.com:myapp-staging.git"), List.of("feature.geoff", "ssh://git@heroku.com/x.git"))) {
            Process add = new ProcessBuilder("git", "-C", repo.toString(), "remote", "add", r.get(0), r.get(1)).inheritIO().start();
            assertEquals(0, add.waitFor());
        }
        Map<String, String> remotes = GitConfigFile.remotes(repo).orElseThrow();
        assertEquals(Map.of("production", "https://git.heroku.com/myapp.git", "staging", "git@heroku.com:myapp-staging.git",
                "feature.geoff", "ssh://git@heroku.com/x.git"), remotes);
    }

    @Test
    void otherSectionsAndCommentsAreSkipped() throws Exception {
        Map<String, String> remotes = read("""
                [core]
                \turl = not-a-remote
                # [remote "commented"]
                [remote "origin"] ; a comment
                \tURL = git@github.com:acme/app.git
                \tfetch = +refs/heads/*:refs/remotes/origin/*
                [branch "main"]
                \tremote = origin
                """).orElseThrow();
        assertEquals(Map.of("origin", "git@github.com:acme/app.git"), remotes);
    }

    @Test
    void unusualFilesAreLeftToGit() throws Exception {
        assertTrue(read("[include]\n\tpath = other.config\n").isEmpty());
        assertTrue(read("[remote \"a\"]\n\turl = \"quoted value\"\n").isEmpty());
        assertTrue(read("[remote \"a\"]\n\turl = https://x/y.git \\\n").isEmpty());
        Files.delete(repo.resolve(".git/config"));
        assertTrue(GitConfigFile.remotes(repo).isEmpty(), "no config file");
        assertTrue(GitConfigFile.remotes(repo.resolve("nowhere")).isEmpty(), "no .git directory (a worktree's .git file)");
    }
}
