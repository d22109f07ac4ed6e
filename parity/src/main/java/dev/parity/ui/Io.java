package dev.parity.ui;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a command touches of the outside world besides programs: its streams, its
 * environment variables and its working directory. Results go to {@code out}, progress and
 * errors to {@code err}.
 */
public final class Io {
    private final PrintStream out;
    private final PrintStream err;
    private final BufferedReader in;
    private final Map<String, String> env;
    private final Path cwd;
    private final boolean interactive;

    public Io(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, Path cwd,
              boolean interactive) {
        this.out = out;
        this.err = err;
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.env = Map.copyOf(env);
        this.cwd = cwd;
        this.interactive = interactive;
    }

    public static Io system() {
        return new Io(System.out, System.err, System.in, System.getenv(),
                Path.of("").toAbsolutePath(), System.console() != null);
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Map<String, String> env() {
        return env;
    }

    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public Path cwd() {
        return cwd;
    }

    /** Whether a person is at a terminal to answer a prompt. */
    public boolean interactive() {
        return interactive;
    }

    /** Prints the question on stderr and reads one line; null at end of input. */
    public String ask(String question) {
        err.print(question);
        err.flush();
        try {
            return in.readLine();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Progress for people, on stderr. */
    public void progress(String line) {
        err.println(line);
    }
}
