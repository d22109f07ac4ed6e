package dev.parity.db;

import dev.parity.process.ProcessRunner;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The development database and its two companions: the temporary database a restore fills
 * ({@code NAME_parity_restore}) and the previous copy a restore keeps ({@code NAME_parity_previous}).
 * Databases are only ever replaced by renaming inside one transaction, so the name always points
 * at a whole database: the old one or the verified new one.
 */
public final class LocalDatabases {
    private static final int MAX_NAME = 63; // PostgreSQL's identifier limit (bytes; names here are ASCII-ish)

    private final DevDatabase db;
    private final LocalSql sql;

    public LocalDatabases(DevDatabase db, LocalSql sql) {
        this.db = db;
        this.sql = sql;
    }

    /**
     * The development database's server through connections parity holds (pgjdbc), or what the
     * runner answers when it is a test's stand-in for the server. Close it when the run ends.
     */
    public static LocalDatabases open(DevDatabase db, ProcessRunner runner, Map<String, String> env) {
        return new LocalDatabases(db, runner instanceof LocalSql.Provider p ? p.localSql(db) : new JdbcLocalSql(db, env));
    }

    /** Ends parity's connections to the server, and with them the restore lock. */
    public void close() {
        sql.close();
    }

    public String current() {
        return db.name();
    }

    public String temporary() {
        return companion("_parity_restore");
    }

    public String previous() {
        return companion("_parity_previous");
    }

    /**
     * NAME + suffix within PostgreSQL's 63 bytes, shortening NAME by whole characters: the server
     * would cut a longer name itself, and two cut names can come out the same (a restore that
     * "succeeds" without changing anything). A shortened NAME keeps a hash of the whole name, so two
     * long names alike in their first bytes never share a temporary database or a previous copy.
     */
    String companion(String suffix) {
        String base = db.name();
        int room = MAX_NAME - suffix.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (base.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= room) return base + suffix;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(db.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String hash = String.format("%08x", crc.getValue());
        while (base.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > room - hash.length()) {
            base = base.substring(0, base.offsetByCodePoints(base.length(), -1));
        }
        return base + hash + suffix;
    }

    /**
     * How to name {@code database} to libpq's {@code --dbname}: as it is, unless libpq would read it
     * as a connection string (it contains '=' or starts like a URI); then as {@code dbname='…'}.
     */
    public static String dbnameArgument(String database) {
        if (!database.contains("=") && !database.startsWith("postgresql://") && !database.startsWith("postgres://")) return database;
        return "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Where administrative statements run: never the database being replaced. */
    String maintenance() {
        return db.name().equals("postgres") ? "template1" : "postgres";
    }

    /** Runs statements (see {@link LocalSql#run}); a failure becomes a StepFailed saying what was being done. */
    public String run(String doing, String database, String... statements) throws StepFailed, InterruptedException {
        return sql.run(doing, database, statements);
    }

    public boolean exists(String name) throws StepFailed, InterruptedException {
        return run("look up database " + name, maintenance(),
                "SELECT 1 FROM pg_database WHERE datname = " + literal(name)).strip().equals("1");
    }

    /** The server's major version, e.g. 15. */
    public int serverMajor() throws StepFailed, InterruptedException {
        String v = run("connect to the local PostgreSQL server", maintenance(), "SHOW server_version_num").strip();
        try {
            return Integer.parseInt(v) / 10000;
        } catch (NumberFormatException e) {
            throw new StepFailed(ExitCodes.FAILED, "unexpected server_version_num '" + v + "'");
        }
    }

    /** Other sessions on {@code name}, described for a person: "rails server (pid 4242, 127.0.0.1, user dev)". */
    public List<String> connections(String name) throws StepFailed, InterruptedException {
        String out = run("list the connections to " + name, maintenance(),
                "SELECT pid, coalesce(nullif(application_name, ''), 'unnamed client'), coalesce(host(client_addr), 'local socket'),"
                        + " coalesce(usename, '?') FROM pg_stat_activity WHERE datname = " + literal(name)
                        + " AND pid <> pg_backend_pid() AND backend_type = 'client backend' ORDER BY pid"); // not autovacuum
        List<String> found = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 4) found.add(f[1] + " (pid " + f[0] + ", " + f[2] + ", user " + f[3] + ")");
        }
        return found;
    }

