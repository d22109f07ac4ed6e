package dev.parity.sandbox.git;

import dev.parity.process.Command;
import dev.parity.process.SystemProcessRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the git program for the sandbox's own repository chores, deaf to the user's git config. */
final class Git {
    /**
     * The user's and the system's config must not reach the sandbox's repositories: a global
     * {@code core.hooksPath} would silence the deploy hook, {@code init.defaultBranch} rename main.
     */
    static final Map<String, String> ISOLATED = Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null");

    private final SystemProcessRunner runner;

    Git(SystemProcessRunner runner) {
        this.runner = runner;
    }

    /** Runs {@code git ARGS} and returns its stdout; a non-zero exit throws with git's stderr. */
    String run(Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Command c = Command.of(argv);
        for (Map.Entry<String, String> e : ISOLATED.entrySet()) c = c.withEnv(e.getKey(), e.getValue());
        for (Map.Entry<String, String> e : env.entrySet()) c = c.withEnv(e.getKey(), e.getValue());
        try {
            Process p = runner.start(c, false);
            p.getOutputStream().close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread drain = new Thread(() -> copy(p.getErrorStream(), err), "sandbox-git-stderr");
            drain.setDaemon(true);
            drain.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            drain.join();
            if (code != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed (" + code + "): "
                        + err.toString(StandardCharsets.UTF_8).strip());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: git " + String.join(" ", args), e);
        }
    }

    String run(String... args) {
        return run(Map.of(), args);
    }

    private static void copy(InputStream in, ByteArrayOutputStream to) {
        try (in) {
            in.transferTo(to);
        } catch (IOException ignored) {
            // the process is gone; what we have is all there is
        }
    }
}
