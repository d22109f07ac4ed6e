package dev.parity.schema;

import dev.parity.detect.PostgresUrl;
import dev.parity.process.Command;
import dev.parity.process.ProcessRunner;
import dev.parity.process.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Queries an app's database with {@code psql}, read-only and bounded, in one transaction
 * ({@code -1}): {@link #READ_ONLY} and {@link #BOUNDED} hold for that transaction alone, so behind a
 * transaction-mode pooler (a DATABASE_URL that points at pgbouncer) nothing stays on the server
 * connection the app gets next, and the query cannot land on another connection than its
 * settings. The bound makes a history table locked by an unfinished migration fail the read
 * instead of keeping {@code doctor} or {@code rollback} waiting for as long as the lock is held.
 * The connection comes from {@code DATABASE_URL} split into libpq's variables; the password
 * travels only as the secret {@code PGPASSWORD}, never in argv, so neither a dry run nor an error
 * message can show it.
 */
public final class ReadOnlyPsql {
    public static final String PROGRAM = "psql";
    public static final String READ_ONLY = "SET TRANSACTION READ ONLY";
    /** How long the query may take, lock waits included (the server cancels it then). */
    public static final int STATEMENT_TIMEOUT_SECONDS = 10;
    public static final String BOUNDED = "SET LOCAL statement_timeout = '" + STATEMENT_TIMEOUT_SECONDS + "s'";

    private final ProcessRunner runner;
    private final PostgresUrl url;

    private final boolean quiet;
    private final int connectTimeoutSeconds;

    private ReadOnlyPsql(ProcessRunner runner, PostgresUrl url, boolean quiet, int connectTimeoutSeconds) {
        this.runner = runner;
        this.url = url;
        this.quiet = quiet;
        this.connectTimeoutSeconds = connectTimeoutSeconds;
    }

    /**
     * The same client for a reader that can do without the answer ({@code ps}): psql's errors are not
     * shown and a connection is given up after {@code seconds}.
     */
    public ReadOnlyPsql quiet(int seconds) {
        return new ReadOnlyPsql(runner, url, true, seconds);
    }

    /** A client for {@code databaseUrl}, or empty when it is not a PostgreSQL URL. */
    public static Optional<ReadOnlyPsql> of(ProcessRunner runner, String databaseUrl) {
        return PostgresUrl.parse(databaseUrl).map(u -> new ReadOnlyPsql(runner, u, false, 10));
    }

    /** The command for {@code sql}: argv without secrets, the connection in the environment. */
    public Command command(String sql) {
        Command c = Command.of(PROGRAM, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-1", "-c", READ_ONLY, "-c", BOUNDED, "-c", sql).captured();
        if (url.host().isPresent()) c = c.withEnv("PGHOST", url.host().get());
        if (url.port().isPresent()) c = c.withEnv("PGPORT", url.port().get());
        if (url.username().isPresent()) c = c.withEnv("PGUSER", url.username().get());
        if (url.database().isPresent()) c = c.withEnv("PGDATABASE", url.database().get());
        if (url.password().isPresent()) c = c.withSecretEnv("PGPASSWORD", url.password().get());
        // Heroku Postgres needs TLS; libpq's default (prefer) uses it when the server offers it.
        if (quiet) c = c.errorsTo(Path.of("/dev/null"));
        return c.withEnv("PGCONNECT_TIMEOUT", String.valueOf(connectTimeoutSeconds)).withEnv("PGAPPNAME", "parity doctor");
    }

    /** The rows of {@code sql}, one string per row (columns joined by '|'). */
    public List<String> rows(String sql) throws InterruptedException, QueryFailed {
        Result r = runner.run(command(sql));
        if (!r.ok()) throw new QueryFailed("psql exited with " + r.exitCode());
        List<String> rows = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            String s = line.strip();
            if (!s.isEmpty()) rows.add(s);
        }
        return rows;
    }

    /** psql could not connect or the query failed; psql has said why on stderr. */
    public static final class QueryFailed extends Exception {
        public QueryFailed(String message) {
            super(message);
        }
    }
}