    /** Fails naming every other session on the current database, unless {@code force} ends them. */
    public void requireNoOtherConnections(boolean force) throws StepFailed, InterruptedException {
        if (!exists(current())) return;
        List<String> others = connections(current());
        if (others.isEmpty()) return;
        if (!force) {
            throw new StepFailed(ExitCodes.FAILED, others.size() + " other connection" + (others.size() == 1 ? "" : "s") + " to "
                    + current() + ": " + String.join("; ", others)
                    + ". Stop them (a running server or console), or re-run with --force to end them; "
                    + current() + " was not changed");
        }
        run("end the other connections to " + current(), maintenance(), terminate(current()));
    }

    public void dropIfExists(String name) throws StepFailed, InterruptedException {
        run("drop database " + name, maintenance(), "DROP DATABASE IF EXISTS " + identifier(name) + " WITH (FORCE)");
    }

    /** The setting of the temporary database while parallel pg_restore jobs fill it (see {@link #createTemporary(boolean)}). */
    public static final String SERIAL_INDEX_BUILDS = "max_parallel_maintenance_workers = 0";

    /**
     * An empty temporary database. {@code serialIndexBuilds}: every session on it builds each index
     * in one process, set on the database rather than in each connection's options (PGOPTIONS), which
     * a pooler such as PgBouncer refuses; {@link #swapIn} resets it. (No other loading settings: a
     * larger maintenance_work_mem made the index builds of a 1 GB restore slower, not faster —
     * bench/RESULTS.md.)
     */
    public void createTemporary(boolean serialIndexBuilds) throws StepFailed, InterruptedException {
        dropIfExists(temporary()); // left by an earlier run that was killed
        run("create database " + temporary(), maintenance(), "CREATE DATABASE " + identifier(temporary()));
        if (serialIndexBuilds) {
            run("set " + SERIAL_INDEX_BUILDS + " on " + temporary(), maintenance(),
                    "ALTER DATABASE " + identifier(temporary()) + " SET " + SERIAL_INDEX_BUILDS);
        }
    }

    /**
     * The server's data directory when this user may know it (superuser or pg_read_all_settings)
     * and it is on this machine; empty otherwise.
     */
    public java.util.Optional<java.nio.file.Path> dataDirectory() throws StepFailed, InterruptedException {
        String dir = run("ask where the server keeps its data", maintenance(),
                "SELECT CASE WHEN pg_has_role('pg_read_all_settings', 'MEMBER')"
                        + " OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
                        + " THEN current_setting('data_directory') END").strip();
        if (dir.isEmpty()) return java.util.Optional.empty();
        java.nio.file.Path p = java.nio.file.Path.of(dir);
        return java.nio.file.Files.exists(p) ? java.util.Optional.of(p) : java.util.Optional.empty();
    }

    /**
     * One restore or undo into this database at a time, across every run on this machine and others:
     * a lock on the server that lasts until {@link #close()}, and ends with parity even after SIGKILL.
     */
    public void lock() throws StepFailed, InterruptedException {
        java.util.Optional<String> holder = sql.tryLock(maintenance(), "restore " + current());
        if (holder.isPresent()) {
            throw new StepFailed(ExitCodes.FAILED, "another restore into " + current() + " is running: " + holder.get()
                    + ". Wait for it to finish; nothing was changed");
        }
    }

