package dev.parity.scrub;

import dev.parity.detect.PostgresUrl;
import dev.parity.process.Command;
import dev.parity.process.ProcessRunner;
import dev.parity.process.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL on a Heroku app's database, for the scrub after a restore into it: {@code psql} with the
 * connection from the app's {@code DATABASE_URL} split into libpq's variables. The password
 * travels only as the secret {@code PGPASSWORD}, never in argv, so neither a plan nor an error can
 * show it. The statements are psql's {@code -c} commands in one session, so a {@code BEGIN} among
 * them spans the rest; psql stops at the first error and the server rolls the transaction back.
 */
public final class AppDatabaseSql implements Scrubber.Sql {
    public static final String PROGRAM = "psql";

    private final ProcessRunner runner;
    private final PostgresUrl url;
    private final String app;

    private AppDatabaseSql(ProcessRunner runner, PostgresUrl url, String app) {
        this.runner = runner;
        this.url = url;
        this.app = app;
    }

    /** A client for {@code app}'s {@code databaseUrl}, or empty when it is not a PostgreSQL URL. */
    public static Optional<AppDatabaseSql> of(ProcessRunner runner, String app, String databaseUrl) {
        return PostgresUrl.parse(databaseUrl).map(u -> new AppDatabaseSql(runner, u, app));
    }

    /** The command for {@code statements}: argv without secrets, the connection in the environment. */
    public Command command(String... statements) {
        List<String> argv = new ArrayList<>(List.of(PROGRAM, "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"));
        for (String s : statements) {
            argv.add("-c");
            argv.add(s);
        }
        Command c = Command.of(argv).captured();
        if (url.host().isPresent()) c = c.withEnv("PGHOST", url.host().get());
        if (url.port().isPresent()) c = c.withEnv("PGPORT", url.port().get());
        if (url.username().isPresent()) c = c.withEnv("PGUSER", url.username().get());
        if (url.database().isPresent()) c = c.withEnv("PGDATABASE", url.database().get());
        if (url.password().isPresent()) c = c.withSecretEnv("PGPASSWORD", url.password().get());
        // Heroku Postgres needs TLS; libpq's default (prefer) uses it when the server offers it
        return c.withEnv("PGCONNECT_TIMEOUT", "30").withEnv("PGAPPNAME", "parity scrub");
    }

    @Override
    public String run(String doing, String... statements) throws Exception {
        Result r = runner.run(command(statements));
        if (!r.ok()) {
            throw new Failed("could not " + doing + " of " + app + ": psql exited with status " + r.exitCode() + " (its error is above)");
        }
        return r.stdout();
    }

    /** psql could not connect or a statement failed; psql has said which on standard error. */
    public static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }
}
