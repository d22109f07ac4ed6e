package dev.parity.cli;

import dev.parity.process.ProcessRunner;
import dev.parity.ui.Io;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A command of parity's that lives in another module (the sandbox): found through
 * {@link ServiceLoader}, so the command-line tool does not depend on it at build time.
 */
public interface ToolExtension {
    /** The first word that selects it, e.g. "sandbox". */
    String name();

    /** Runs it with the words after its name; returns the exit code. */
    int run(Io io, ProcessRunner runner, List<String> args) throws InterruptedException;

    static Optional<ToolExtension> find(String name) {
        for (ToolExtension e : ServiceLoader.load(ToolExtension.class)) {
            if (e.name().equals(name)) return Optional.of(e);
        }
        return Optional.empty();
    }
}
