package dev.parity.steps;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What an interrupted run does. Ctrl-C (SIGINT) ends parity with 130, SIGTERM with 143 (128 + the
 * signal, as the shell reports it). Before the JVM exits, one shutdown hook ends every program the
 * running sequence started and is still running (SIGTERM, then SIGKILL after 3 s: none may act
 * after parity), takes back what the sequence started (its {@link StepContext#atEnd} actions), removes every
 * temporary file of the run, and prints one line on stderr: that the run was interrupted, by
 * which signal, in which step, and what state things are in when a step said so.
 */
public final class Interruption {
    private static final Set<Path> TEMPORARY = ConcurrentHashMap.newKeySet();
    private static final Deque<Running> RUNNING = new ArrayDeque<>();
    private static PrintStream err;
    private static Thread hook;
    private static volatile boolean finished;
    private static volatile boolean interrupted;
    private static volatile String signal;

    /** The sequence in progress: how to clean up after it and what to say. */
    record Running(StepContext context, Supplier<String> where) {}

    private Interruption() {}

    /** Registers the one shutdown hook, printing on {@code stderr}; called once at start-up. */
    public static synchronized void install(PrintStream stderr) {
        err = stderr;
        if (hook != null) return;
        hook = new Thread(Interruption::onShutdown, "parity-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        for (String name : List.of("INT", "TERM")) remember(name);
    }

    /** The run ended by itself: exiting now is not an interruption. */
    public static void finished() {
        finished = true;
    }

    /** Whether a signal is ending the run (a step failing now is failing because of it). */
    public static boolean interrupted() {
        return interrupted;
    }

    /**
     * {@code path} (a file or a directory tree) is temporary: it is removed if the run is
     * interrupted. Remove it yourself when done, then call {@link #removed}.
     */
    public static Path temporary(Path path) {
        TEMPORARY.add(path);
        return path;
    }

    public static void removed(Path path) {
        TEMPORARY.remove(path);
    }

    /** What an interrupt now would remove. */
    public static Set<Path> temporaryPaths() {
        return Set.copyOf(TEMPORARY);
    }

    static synchronized void started(StepContext context, Supplier<String> where, PrintStream stderr) {
        if (hook == null) install(stderr);
        RUNNING.push(new Running(context, where));
    }

    static synchronized void ended(StepContext context) {
        RUNNING.removeIf(r -> r.context() == context);
    }

    private static void onShutdown() {
        if (!finished) interruptNow();
    }

    /** The work of the shutdown hook: clean up, remove temporary files, say so in one line. */
    static void interruptNow() {
        interrupted = true;
        Running running;
        synchronized (Interruption.class) {
            running = RUNNING.peek();
        }
        String state = null;
        if (running != null) {
            // nothing parity started may act after it: a heroku CLI still starting up would send its
            // request (a restore, a reset) after parity has said what state things are in
            dev.parity.process.SystemProcessRunner.endChildren(3000);
            running.context().cleanUp();
            state = running.context().interruptedState();
        }
        for (Path p : List.copyOf(TEMPORARY)) delete(p);
        PrintStream out = running != null ? running.context().io().err() : err;
        if (out == null) return;
        out.println("parity: interrupted" + (signal == null ? "" : " by " + signal)
                + (running == null ? "" : " " + running.where().get())
                + (state == null ? "" : "; " + state));
        out.flush();
    }

    /**
     * Notes which signal arrived, then lets the JVM handle it as it always does (exit 128 + N
     * through the shutdown hooks). Without {@code sun.misc.Signal} the line just does not name it.
     */
    private static void remember(String name) {
        try {
            sun.misc.Signal sig = new sun.misc.Signal(name);
            sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
            previous[0] = sun.misc.Signal.handle(sig, s -> {
                signal = "SIG" + s.getName();
                previous[0].handle(s);
            });
            if (previous[0] == sun.misc.SignalHandler.SIG_IGN || previous[0] == sun.misc.SignalHandler.SIG_DFL) {
                sun.misc.Signal.handle(sig, previous[0]); // ignored (a background job) or not the JVM's: leave it so
            }
        } catch (IllegalArgumentException | LinkageError | UnsupportedOperationException e) {
            // signal not available here (or handled by the JVM itself): the line says "interrupted" only
        }
    }

    /** Forgets an interrupt that {@link #interruptNow} simulated. */
    static synchronized void reset() {
        interrupted = false;
        signal = null;
        RUNNING.clear();
    }

    private static void delete(Path p) {
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // already gone
        }
        TEMPORARY.remove(p);
    }
}
