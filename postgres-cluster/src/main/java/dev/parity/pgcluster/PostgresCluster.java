package dev.parity.pgcluster;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private, throwaway PostgreSQL server started from the system's own binaries, for tests and
 * for the sandbox that stands in for Heroku Postgres. It listens on 127.0.0.1 on a free port with
 * trust authentication for the superuser {@code postgres}; {@link #libpqEnv()} points psql,
 * pg_dump, pg_restore and friends at it. {@link #close()} (or, failing that, a shutdown hook)
 * stops it and deletes everything it wrote.
 *
 * <p>Every program is started through {@link ProgramRunner}, argv lists only, never a shell.
 */
public final class PostgresCluster implements AutoCloseable {

    public static final String NOT_FOUND_MESSAGE =
            "PostgreSQL server binaries (initdb, pg_ctl) not found; install them: "
                    + "apt install postgresql (Debian/Ubuntu) or brew install postgresql (macOS)";

    /** Names the directory holding initdb and pg_ctl; wins over PATH and the Debian layout. */
    public static final String BIN_ENV = "PARITY_PG_BIN";

    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    /** Who runs the server when we are root: initdb and postgres refuse to run as root. */
    private static final String SERVER_OS_USER = "nobody";
    private static final int MAX_SOCKET_PATH = 100;
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 30;

    private final Path binDir;
    private final Path root;
    private final Path dataDir;
    private final Path logFile;
    private final Path socketDir;
    private final boolean socketDirOutsideRoot;
    /** Prefix for programs that must not run as root ({@code runuser -u nobody --}), else empty. */
    private final List<String> asServerUser;
    private final ProgramRunner runner;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong psqlCalls = new AtomicLong();
    private volatile int port;
    private volatile int version;

    /**
     * Creates a fresh subdirectory of {@code baseDir}, initialises a cluster in it and starts the
     * server. Throws {@link PostgresClusterException} if the binaries are missing or the server
     * does not come up (with the end of its log).
     */
    public static PostgresCluster start(Path baseDir) {
        return start(baseDir, System.getenv(), Path.of("/usr/lib/postgresql"));
    }

    /** {@link #start(Path)} with the environment and Debian install root given, for tests. */
    static PostgresCluster start(Path baseDir, Map<String, String> env, Path debianRoot) {
        Path binDir = findBinDir(env, debianRoot)
                .orElseThrow(() -> new PostgresClusterException(NOT_FOUND_MESSAGE));
        PostgresCluster cluster;
        try {
            cluster = new PostgresCluster(binDir, baseDir, env);
        } catch (IOException e) {
            throw new PostgresClusterException("cannot prepare a PostgreSQL directory in " + baseDir + ": " + e, e);
        }
        try {
            cluster.boot();
            return cluster;
        } catch (RuntimeException | Error e) {
            try {
                cluster.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private PostgresCluster(Path binDir, Path baseDir, Map<String, String> env) throws IOException {
        this.binDir = binDir;
        Files.createDirectories(baseDir);
        Path dir = Files.createTempDirectory(baseDir, "pg-");
        Path sock = null;
        try {
            boolean asRoot = ownedByRoot(dir);
            if (asRoot && !reachableByServerUser(baseDir)) {
                // e.g. under root's 0700 home: we will not open that up, so use the temp dir instead.
                Files.delete(dir);
                Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
                if (!reachableByServerUser(tmp)) {
                    throw new PostgresClusterException("the PostgreSQL server runs as " + SERVER_OS_USER
                            + " (it refuses root) but can reach neither " + baseDir + " nor " + tmp);
                }
                dir = Files.createTempDirectory(tmp, "parity-pg-");
            }
            // Unix socket paths are limited to ~107 bytes: a deep directory gets its socket under /tmp.
            boolean tooDeep = dir.resolve("sock/.s.PGSQL.65535").toString().length() > MAX_SOCKET_PATH;
            sock = tooDeep ? Files.createTempDirectory(Path.of("/tmp"), "parity-pg-")
                           : Files.createDirectory(dir.resolve("sock"));
            if (asRoot) {
                // initdb and postgres refuse to run as root: they run as nobody, which must own
                // the directories they write.
                UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(SERVER_OS_USER);
                Files.setOwner(dir, nobody);
                Files.setOwner(sock, nobody);
            }
            this.asServerUser = asRoot ? List.of(findRunuser(env), "-u", SERVER_OS_USER, "--") : List.of();
            this.socketDirOutsideRoot = tooDeep;
        } catch (IOException | RuntimeException e) {
            try {
                deleteTree(dir);
                if (sock != null) deleteTree(sock);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        this.root = dir;
        this.socketDir = sock;
        this.dataDir = root.resolve("data");
        this.logFile = root.resolve("server.log");

        // Our own PG* variables (PGDATA, PGPORT, PGDATABASE, ...) must not steer our programs.
        Map<String, String> base = new LinkedHashMap<>(env);
        base.keySet().removeIf(k -> k.startsWith("PG"));
        // The working directory is one the server user can enter (postgres checks its cwd).
        this.runner = new ProgramRunner(base, root);
        this.shutdownHook = new Thread(this::closeFromHook, "parity-postgres-stop");
    }

    private void boot() {
        // Stops the server even if the JVM exits without close(); registered before it exists.
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        // -N: no fsync of the new files; this cluster is thrown away, durability buys nothing.
        ProgramRunner.Outcome init = run(asServer(binDir.resolve("initdb").toString(), "-D", dataDir.toString(),
                "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C", "-N"), Map.of());
        if (!init.ok()) {
            throw new PostgresClusterException("initdb failed (exit " + init.exitCode() + ") in " + dataDir
                    + "; its errors are on stderr above\n" + init.stdout().strip());
        }
        version = readMajorVersion();
        writeSettings();

        for (int attempt = 1; ; attempt++) {
            port = freePort();
            // -w -t 60: return only once the server accepts connections. -l sends the server's
            // output to its log, which also lets pg_ctl's (captured) stdout close.
            ProgramRunner.Outcome started = run(asServer(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                    "-l", logFile.toString(), "-w", "-t", "60", "-o", "-p " + port, "start"), Map.of());
            if (started.ok()) return;
            String log = logTail(LOG_TAIL_LINES);
            // Another process may have taken the port between our probe and the server's bind.
            if (attempt < START_ATTEMPTS && log.contains("could not bind")) continue;
            throw new PostgresClusterException("PostgreSQL did not start (pg_ctl exit " + started.exitCode()
                    + ", port " + port + "); end of " + logFile + ":\n" + log);
        }
    }

    /** Settings appended to postgresql.conf; later lines override initdb's defaults. */
    private void writeSettings() {
        String settings = String.join("\n",
                "",
                "# parity: a private, throwaway server",
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = " + confString(socketDir.toString()),
                "# Nothing here must survive a crash: skip the work that makes writes durable.",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "max_connections = 50",
                "shared_buffers = 16MB",
                "# %a (application_name) lets psql() find its own errors in the log.",
                "log_line_prefix = '%m [%p] %a '",
                "");
        try {
            Files.writeString(dataDir.resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new PostgresClusterException("cannot write " + dataDir.resolve("postgresql.conf") + ": " + e, e);
        }
    }

    private int readMajorVersion() {
        try {
            String v = Files.readString(dataDir.resolve("PG_VERSION")).strip(); // "15", or "9.6"
            return Integer.parseInt(v.split("\\.")[0]);
        } catch (IOException | NumberFormatException e) {
            throw new PostgresClusterException("cannot read the version of " + dataDir + ": " + e, e);
        }
    }

    // ---- accessors --------------------------------------------------------------------------

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** The superuser; authentication is {@code trust}, so no password. */
    public String user() {
        return SUPERUSER;
    }

    /** Where initdb and pg_ctl were found (symlinks resolved). */
    public Path binDir() {
        return binDir;
    }

    /** The fresh directory holding the data, log and (usually) socket; gone after {@link #close()}. */
    public Path directory() {
        return root;
    }

    public Path socketDir() {
        return socketDir;
    }

    /** The server's major version, e.g. 15. */
    public int version() {
        return version;
    }

    /** PGHOST, PGPORT and PGUSER: enough for libpq programs, run as any OS user, to reach the server. */
    public Map<String, String> libpqEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", HOST);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGUSER", SUPERUSER);
        return env;
    }

    /** A connection URL in Heroku's DATABASE_URL form, e.g. {@code postgres://postgres@127.0.0.1:5433/app}. */
    public String databaseUrl(String database) {
        return "postgres://" + SUPERUSER + "@" + HOST + ":" + port + "/" + database;
    }

    /**
     * The client program {@code name} (psql, pg_dump, pg_restore, createdb, ...) of the server's
     * own version: its path in {@link #binDir()} if it is there, else the bare name for PATH lookup.
     */
    public String program(String name) {
        Path p = binDir.resolve(name);
        return Files.isExecutable(p) ? p.toString() : name;
    }

    // ---- helpers ----------------------------------------------------------------------------

    public void createDatabase(String name) {
        psql("postgres", "CREATE DATABASE " + identifier(name));
    }

    public boolean databaseExists(String name) {
        return psql("postgres", "SELECT 1 FROM pg_database WHERE datname = " + literal(name)).equals("1");
    }

    /**
     * Runs {@code sql} in {@code database} with psql (unaligned, tuples only, quiet, stop on the
     * first error) and returns its trimmed output, e.g. {@code "1|a\n2|b"} for two rows. On failure
     * psql's own message is on stderr; the exception carries the server's log lines for the call.
     */
    public String psql(String database, String sql) {
        requireOpen();
        // A per-call application_name tags this call's lines in the server log.
        String tag = "parity-psql-" + psqlCalls.incrementAndGet();
        long logOffset = logSize();
        Map<String, String> env = new LinkedHashMap<>(libpqEnv());
        env.put("PGAPPNAME", tag);
        ProgramRunner.Outcome r = run(List.of(program("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-d", "dbname=" + conninfoValue(database), "-c", sql), env);
        if (r.ok()) return r.stdout().strip();
        throw new PostgresClusterException("psql failed (exit " + r.exitCode() + ") in database " + database
                + " running: " + sql + "\n" + serverErrors(logOffset, tag));
    }

    // ---- stopping ---------------------------------------------------------------------------

    /** Stops the server immediately and deletes its directory. Safe to call more than once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException alreadyExitingOrNeverAdded) {
            // the JVM is shutting down (the hook may be running us), or boot() never registered it
        }
        shutdown();
    }

    private void closeFromHook() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            shutdown();
        } catch (RuntimeException ignored) {
            // nothing left to report to
        }
    }

    private void shutdown() {
        // A pending interrupt would make the runner give up at once and leave the server running.
        boolean interrupted = Thread.interrupted();
        try {
            stopServer();
            deleteTree(root);
            if (socketDirOutsideRoot) deleteTree(socketDir);
        } catch (IOException e) {
            throw new PostgresClusterException("cannot delete " + root + ": " + e, e);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void stopServer() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return; // never started, or already gone
        // -m immediate: no checkpoint, nothing is kept anyway.
        try {
            run(asServer(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                    "-m", "immediate", "-w", "-t", "30", "stop"), Map.of());
        } catch (RuntimeException e) {
            // fall through to the signal below
        }
        if (!Files.exists(pidFile)) return;
        // pg_ctl could not stop it: kill the postmaster by the pid it recorded.
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (IOException | RuntimeException ignored) {
            // the file vanished (server stopped after all) or is unreadable
        }
    }

    // ---- binaries ---------------------------------------------------------------------------

    /**
     * Where initdb and pg_ctl live: {@code PARITY_PG_BIN}, else the PATH (symlinks resolved, so
     * the matching psql/pg_dump are found beside them), else the highest
     * {@code <debianRoot>/<major>/bin} (Debian/Ubuntu do not put initdb on PATH).
     */
    static Optional<Path> findBinDir(Map<String, String> env, Path debianRoot) {
        String override = env.get(BIN_ENV);
        if (override != null && !override.isBlank()) {
            Path dir = Path.of(override);
            if (!hasServerBinaries(dir)) {
                throw new PostgresClusterException(BIN_ENV + "=" + override + " does not contain initdb and pg_ctl; unset it, or install the server: apt install postgresql (Debian/Ubuntu) or brew install postgresql (macOS)");
            }
            return Optional.of(dir);
        }
        for (String entry : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            Path initdb = Path.of(entry, "initdb");
            if (!Files.isExecutable(initdb) || Files.isDirectory(initdb)) continue;
            try {
                Path real = initdb.toRealPath().getParent();
                if (hasServerBinaries(real)) return Optional.of(real);
            } catch (IOException ignored) {
                // a dangling link: try the directory itself
            }
            if (hasServerBinaries(Path.of(entry))) return Optional.of(Path.of(entry));
        }
        if (!Files.isDirectory(debianRoot)) return Optional.empty();
        try (Stream<Path> versions = Files.list(debianRoot)) {
            return versions
                    .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)*"))
                    .filter(v -> hasServerBinaries(v.resolve("bin")))
                    .max(Comparator.comparing(v -> v.getFileName().toString(), PostgresCluster::compareVersions))
                    .map(v -> v.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasServerBinaries(Path dir) {
        return Stream.of("initdb", "pg_ctl").map(dir::resolve)
                .allMatch(p -> Files.isExecutable(p) && !Files.isDirectory(p));
    }

    /** Numeric, so that 10 sorts above 9.6. */
    private static int compareVersions(String a, String b) {
        int[] x = Arrays.stream(a.split("\\.")).mapToInt(Integer::parseInt).toArray();
        int[] y = Arrays.stream(b.split("\\.")).mapToInt(Integer::parseInt).toArray();
        return Arrays.compare(x, y);
    }

    private static String findRunuser(Map<String, String> env) {
        List<String> dirs = new ArrayList<>(Arrays.asList(env.getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, "runuser");
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return p.toString();
        }
        throw new PostgresClusterException("running as root, but initdb refuses to run as root and runuser "
                + "(util-linux), needed to run it as " + SERVER_OS_USER + ", was not found; run as a normal user");
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private List<String> asServer(String... argv) {
        List<String> all = new ArrayList<>(asServerUser);
        all.addAll(List.of(argv));
        return all;
    }

    private ProgramRunner.Outcome run(List<String> argv, Map<String, String> env) {
        try {
            return runner.run(argv, env);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresClusterException("interrupted while running " + String.join(" ", argv), e);
        }
    }

    private void requireOpen() {
        if (closed.get()) throw new IllegalStateException("PostgreSQL cluster in " + root + " is closed");
    }

    /** Whether we are root: a directory we just created is owned by our effective uid. */
    private static boolean ownedByRoot(Path fresh) {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(fresh, "unix:uid"));
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * Whether the server user can pass through every directory down to {@code dir}. JUnit's
     * {@code @TempDir}, for one, is 0700: directories of ours inside the system temp directory
     * (and {@code dir} itself) get the search bit, which lets others enter but not list them.
     * Anything else (say, root's home) we leave alone.
     */
    private static boolean reachableByServerUser(Path dir) throws IOException {
        Path real = dir.toRealPath();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
        List<Path> toOpen = new ArrayList<>();
        for (Path p = real; p != null; p = p.getParent()) {
            if (Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) continue;
            boolean ours = Integer.valueOf(0).equals(Files.getAttribute(p, "unix:uid")); // we are root
            if (!ours || !(p.equals(real) || (p.startsWith(tmp) && !p.equals(tmp)))) return false;
            toOpen.add(p);
        }
        for (Path p : toOpen) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(p, perms);
        }
        return true;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new PostgresClusterException("cannot find a free TCP port on " + HOST + ": " + e, e);
        }
    }

    private long logSize() {
        try {
            return Files.size(logFile);
        } catch (IOException e) {
            return 0;
        }
    }

    private List<String> logLinesFrom(long offset) {
        try {
            byte[] all = Files.readAllBytes(logFile);
            int from = (int) Math.min(offset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of("(cannot read " + logFile + ": " + e + ")");
        }
    }

    private String logTail(int n) {
        List<String> lines = logLinesFrom(0);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** The server's log lines for one psql call, or, if none carry its tag, all lines since. */
    private String serverErrors(long offset, String tag) {
        List<String> lines = logLinesFrom(offset);
        List<String> mine = lines.stream().filter(l -> l.contains(" " + tag + " ")).collect(Collectors.toList());
        List<String> shown = mine.isEmpty() ? lines : mine;
        shown = shown.subList(Math.max(0, shown.size() - LOG_TAIL_LINES), shown.size());
        return shown.isEmpty() ? "(psql's message is on stderr; the server logged nothing)" : String.join("\n", shown);
    }

    private static String confString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** A value in a libpq connection string, so that a name with '=' is not taken for one. */
    private static String conninfoValue(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) throw e;
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public String toString() {
        return "PostgreSQL " + version + " at " + HOST + ":" + port + " (" + root + ")";
    }
}
