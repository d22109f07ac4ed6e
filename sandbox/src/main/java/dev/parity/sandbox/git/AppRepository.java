package dev.parity.sandbox.git;

import dev.parity.sandbox.model.App;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * An app's bare repository ({@code app.gitDir}) and the checkout of its deployed code
 * ({@code app.codeDir}).
 */
public final class AppRepository {
    /** git's id of the empty tree: checking it out empties the code directory of tracked files. */
    static final String EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

    /** The variable through which {@link GitHttp} tells the hook where to hand a push. */
    static final String PUSH_URL_VAR = "SANDBOX_PUSH_URL";

    /**
     * Forwards the pushed refs to the sandbox and prints its streamed answer, which git relays to
     * the pusher as {@code remote:} lines. Pushes that did not come through the sandbox's HTTP
     * endpoint (no URL in the environment) land without a deploy.
     */
    static final String POST_RECEIVE = """
            #!/bin/sh
            # Written by the parity sandbox: the sandbox builds and releases the pushed commit and
            # streams its output back; git shows that output to the pusher as "remote:" lines.
            [ -n "$%1$s" ] || exit 0
            if ! command -v curl >/dev/null 2>&1; then
                echo " !     The sandbox needs curl to deploy: install it (apt-get install curl) and push again."
                exit 1
            fi
            exec curl --silent --show-error --no-buffer --fail-with-body --noproxy '*' \\
                --header 'Content-Type: text/plain' --data-binary @- "$%1$s"
            """.formatted(PUSH_URL_VAR);

    private final Git git;

    AppRepository(Git git) {
        this.git = git;
    }

    /** Repositories worked on with the git program, started through {@code runner}. */
    public static AppRepository using(dev.parity.process.SystemProcessRunner runner) {
        return new AppRepository(new Git(runner));
    }

    /** {@code git init --bare}, pushes allowed over HTTP, and the post-receive hook. Files only. */
    public void create(App app) {
        git.run("init", "--quiet", "--bare", "--initial-branch=main", app.gitDir.toString());
        git.run("--git-dir", app.gitDir.toString(), "config", "http.receivepack", "true");
        Path hook = app.gitDir.resolve("hooks").resolve("post-receive");
        try {
            Files.createDirectories(hook.getParent());
            Files.writeString(hook, POST_RECEIVE);
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes {@code app.codeDir} hold exactly the files of {@code commit} (a null commit empties
     * it). A private index remembers what the last checkout wrote, so files the new commit
     * deleted go too, and the bare repository's HEAD stays untouched.
     */
    public void checkout(App app, String commit) {
        git.run(Map.of("GIT_INDEX_FILE", app.gitDir.resolveSibling("deployed.index").toString()),
                "--git-dir", app.gitDir.toString(), "--work-tree", app.codeDir.toString(),
                "read-tree", "--reset", "-u", commit != null ? commit : EMPTY_TREE);
    }

    /** Points HEAD at the branch last deployed, so that a clone checks it out. */
    public void setHead(App app, String branch) {
        git.run("--git-dir", app.gitDir.toString(), "symbolic-ref", "HEAD", "refs/heads/" + branch);
    }
}
