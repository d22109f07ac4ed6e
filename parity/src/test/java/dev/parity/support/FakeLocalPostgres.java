package dev.parity.support;

import dev.parity.process.Command;
import dev.parity.process.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers {@code psql} like a local PostgreSQL server, for unit tests of restore plans on a
 * {@link RecordingRunner}: it knows which databases exist (each with an identity that a rename
 * carries along, so a test can tell the old database from the restored one), creates, drops and
 * renames them (renames between {@code BEGIN} and {@code COMMIT} happen together or not at all),
 * lists other sessions, and answers the server version, the catalog query and the table count.
 * A statement it does not know fails the test.
 *
 * <pre>
 * FakeLocalPostgres pg = new FakeLocalPostgres().with("myapp_development");
 * RecordingRunner runner = pg.installOn(new RecordingRunner());
 * </pre>
 */
public final class FakeLocalPostgres {
    private static final Pattern IDENT = Pattern.compile("\"((?:[^\"]|\"\")*)\"");
    private static final Pattern LITERAL = Pattern.compile("'((?:[^']|'')*)'");
    /** Databases every server has: always there to connect to, never listed by {@link #databases()}. */
    private static final List<String> SYSTEM = List.of("postgres", "template1");

    private final Map<String, String> databases = new LinkedHashMap<>();
    private final Map<String, List<String>> sessions = new LinkedHashMap<>();
    private final List<String> events = new ArrayList<>();
    private final Map<String, Long> oids = new LinkedHashMap<>();
    private String versionNum = "150000";
    private String catalog = "";
    private String columns = "";
    private long tables = 3;
    private String dataDirectory = "";
    private int created;

    /** A database that exists from the start; its identity is its name. */
    public FakeLocalPostgres with(String database) {
        databases.put(database, database);
        return this;
    }

    /** Another client on {@code database}, as pg_stat_activity lists it. */
    public FakeLocalPostgres session(String database, int pid, String applicationName) {
        sessions.computeIfAbsent(database, d -> new ArrayList<>())
                .add(pid + "\t" + applicationName + "\t127.0.0.1\tdev");
        return this;
    }

    /** {@code SHOW server_version_num}, e.g. 150004. */
    public FakeLocalPostgres version(String serverVersionNum) {
        this.versionNum = serverVersionNum;
        return this;
    }

    /** What the catalog query answers: lines {@code KIND<TAB>schema<TAB>name}. */
    public FakeLocalPostgres catalog(String lines) {
        this.catalog = lines;
        return this;
    }

    /** What the columns query answers (a restore without scrub rules counts the personal-looking ones): lines {@code schema<TAB>table<TAB>column}. */
    public FakeLocalPostgres columns(String lines) {
        this.columns = lines;
        return this;
    }

    /** Where the server keeps its data, as a superuser is told ({@code ""}: not allowed to know). */
    public FakeLocalPostgres dataDirectory(String dir) {
        this.dataDirectory = dir;
        return this;
    }

    /** How many tables the table-count query finds. */
    public FakeLocalPostgres tables(long n) {
        this.tables = n;
        return this;
    }

    /** Answers every psql command the runner sees from now on (rules added later still win). */
    public RecordingRunner installOn(RecordingRunner runner) {
        return runner.answerWith(c -> c.program().equals("psql"), this::answer);
    }

    /** Database name → identity: the name it was created with, or {@code created#N} for one made by a statement. */
    public Map<String, String> databases() {
        return Map.copyOf(databases);
    }

