package dev.parity.db;

import dev.parity.steps.StepFailed;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link LocalSql} over pgjdbc, reaching the server the way libpq would: the project's host, port
 * and user, else PGHOST, PGPORT, PGUSER, else the local socket directory, 5432 and the login name;
 * a host starting with '/' is a socket directory. The password comes from the project, PGPASSWORD or
 * ~/.pgpass (pgjdbc reads it), and is never part of a message.
 */
public final class JdbcLocalSql implements LocalSql {
    /** Where libpq looks for the server's socket when no host is named (Debian's build, then upstream's). */
    private static final List<String> SOCKET_DIRECTORIES = List.of("/var/run/postgresql", "/tmp");
    private static final int LOCK_SPACE = 0x70617279; // "pary": parity's advisory locks, apart from the application's

    private final DevDatabase db;
    private final Map<String, String> env;
    /** Connections kept open: only those holding a lock. Others close after each use, so they never block a rename or a drop. */
    private final Map<String, Connection> connections = new LinkedHashMap<>();
    /** Every connection open now, kept or in use: {@link #close()} ends them all, also one inside a transaction. */
    private final java.util.Set<Connection> open = new java.util.HashSet<>();

    public JdbcLocalSql(DevDatabase db, Map<String, String> env) {
        this.db = db;
        this.env = env;
    }

    /** The host as libpq would choose it: a host name, an address, or a socket directory. */
    String host() {
        Optional<String> named = db.host().filter(h -> !h.isBlank()).or(() -> Optional.ofNullable(env.get("PGHOST")).filter(h -> !h.isBlank()));
        if (named.isPresent()) return named.get();
        for (String dir : SOCKET_DIRECTORIES) {
            if (Files.exists(Path.of(dir, ".s.PGSQL." + port()))) return dir;
        }
        return SOCKET_DIRECTORIES.get(0);
    }

    String port() {
        return db.port().filter(p -> !p.isBlank()).or(() -> Optional.ofNullable(env.get("PGPORT")).filter(p -> !p.isBlank())).orElse("5432");
    }

    String user() {
        return db.username().filter(u -> !u.isBlank()).or(() -> Optional.ofNullable(env.get("PGUSER")).filter(u -> !u.isBlank()))
                .orElse(System.getProperty("user.name"));
    }

    /** Where the server is, for messages: "the socket in /var/run/postgresql (port 5432)" or "localhost:5432". */
    public String where() {
        String host = host();
        return host.startsWith("/") ? "the socket in " + host + " (port " + port() + ")" : host + ":" + port();
    }

    private synchronized Connection connection(String database) throws StepFailed {
        Connection c = connections.get(database);
        try {
            if (c != null && !c.isClosed()) return c;
        } catch (SQLException e) {
            // reconnect below
        }
        String host = host();
        Properties props = new Properties();
        props.setProperty("user", user());
        db.password().or(() -> Optional.ofNullable(env.get("PGPASSWORD"))).ifPresent(p -> props.setProperty("password", p));
        props.setProperty("ApplicationName", "parity (pid " + ProcessHandle.current().pid() + ")");
        props.setProperty("connectTimeout", "10");
        props.setProperty("loginTimeout", "10");
        String urlHost;
        if (host.startsWith("/")) {
            props.setProperty("socketFactory", UnixSocketFactory.class.getName());
            props.setProperty("socketFactoryArg", Path.of(host, ".s.PGSQL." + port()).toString());
            props.setProperty("sslmode", "disable");
            props.setProperty("gssEncMode", "disable");
            urlHost = "localhost";
        } else {
            urlHost = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            String sslmode = env.get("PGSSLMODE");
            if (sslmode != null && !sslmode.isBlank()) props.setProperty("sslmode", sslmode);
        }
        String url = "jdbc:postgresql://" + urlHost + ":" + port() + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        try {
            c = DriverManager.getConnection(url, props);
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new StepFailed(dev.parity.steps.ExitCodes.FAILED, "cannot connect to the local PostgreSQL server at " + where() + " (database " + database
                    + ", user " + user() + "): " + message(e));
        }
        open.add(c);
        return c;
    }

