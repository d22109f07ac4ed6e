package dev.parity.db;

import dev.parity.process.Command;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code heroku pg:push} is given for the local database, built once, so the check before a
 * reset runs exactly what the push will run.
 *
 * <p>The pinned CLI (11.x, commands/pg/push.js) reads its SOURCE with
 * {@code parsePostgresConnectionString}: anything without {@code ://} becomes
 * {@code postgres:///SOURCE}, parsed as a WHATWG URL, and its parts become pg_dump's
 * {@code -U}/{@code -h}/{@code -p} and database, joined into one line that a shell runs. A URL
 * cannot carry a socket directory as its host (and the database comes out percent-encoded, never
 * decoded), so the source is always the bare database name and the host, port and user travel in
 * PGHOST, PGPORT and PGUSER, which the CLI passes on to pg_dump untouched. A name that the URL
 * parser or the shell would change is refused before anything is reset.
 */
public record PushSource(String argument, Map<String, String> env, Optional<String> password) {
    /** Survives {@code new URL("postgres:///" + name)} and {@code /bin/sh} unchanged. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    public static PushSource of(DevDatabase db) throws StepFailed {
        if (!PLAIN_NAME.matcher(db.name()).matches()) {
            throw new StepFailed(ExitCodes.FAILED, "heroku pg:push cannot push the database '" + db.name() + "': it reads the name as part of a URL"
                    + " and passes it through a shell, which change names with characters other than letters, digits, _ . and -."
                    + " Rename the local database (or push a copy with such a name); nothing was changed");
        }
        Map<String, String> env = new LinkedHashMap<>();
        db.host().ifPresent(h -> env.put("PGHOST", h));
        db.port().ifPresent(p -> env.put("PGPORT", p));
        db.username().ifPresent(u -> env.put("PGUSER", u));
        return new PushSource(db.name(), Map.copyOf(env), db.password());
    }

    /** {@code command} (the heroku CLI) with the connection in its environment; the password stays secret. */
    public Command applyTo(Command command) {
        Command c = command;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) c = c.withEnv(e.getKey(), e.getValue());
        return password.isPresent() ? c.withSecretEnv("PGPASSWORD", password.get()) : c;
    }

    /**
     * pg_dump's connection arguments as pg:push builds them from {@link #argument} (connArgs in
     * lib/pg/push-pull.js): no user, no host (the URL has none), {@code -p} from PGPORT if the CLI
     * sees one, then the database. {@code inherited}: the environment parity itself runs in.
     */
    public List<String> pgDumpConnection(Map<String, String> inherited) {
        List<String> args = new ArrayList<>();
        String port = env.getOrDefault("PGPORT", inherited.get("PGPORT"));
        if (port != null && !port.isEmpty()) args.addAll(List.of("-p", port));
        args.add(argument);
        return args;
    }

    /**
     * The dump pg:push starts ({@code pg_dump --verbose -F c -Z 0 -N _heroku CONNECTION}), on the
     * schema only and into nothing, with the same environment: what fails here would fail in the push.
     */
    public Command check(Map<String, String> inherited) {
        List<String> argv = new ArrayList<>(List.of("pg_dump", "--schema-only", "--no-sync", "--file=/dev/null", "-F", "c", "-N", "_heroku"));
        argv.addAll(pgDumpConnection(inherited));
        return applyTo(Command.of(argv));
    }
}
