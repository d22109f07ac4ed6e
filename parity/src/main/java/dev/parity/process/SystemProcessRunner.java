package dev.parity.process;

import dev.parity.ui.Redact;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts real programs with {@link ProcessBuilder}: argv arrays only, terminal I/O inherited
 * unless the command asks for capture or for its output to be redacted.
 */
public final class SystemProcessRunner implements ProcessRunner {
    /** Programs started by {@link #run} that have not ended yet. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private final Map<String, String> baseEnv;
    private final Path workingDir;
    private final OutputStream terminalOut;
    private final OutputStream terminalErr;

    public SystemProcessRunner(Map<String, String> baseEnv, Path workingDir) {
        this(baseEnv, workingDir, System.out, System.err);
    }

    /** {@code terminalOut}/{@code terminalErr}: where the redacted output of {@link Command#redactOutput} commands goes. */
    public SystemProcessRunner(Map<String, String> baseEnv, Path workingDir, OutputStream terminalOut, OutputStream terminalErr) {
        this.baseEnv = Map.copyOf(baseEnv);
        this.workingDir = workingDir;
        this.terminalOut = terminalOut;
        this.terminalErr = terminalErr;
    }

    @Override
    public Result run(Command command) throws InterruptedException {
        ProcessBuilder pb = builder(command);
        // Captured commands give us their stdout; their stderr (progress, errors) still reaches the user.
        pb.inheritIO();
        if (command.capture()) {
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        }
        if (command.redactOutput()) {
            // what may carry a secret comes to us first; no terminal input, so no prompt can wait unseen
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
            pb.redirectError(ProcessBuilder.Redirect.PIPE);
        }
        if (command.errorFile() != null) pb.redirectError(command.errorFile().toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ProgramNotFound(command.program());
        }
        LIVE.add(p);
        try {
            return await(command, p);
        } finally {
            LIVE.remove(p);
        }
    }

    /**
     * Ends every program {@link #run} started that still runs: SIGTERM, then SIGKILL after
     * {@code graceMillis}. For an interrupted parity, so no child outlives it and goes on working.
     */
    public static void endChildren(long graceMillis) {
        List<Process> children = List.copyOf(LIVE);
        children.forEach(c -> c.descendants().forEach(ProcessHandle::destroy));
        children.forEach(Process::destroy);
        long deadline = System.nanoTime() + graceMillis * 1_000_000;
        for (Process c : children) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!c.waitFor(left, TimeUnit.NANOSECONDS)) {
                    c.descendants().forEach(ProcessHandle::destroyForcibly);
                    c.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.destroyForcibly();
            }
        }
    }

    private Result await(Command command, Process p) throws InterruptedException {
        List<Thread> relays = new ArrayList<>();
        Drain out = null;
        if (command.capture()) {
            try {
                p.getOutputStream().close(); // captured commands read nothing from us
            } catch (IOException ignored) {
                // the child already exited
            }
            out = new Drain(p.getInputStream());
            relays.add(out);
        } else if (command.redactOutput()) {
            relays.add(new RedactingRelay(p.getInputStream(), terminalOut));
        }
        if (command.redactOutput() && command.errorFile() == null) relays.add(new RedactingRelay(p.getErrorStream(), terminalErr));
        relays.forEach(Thread::start);
        try {
            int code = p.waitFor();
            for (Thread t : relays) t.join();
            return new Result(code, out == null ? "" : out.text());
        } catch (InterruptedException e) {
            p.destroy();
            throw e;
        }
    }

    /**
     * Starts the command with all three streams piped to the caller, for programs whose I/O is
     * relayed while they run (the sandbox's one-off dynos, git's CGI backend). With
     * {@code mergeStderr} the error stream is folded into standard output, as a dyno's PTY does.
     */
    public Process start(Command command, boolean mergeStderr) throws java.io.IOException {
        ProcessBuilder pb = builder(command);
        pb.redirectErrorStream(mergeStderr);
        return pb.start();
    }

    /** Starts a server that outlives parity: output appended to {@code log}, no terminal input. */
    public Process startInBackground(Command command, Path log) throws java.io.IOException {
        ProcessBuilder pb = builder(command);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }

    /** argv with the program resolved on PATH, the environment replaced, the working directory set. */
    private ProcessBuilder builder(Command command) {
        String resolved = resolve(command.program());
        if (resolved == null) throw new ProgramNotFound(command.program());
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(command.argv()));
        pb.command().set(0, resolved);
        pb.environment().clear();
        pb.environment().putAll(baseEnv);
        pb.environment().putAll(command.env());
        pb.directory((command.directory() != null ? command.directory() : workingDir).toFile());
        return pb;
    }

    @Override
    public boolean available(String program) {
        return resolve(program) != null;
    }

    private String resolve(String program) {
        if (program.contains(File.separator)) {
            return Files.isExecutable(workingDir.resolve(program)) ? workingDir.resolve(program).toString() : null;
        }
        String path = baseEnv.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) return candidate.toString();
        }
        return null;
    }

    /**
     * Copies a child's output to the terminal a line at a time (a line ends at a line feed or a
     * carriage return, which no URL holds), each line redacted before it is written.
     */
    static final class RedactingRelay extends Thread {
        /** A line longer than this is passed on in pieces rather than held without end. */
        static final int MAX_LINE = 1 << 20;
        private final InputStream in;
        private final OutputStream out;

        RedactingRelay(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
            setDaemon(true);
        }

        @Override
        public void run() {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        line.write(buf[i]);
                        if (buf[i] == '\n' || buf[i] == '\r' || line.size() >= MAX_LINE) pass(line);
                    }
                }
                pass(line);
            } catch (IOException e) {
                // the child's end closed: nothing more to pass on
            }
        }

        private void pass(ByteArrayOutputStream line) throws IOException {
            if (line.size() == 0) return;
            String redacted = Redact.downloadUrl(line.toString(StandardCharsets.UTF_8));
            synchronized (out) {
                out.write(redacted.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            line.reset();
        }
    }

    /** Reads a child's stdout fully on its own thread so the pipe cannot fill up and block it. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (in) {
                in.transferTo(buf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String text() {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
