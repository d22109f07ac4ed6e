package dev.parity.support;

import dev.parity.process.Command;
import dev.parity.process.ProcessRunner;
import dev.parity.process.ProgramNotFound;
import dev.parity.process.Result;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A process runner for unit tests of plans: records every command and answers from rules
 * ("git show-ref … main" succeeds, "heroku run" exits 3). Unmatched commands succeed silently.
 * End-to-end tests use real programs instead.
 */
public final class RecordingRunner implements ProcessRunner, dev.parity.db.LocalSql.Provider {
    private final List<Command> commands = new ArrayList<>();
    private final Map<Predicate<Command>, Function<Command, Result>> rules = new LinkedHashMap<>();
    private final Set<String> missing = new HashSet<>();
    private final Map<String, String> remotes = new LinkedHashMap<>();
    private final Set<String> branches = new HashSet<>();

    public RecordingRunner answer(Predicate<Command> when, int exitCode, String stdout) {
        return answerWith(when, c -> new Result(exitCode, stdout));
    }

    /** Answers by running {@code how}, e.g. to look at a file the command names while it still exists. */
    public RecordingRunner answerWith(Predicate<Command> when, Function<Command, Result> how) {
        rules.put(when, how);
        return this;
    }

    /** {@code argv} starts with these words. */
    public static Predicate<Command> startsWith(String... words) {
        return c -> c.argv().size() >= words.length && c.argv().subList(0, words.length).equals(List.of(words));
    }

    public RecordingRunner fail(Predicate<Command> when, int exitCode) {
        return answer(when, exitCode, "");
    }

    /** A git remote, answered to {@code git config --get-regexp ^remote…}. */
    public RecordingRunner withRemote(String name, String url) {
        remotes.put(name, url);
        return this;
    }

    /** Local branches, answered to {@code git show-ref --verify refs/heads/NAME}. */
    public RecordingRunner withBranches(String... names) {
        branches.addAll(List.of(names));
        return this;
    }

    public RecordingRunner without(String program) {
        missing.add(program);
        return this;
    }

    @Override
    public Result run(Command command) {
        commands.add(command);
        if (missing.contains(command.program())) throw new ProgramNotFound(command.program());
        // the rule given last wins, so a test can override what setUp answered
        List<Map.Entry<Predicate<Command>, Function<Command, Result>>> ordered = new ArrayList<>(rules.entrySet());
        java.util.Collections.reverse(ordered);
        for (var e : ordered) {
            if (e.getKey().test(command)) return e.getValue().apply(command);
        }
        if (startsWith("git", "config", "--get-regexp").test(command)) {
            StringBuilder sb = new StringBuilder();
            remotes.forEach((n, u) -> sb.append("remote.").append(n).append(".url ").append(u).append('\n'));
            return new Result(remotes.isEmpty() ? 1 : 0, sb.toString());
        }
        if (startsWith("git", "config", "--get-all").test(command)) {
            String key = command.argv().get(3); // remote.NAME.url
            String url = key.startsWith("remote.") && key.endsWith(".url") ? remotes.get(key.substring(7, key.length() - 4)) : null;
            return url == null ? new Result(1, "") : new Result(0, url + "\n");
        }
        if (startsWith("git", "show-ref").test(command)) {
            String ref = command.argv().get(command.argv().size() - 1);
            return new Result(branches.contains(ref.substring("refs/heads/".length())) ? 0 : 1, "");
        }
        return new Result(0, "");
    }

    @Override
    public boolean available(String program) {
        return !missing.contains(program);
    }

    public List<Command> commands() {
        return commands;
    }

    /** The argv of every command that is not a read-only git question. */
    public List<List<String>> actions() {
        return commands.stream()
                .filter(c -> !(c.program().equals("git") && List.of("config", "show-ref", "status").contains(c.argv().get(1))))
                .map(Command::argv).toList();
    }

    /** Local SQL as psql commands on this runner (see {@link PsqlLocalSql}). */
    @Override
    public dev.parity.db.LocalSql localSql(dev.parity.db.DevDatabase db) {
        return new PsqlLocalSql(db, this);
    }
}
