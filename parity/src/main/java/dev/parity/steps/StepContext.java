package dev.parity.steps;

import dev.parity.process.ProcessRunner;
import dev.parity.ui.Io;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What steps of one sequence share: the process runner, the terminal, values one step hands to a
 * later one (a backup URL, a downloaded file), and paths to remove when the sequence ends.
 */
public final class StepContext {
    private final ProcessRunner runner;
    private final Io io;
    private final Map<String, Object> values = new HashMap<>();
    private final List<Path> cleanup = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Undo> undo = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Work to take back when the sequence ends, e.g. dropping a temporary database. */
    @FunctionalInterface
    public interface Undo {
        void run() throws InterruptedException;
    }


    public StepContext(ProcessRunner runner, Io io) {
        this.runner = runner;
        this.io = io;
    }

    public ProcessRunner runner() {
        return runner;
    }

    public Io io() {
        return io;
    }

    public void put(String key, Object value) {
        values.put(key, value);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        Object v = values.get(key);
        if (v == null) throw new IllegalStateException("no value '" + key + "' from an earlier step");
        return (T) v;
    }

    /** Removes {@code path} (a file or a directory tree) when the sequence ends, whatever happened. */
    public void deleteAtEnd(Path path) {
        cleanup.add(path);
    }

    /**
     * Runs {@code action} when the sequence ends, whatever happened — also on Ctrl-C or SIGTERM,
     * from the shutdown hook. Actions run newest first, before files are removed.
     */
    public void atEnd(Undo action) {
        undo.add(action);
    }

    /**
     * Whether a signal is ending the run (Ctrl-C, SIGTERM): clean-up then runs from the shutdown hook
     * while the step may still be going. A step about to change data checks this first.
     */
    public boolean interrupted() {
        return Interruption.interrupted();
    }

    /**
     * Tests only: when PARITY_TEST_PAUSE names this boundary ("step:3", "end", or a step's own such as
     * "swap:uncommitted"), says so on stderr and waits there until the run is interrupted, so that a test
     * can deliver a signal at exactly that point, or go on once the file PARITY_TEST_RESUME names exists.
     * Without the variable it does nothing.
     */
    public void pauseAt(String boundary) {
        if (!boundary.equals(io.env().get("PARITY_TEST_PAUSE"))) return;
        io.err().println("parity: test pause at " + boundary);
        io.err().flush();
        String resume = io.env().get("PARITY_TEST_RESUME");
        while (!interrupted() && (resume == null || !Files.exists(Path.of(resume)))) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private volatile java.util.function.Supplier<String> stateOnInterrupt;

    /**
     * What to say if the run is interrupted from now on (which database holds which name, what to
     * run to undo it): appended to the one "interrupted" line, asked after the clean-up has run.
     */
    public void onInterruptSay(java.util.function.Supplier<String> state) {
        stateOnInterrupt = state;
    }

    String interruptedState() {
        java.util.function.Supplier<String> s = stateOnInterrupt;
        if (s == null) return null;
        try {
            return s.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    synchronized void cleanUp() {
        List<Undo> actions = new ArrayList<>(undo);
        undo.clear();
        java.util.Collections.reverse(actions);
        for (Undo a : actions) {
            try {
                a.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                io.err().println("parity: clean-up failed: " + e.getMessage());
            }
        }
        for (Path p : List.copyOf(cleanup)) {
            try (Stream<Path> walk = Files.walk(p)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // already gone
            }
        }
        cleanup.clear();
    }
}