    /**
     * What happened, in order: "create X", "drop X", "rename X to Y", "terminate X", "catalog X",
     * "set X: name = value" (ALTER DATABASE X SET), "reset X" (ALTER DATABASE X RESET ALL).
     */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** The statements of a psql command ({@code -c} arguments), without the session setting. */
    public static List<String> statements(Command c) {
        List<String> s = new ArrayList<>();
        List<String> argv = c.argv();
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (argv.get(i).equals("-c") && !argv.get(i + 1).startsWith("SET client_min_messages")) s.add(argv.get(i + 1));
        }
        return s;
    }

    /** The database a psql command connects to. */
    public static String database(Command c) {
        int i = c.argv().indexOf("--dbname");
        return i < 0 ? null : c.argv().get(i + 1);
    }

    public synchronized Result answer(Command c) {
        String db = database(c);
        if (db != null && !databases.containsKey(db) && !SYSTEM.contains(db)) return new Result(2, ""); // psql: connection failed
        Map<String, String> working = new LinkedHashMap<>(databases);
        List<String> pending = new ArrayList<>();
        boolean inTransaction = false;
        StringBuilder out = new StringBuilder();
        for (String sql : statements(c)) {
            String s = sql.strip();
            if (s.equals("BEGIN")) {
                inTransaction = true;
            } else if (s.equals("COMMIT")) {
                inTransaction = false;
                commit(working, pending);
            } else if (s.equals("SHOW server_version_num")) {
                out.append(versionNum).append('\n');
            } else if (s.startsWith("SELECT oid FROM pg_database WHERE datname = ")) {
                String identity = working.get(datname(s));
                if (identity != null) out.append(oids.computeIfAbsent(identity, k -> 16384L + oids.size())).append('\n');
            } else if (s.startsWith("SELECT 1 FROM pg_database WHERE datname = ")) {
                if (working.containsKey(datname(s))) out.append("1\n");
            } else if (s.startsWith("SELECT pid,") && s.contains("FROM pg_stat_activity")) {
                for (String line : sessions.getOrDefault(datname(s), List.of())) out.append(line).append('\n');
            } else if (s.startsWith("SELECT count(pg_terminate_backend(pid))")) {
                String target = datname(s);
                List<String> ended = sessions.remove(target);
                pending.add("terminate " + target);
                out.append(ended == null ? 0 : ended.size()).append('\n');
            } else if (s.startsWith("DROP DATABASE IF EXISTS ")) {
                String name = identifiers(s).get(0);
                if (sessions.containsKey(name) && !s.endsWith("WITH (FORCE)")) return fail(c, s, "is being accessed by other users");
                if (working.remove(name) != null) pending.add("drop " + name);
                sessions.remove(name);
            } else if (s.startsWith("CREATE DATABASE ")) {
                String name = identifiers(s).get(0);
                if (working.containsKey(name)) return fail(c, s, "already exists");
                working.put(name, "created#" + (++created));
                pending.add("create " + name);
            } else if (s.startsWith("ALTER DATABASE ") && s.contains(" RENAME TO ")) {
                List<String> names = identifiers(s);
                String from = names.get(0);
                String to = names.get(1);
                if (!working.containsKey(from)) return fail(c, s, "does not exist");
                if (working.containsKey(to)) return fail(c, s, "already exists");
                if (sessions.containsKey(from)) return fail(c, s, "is being accessed by other users");
                working.put(to, working.remove(from));
                pending.add("rename " + from + " to " + to);
            } else if (s.startsWith("ALTER DATABASE ")) {
                String name = identifiers(s).get(0);
                if (!working.containsKey(name)) return fail(c, s, "does not exist");
                if (s.endsWith(" RESET ALL")) pending.add("reset " + name);
                else if (s.contains(" SET ")) pending.add("set " + name + ": " + s.substring(s.indexOf(" SET ") + 5));
            } else if (s.contains("FROM pg_class c JOIN pg_namespace s") && s.contains("pg_proc")) {
                events.add("catalog " + db);
                out.append(catalog);
                if (!catalog.isEmpty() && !catalog.endsWith("\n")) out.append('\n');
            } else if (s.startsWith("SELECT n.nspname, c.relname, a.attname FROM pg_attribute")) {
                out.append(columns);
                if (!columns.isEmpty() && !columns.endsWith("\n")) out.append('\n');
            } else if (s.contains("current_setting('data_directory')")) {
                out.append(dataDirectory).append('\n');
            } else if (s.startsWith("SELECT 'parity-tables:'")) {
                out.append("parity-tables:").append(tables).append('\n');
            } else if (s.startsWith("CREATE SCHEMA IF NOT EXISTS ") || s.startsWith("UPDATE ar_internal_metadata")) {
                events.add(s.substring(0, s.indexOf(' ', 7)).toLowerCase() + " in " + db);
            } else {
                throw new AssertionError("FakeLocalPostgres does not know this statement: " + s + "\nin " + c.display());
            }
            if (!inTransaction) commit(working, pending);
        }
        if (inTransaction) {
            pending.clear(); // psql ended without COMMIT: the server rolls back
        }
        return new Result(0, out.toString());
    }

    private void commit(Map<String, String> working, List<String> pending) {
        databases.clear();
        databases.putAll(working);
        events.addAll(pending);
        pending.clear();
    }

    private Result fail(Command c, String statement, String why) {
        events.add("failed: " + statement + " (" + why + ")");
        return new Result(1, "");
    }

    /** The string compared with {@code datname} in a WHERE clause. */
    private static String datname(String sql) {
        int at = sql.indexOf("datname = ");
        Matcher m = LITERAL.matcher(sql);
        if (at < 0 || !m.find(at)) throw new AssertionError("no datname = '…' in " + sql);
        return m.group(1).replace("''", "'");
    }

    private static List<String> identifiers(String sql) {
        List<String> names = new ArrayList<>();
        Matcher m = IDENT.matcher(sql);
        while (m.find()) names.add(m.group(1).replace("\"\"", "\""));
        if (names.isEmpty()) throw new AssertionError("no quoted identifier in " + sql);
        return names;
    }
}
