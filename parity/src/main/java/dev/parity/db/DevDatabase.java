package dev.parity.db;

import dev.parity.process.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local development database and how to reach it. Unset host, port and user fall back to
 * libpq's own defaults (PGHOST, PGPORT, PGUSER). The password travels only in PGPASSWORD, which
 * is marked secret, never on a command line.
 */
public record DevDatabase(String name, Optional<String> host, Optional<String> port, Optional<String> username,
                          Optional<String> password, String source) {

    public DevDatabase {
        if (name.startsWith("-")) {
            throw new IllegalArgumentException("database name '" + name + "' starts with '-'");
        }
        if (name.equals("template0") || name.equals("template1")) { // a restore would replace the template of every new database
            throw new IllegalArgumentException("database name '" + name + "' is one of the server's template databases, not a development database");
        }
    }

    public List<String> connectionArgs() {
        List<String> args = new ArrayList<>();
        host.ifPresent(h -> args.addAll(List.of("--host", h)));
        port.ifPresent(p -> args.addAll(List.of("--port", p)));
        username.ifPresent(u -> args.addAll(List.of("--username", u)));
        return args;
    }

    /** {@code program [connection args] rest…} with the password, if any, in the environment. */
    public Command command(String program, List<String> before, List<String> after) {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(before);
        argv.addAll(connectionArgs());
        argv.addAll(after);
        Command c = Command.of(argv);
        return password.isPresent() ? c.withSecretEnv("PGPASSWORD", password.get()) : c;
    }

    /** psql running one statement, stopping at the first error, ignoring the user's psqlrc. */
    public Command psql(String sql) {
        return command("psql", List.of("-X", "-v", "ON_ERROR_STOP=1", "-q"), List.of("--dbname", name, "-c", sql));
    }

    /** What {@code heroku pg:push} is given for this database, or why it cannot be pushed ({@link PushSource}). */
    public PushSource pushSource() throws dev.parity.steps.StepFailed {
        return PushSource.of(this);
    }

    @Override
    public String toString() {
        return "DevDatabase[" + name + ", " + source + "]";
    }
}
