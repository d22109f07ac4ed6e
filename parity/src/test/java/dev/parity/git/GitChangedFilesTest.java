package dev.parity.git;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parity.process.Command;
import dev.parity.process.SystemProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real git: what changed between two commits, and nothing claimed when a commit is unknown. */
class GitChangedFilesTest {
    @TempDir
    Path dir;

    private SystemProcessRunner runner;

    private String git(String... args) throws Exception {
        var r = runner.run(Command.of(java.util.stream.Stream.concat(java.util.stream.Stream.of("git"),
                java.util.Arrays.stream(args)).toList()).captured());
        if (!r.ok()) throw new AssertionError("git " + String.join(" ", args) + ": " + r);
        return r.stdout().strip();
    }

    @Test
    void addedAndChangedFilesCountRenamesToo() throws Exception {
        runner = new SystemProcessRunner(Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString(),
                "GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@example.com",
                "GIT_COMMITTER_NAME", "t", "GIT_COMMITTER_EMAIL", "t@example.com"), dir);
        git("init", "--quiet");
        Files.writeString(dir.resolve("gone.rb"), "x");
        Files.writeString(dir.resolve("old_name.rb"), "a migration\nwith lines\n");
        git("add", ".");
        git("commit", "--quiet", "-m", "one");
        String one = git("rev-parse", "HEAD");
        Files.createDirectories(dir.resolve("db/migrate"));
        Files.writeString(dir.resolve("db/migrate/2_add users.rb"), "y");
        Files.delete(dir.resolve("gone.rb"));
        git("mv", "old_name.rb", "db/migrate/1_renamed.rb");
        git("add", "-A");
        git("commit", "--quiet", "-m", "two");
        String two = git("rev-parse", "HEAD");

        Git g = new Git(runner);
        assertEquals(Optional.of(List.of("db/migrate/1_renamed.rb", "db/migrate/2_add users.rb")), g.changedFiles(one, two));
        assertEquals(Optional.of(List.of()), g.changedFiles(two, two));
        assertEquals(Optional.empty(), g.changedFiles("0123456789abcdef0123456789abcdef01234567", two), "unknown commit");
        assertEquals(Optional.empty(), g.changedFiles("--output=/tmp/x", two), "an option is never an option");
    }
}