    /** The database {@code name} stands for now (its oid), empty when there is none. */
    public java.util.Optional<Long> oid(String name) throws StepFailed, InterruptedException {
        String v = run("look up database " + name, maintenance(),
                "SELECT oid FROM pg_database WHERE datname = " + literal(name)).strip();
        return v.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Long.parseLong(v));
    }

    /**
     * The temporary database becomes the current one; the current one (if any) becomes the previous
     * copy, replacing an older previous copy. Both renames commit together or not at all, in a
     * transaction on parity's own connection: if parity dies before COMMIT, the server rolls it back.
     * A {@link LocalSql.CommitUnknown} means the caller must look at which database has the name.
     */
    public void swapIn(boolean force) throws StepFailed, InterruptedException {
        swapIn(force, boundary -> { });
    }

    /**
     * {@code pause} is called at the swap's inner boundaries (a test's pause points): "swap:checked"
     * before the transaction, "swap:uncommitted" inside it, after the renames, before COMMIT.
     */
    public void swapIn(boolean force, java.util.function.Consumer<String> pause) throws StepFailed, InterruptedException {
        boolean hasCurrent = exists(current());
        // the older previous copy is only renamed aside in the swap's transaction and dropped once it
        // committed: a swap that fails (a connection arriving meanwhile) loses nothing
        String older = companion("_parity_older");
        boolean hasPrevious = false;
        if (hasCurrent) {
            requireNoOtherConnections(force);
            dropIfExists(older); // left by a run killed right after its swap
            hasPrevious = exists(previous());
        }
        if (force && hasCurrent) run("end the other connections to " + current(), maintenance(), terminate(current()));
        // as when it was dropped WITH (FORCE): a session on the previous copy must not stop the swap
        if (hasPrevious) run("end the connections to " + previous(), maintenance(), terminate(previous()));
        List<String> statements = new ArrayList<>();
        // whatever the restore set on the temporary database stays with it, not with the user's
        statements.add("ALTER DATABASE " + identifier(temporary()) + " RESET ALL");
        if (hasPrevious) statements.add("ALTER DATABASE " + identifier(previous()) + " RENAME TO " + identifier(older));
        if (hasCurrent) statements.add("ALTER DATABASE " + identifier(current()) + " RENAME TO " + identifier(previous()));
        statements.add("ALTER DATABASE " + identifier(temporary()) + " RENAME TO " + identifier(current()));
        pause.accept("swap:checked");
        sql.transaction("swap " + temporary() + " in as " + current(), maintenance(), statements, () -> pause.accept("swap:uncommitted"));
        if (hasPrevious) dropIfExists(older);
    }

    /** The previous copy and the current database change places (so undo can itself be undone). */
    public void undo(boolean force) throws StepFailed, InterruptedException {
        if (!exists(previous())) {
            throw new StepFailed(ExitCodes.FAILED, "there is no previous copy of " + current() + " (" + previous()
                    + ") to go back to; nothing was changed");
        }
        // a name of its own for the exchange (never the temporary one: a restore may be filling it right now);
        // it exists only inside the transaction
        String aside = companion("_parity_undo");
        boolean hasCurrent = exists(current());
        if (hasCurrent) requireNoOtherConnections(force);
        if (force && hasCurrent) run("end the other connections to " + current(), maintenance(), terminate(current()));
        List<String> statements = new ArrayList<>();
        if (hasCurrent) statements.add("ALTER DATABASE " + identifier(current()) + " RENAME TO " + identifier(aside));
        statements.add("ALTER DATABASE " + identifier(previous()) + " RENAME TO " + identifier(current()));
        if (hasCurrent) statements.add("ALTER DATABASE " + identifier(aside) + " RENAME TO " + identifier(previous()));
        sql.transaction("put " + previous() + " back as " + current(), maintenance(), statements, () -> { });
    }

    private static String terminate(String name) {
        return "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = " + literal(name)
                + " AND pid <> pg_backend_pid()";
    }

    /** A SQL string literal (standard_conforming_strings, PostgreSQL's default since 9.1). */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** A quoted SQL identifier. */
    static String identifier(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
