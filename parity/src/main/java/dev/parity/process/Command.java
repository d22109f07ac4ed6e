package dev.parity.process;

import dev.parity.ui.Redact;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One external program to start: an argv array (never a shell string), extra environment
 * variables, a working directory, and whether its output is captured or goes to the terminal.
 * {@code secretEnv} names variables whose values must never be shown. With {@code errorFile} the
 * program's standard error goes to that file (to be read afterwards) instead of the terminal.
 * With {@code redactOutput} what the program prints passes through {@link Redact#downloadUrl}
 * line by line on its way to the terminal, for programs that may print a secret (a signed URL,
 * a connection string); such a program gets no terminal input, so it is never an interactive one.
 */
public record Command(List<String> argv, Map<String, String> env, Set<String> secretEnv,
                      Path directory, boolean capture, Path errorFile, boolean redactOutput) {

    public Command {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        secretEnv = Set.copyOf(secretEnv);
        if (argv.isEmpty()) throw new IllegalArgumentException("empty argv");
    }

    public Command(List<String> argv, Map<String, String> env, Set<String> secretEnv, Path directory, boolean capture,
                   Path errorFile) {
        this(argv, env, secretEnv, directory, capture, errorFile, false);
    }

    public Command(List<String> argv, Map<String, String> env, Set<String> secretEnv, Path directory, boolean capture) {
        this(argv, env, secretEnv, directory, capture, null, false);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), Map.of(), Set.of(), null, false);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, Map.of(), Set.of(), null, false);
    }

    public String program() {
        return argv.get(0);
    }

    public Command captured() {
        return new Command(argv, env, secretEnv, directory, true, errorFile, redactOutput);
    }

    /** Standard error into {@code file} (created or replaced) instead of the terminal. */
    public Command errorsTo(Path file) {
        return new Command(argv, env, secretEnv, directory, capture, file, redactOutput);
    }

    /**
     * What the program prints reaches the terminal redacted (captured output stays as it is, for
     * parity to read); its standard input is empty. Not for interactive programs.
     */
    public Command redactingOutput() {
        return new Command(argv, env, secretEnv, directory, capture, errorFile, true);
    }

    public Command in(Path dir) {
        return new Command(argv, env, secretEnv, dir, capture, errorFile, redactOutput);
    }

    public Command withEnv(String name, String value) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put(name, value);
        return new Command(argv, e, secretEnv, directory, capture, errorFile, redactOutput);
    }

    public Command withSecretEnv(String name, String value) {
        Set<String> s = new java.util.HashSet<>(secretEnv);
        s.add(name);
        return withEnv(name, value).withSecrets(s);
    }

    private Command withSecrets(Set<String> s) {
        return new Command(argv, env, s, directory, capture, errorFile, redactOutput);
    }

    public Command plus(List<String> more) {
        List<String> a = new ArrayList<>(argv);
        a.addAll(more);
        return new Command(a, env, secretEnv, directory, capture, errorFile, redactOutput);
    }

    /** The command as a reader would type it: POSIX-quoted words, secrets redacted. */
    public String display() {
        StringBuilder sb = new StringBuilder();
        env.keySet().stream().sorted().forEach(k -> sb.append(k).append('=')
                .append(secretEnv.contains(k) ? "<redacted>" : ShellWords.quote(env.get(k))).append(' '));
        sb.append(ShellWords.join(argv.stream().map(Command::redactUrl).toList()));
        return sb.toString();
    }

    /** Signed URLs and URLs with credentials are secrets: show only where they point. */
    private static String redactUrl(String word) {
        return word.contains("://") ? Redact.url(word) : word;
    }

    @Override
    public String toString() {
        return display();
    }
}