    /** Gives back a connection that holds no lock. */
    private synchronized void release(String database, Connection c) {
        if (connections.get(database) == c) return;
        open.remove(c);
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken
        }
    }

    @Override
    public String run(String doing, String database, String... statements) throws StepFailed {
        Connection c = connection(database);
        StringBuilder rows = new StringBuilder();
        synchronized (c) {
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    boolean hasRows = s.execute(sql);
                    while (true) {
                        if (hasRows) {
                            try (ResultSet rs = s.getResultSet()) {
                                appendRows(rs, rows);
                            }
                        } else if (s.getUpdateCount() == -1) {
                            break;
                        }
                        hasRows = s.getMoreResults();
                    }
                }
            } catch (SQLException e) {
                throw new StepFailed(dev.parity.steps.ExitCodes.FAILED, "could not " + doing + ": " + message(e));
            } finally {
                release(database, c);
            }
        }
        return rows.toString();
    }

    private static void appendRows(ResultSet rs, StringBuilder rows) throws SQLException {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
                if (i > 1) rows.append('\t');
                String v = rs.getString(i);
                if (v != null) rows.append(v);
            }
            rows.append('\n');
        }
    }

    @Override
    public void transaction(String doing, String database, List<String> statements, Runnable beforeCommit) throws StepFailed {
        Connection c = connection(database);
        synchronized (c) {
            try {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (String sql : statements) s.execute(sql);
                } catch (SQLException e) {
                    rollback(c);
                    throw new StepFailed(dev.parity.steps.ExitCodes.FAILED, "could not " + doing + ": " + message(e) + " (rolled back: nothing changed)");
                }
                beforeCommit.run();
                try {
                    c.commit();
                } catch (SQLException e) {
                    // the COMMIT may have reached the server before the connection broke
                    throw new CommitUnknown("could not " + doing + ": the connection broke during COMMIT (" + message(e) + ")");
                }
            } catch (SQLException e) {
                throw new StepFailed(dev.parity.steps.ExitCodes.FAILED, "could not " + doing + ": " + message(e));
            } finally {
                try {
                    if (!c.isClosed()) c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is gone; the next statement reconnects
                }
                release(database, c);
            }
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // a broken connection rolls back on the server by itself
        }
    }

    @Override
    public Optional<String> tryLock(String database, String key) throws StepFailed {
        Connection c = connection(database);
        synchronized (this) {
            connections.put(database, c); // the lock lives as long as this connection
        }
        synchronized (c) {
            try (PreparedStatement take = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
                take.setInt(1, LOCK_SPACE);
                take.setString(2, key);
                try (ResultSet rs = take.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) return Optional.empty();
                }
                try (PreparedStatement who = c.prepareStatement("SELECT a.pid, coalesce(nullif(a.application_name, ''), 'unnamed client'),"
                        + " coalesce(host(a.client_addr), 'local socket'), to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ')"
                        + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
                        + " AND l.classid = ? AND l.objid = hashtext(?)::oid AND l.objsubid = 2")) {
                    who.setLong(1, LOCK_SPACE);
                    who.setString(2, key);
                    try (ResultSet rs = who.executeQuery()) {
                        if (rs.next()) {
                            return Optional.of(rs.getString(2) + " (server pid " + rs.getInt(1) + ", " + rs.getString(3)
                                    + ", since " + rs.getString(4) + ")");
                        }
                    }
                }
                return Optional.of("another session (it ended just now: try again)");
            } catch (SQLException e) {
                throw new StepFailed(dev.parity.steps.ExitCodes.FAILED, "could not take the restore lock: " + message(e));
            }
        }
    }

    @Override
    public synchronized void close() {
        for (Connection c : open) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
        }
        connections.clear();
        open.clear();
    }

    /** The server's or the driver's one-line message, without a stack trace. */
    static String message(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.strip().replace('\n', ' ');
    }
}
