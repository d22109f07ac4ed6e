package dev.parity.pgcluster;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the cluster's programs (initdb, pg_ctl, psql, ...) with {@link ProcessBuilder}: argv
 * lists only, never a shell. Standard output is captured and returned, standard error reaches the
 * terminal, standard input is empty. The environment is replaced by the one given, so the caller's
 * own PG* variables cannot steer the programs.
 */
final class ProgramRunner {

    /** How a program ended, with everything it printed on standard output. */
    record Outcome(int exitCode, String stdout) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final Map<String, String> baseEnv;
    private final Path workingDir;

    ProgramRunner(Map<String, String> baseEnv, Path workingDir) {
        this.baseEnv = Map.copyOf(baseEnv);
        this.workingDir = workingDir;
    }

    /** Runs {@code argv} to the end with {@code extraEnv} added; the program is looked up on PATH unless it holds a '/'. */
    Outcome run(List<String> argv, Map<String, String> extraEnv) throws InterruptedException {
        String program = resolve(argv.get(0));
        if (program == null) throw new PostgresClusterException("program not found: " + argv.get(0));
        List<String> command = new ArrayList<>(argv);
        command.set(0, program);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().clear();
        pb.environment().putAll(baseEnv);
        pb.environment().putAll(extraEnv);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new PostgresClusterException("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close(); // the programs read nothing from us
        } catch (IOException ignored) {
            // the child already exited
        }
        // Read stdout on its own thread so a full pipe cannot block the child.
        Drain out = new Drain(p.getInputStream());
        out.start();
        try {
            int code = p.waitFor();
            out.join();
            return new Outcome(code, out.text());
        } catch (InterruptedException e) {
            p.destroy();
            throw e;
        }
    }

    private String resolve(String program) {
        if (program.contains(File.separator)) {
            Path p = workingDir.resolve(program);
            return Files.isExecutable(p) ? p.toString() : null;
        }
        for (String dir : baseEnv.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) return candidate.toString();
        }
        return null;
    }

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
