package dev.parity.sandbox.data;

import dev.parity.pgcluster.PostgresCluster;
import dev.parity.process.Command;
import dev.parity.process.SystemProcessRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The real PostgreSQL programs behind the add-on: databases created, dropped and sized with psql,
 * dumps and restores with the cluster's own pg_dump and pg_restore. Running programs are
 * remembered so that closing the sandbox stops them.
 */
public final class PgTools implements AutoCloseable {
    private final Supplier<PostgresCluster> cluster;
    private final SystemProcessRunner runner;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public PgTools(Supplier<PostgresCluster> cluster, SystemProcessRunner runner) {
        this.cluster = cluster;
        this.runner = runner;
    }

    /** The sandbox's cluster; never restarted by a job that outlives the sandbox. */
    public PostgresCluster cluster() {
        if (closed) throw new IllegalStateException("the sandbox is stopping");
        return cluster.get();
    }

    public void create(String db) {
        if (!cluster().databaseExists(db)) cluster().createDatabase(db);
    }

    /** Drops and recreates {@code db}, first cutting off whoever is connected (dynos, psql sessions). */
    public void recreate(String db) {
        PostgresCluster c = cluster();
        if (c.version() >= 13) {
            c.psql("postgres", "DROP DATABASE IF EXISTS " + ident(db) + " WITH (FORCE)");
        } else {
            c.psql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " + literal(db)
                    + " AND pid <> pg_backend_pid()");
            c.psql("postgres", "DROP DATABASE IF EXISTS " + ident(db));
        }
        c.createDatabase(db);
    }

    /** {@code hstore} or {@code myschema.hstore}, as {@code --extensions} gives them. */
    public void createExtensions(String db, List<String> extensions) {
        for (String e : extensions) {
            int dot = e.indexOf('.');
            if (dot < 0) {
                cluster().psql(db, "CREATE EXTENSION IF NOT EXISTS " + ident(e));
            } else {
                String schema = ident(e.substring(0, dot));
                cluster().psql(db, "CREATE SCHEMA IF NOT EXISTS " + schema + "; CREATE EXTENSION IF NOT EXISTS "
                        + ident(e.substring(dot + 1)) + " SCHEMA " + schema);
            }
        }
    }

    /** {@code size|tables|connections|version} of a database, for the data API's info. */
    public String[] stats(String db) {
        return cluster().psql(db, "SELECT pg_database_size(current_database()), "
                + "(SELECT count(*) FROM pg_stat_user_tables), "
                + "(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) - 1, "
                + "current_setting('server_version')").split("\\|");
    }

    public long size(String db) {
        return Long.parseLong(cluster().psql(db, "SELECT pg_database_size(current_database())"));
    }

    /**
     * Runs the cluster's {@code program} (pg_dump, pg_restore) with {@code args}, pointed at the
     * cluster through libpq's variables; every output line (stdout and stderr) goes to {@code lines}.
     */
    public int run(String program, List<String> args, Consumer<String> lines) throws IOException, InterruptedException {
        PostgresCluster c = cluster();
        Command cmd = Command.of(c.program(program)).plus(args);
        for (Map.Entry<String, String> e : c.libpqEnv().entrySet()) cmd = cmd.withEnv(e.getKey(), e.getValue());
        Process p = runner.start(cmd, true);
        running.add(p);
        try {
            p.getOutputStream().close();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) lines.accept(line);
            }
            return p.waitFor();
        } finally {
            running.remove(p);
            p.destroy();
        }
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public void close() {
        closed = true;
        for (Process p : running) p.destroyForcibly();
    }
}
