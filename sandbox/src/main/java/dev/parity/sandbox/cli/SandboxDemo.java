package dev.parity.sandbox.cli;

import dev.parity.cli.Parity;
import dev.parity.pgcluster.PostgresCluster;
import dev.parity.process.Command;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.Sandbox;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.steps.ExitCodes;
import dev.parity.ui.Io;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * A narrated tour on a sandbox of its own: two apps made from a small bundled example, a deploy,
 * a migration run the wrong way (no restart: stuck dynos) that {@code ps} and {@code doctor} point
 * out, {@code production migrate} fixing it, a deploy whose migration fails and is rolled back, a
 * staging deploy, and {@code development restore production} twice with the second undone. Every
 * command shown is really run, and every sentence about what happened is read back from the
 * sandbox, the database or the command's own output; a step that cannot run says so and why.
 */
@picocli.CommandLine.Command(name = "demo", mixinStandardHelpOptions = true,
        description = "A narrated tour of parity on a local sandbox (a temporary directory; nothing reaches Heroku).")
final class SandboxDemo implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand
    SandboxCommands parent;

    @Option(names = "--keep", description = "Keep the temporary directory (and print where it is).")
    boolean keep;

    private PrintStream out;
    private Map<String, String> env;
    private Path repo;
    private Sandbox sandbox;
    private int failures;
    private int skipped;
    /** Whether a heroku CLI is there (on PATH, the project's, or the pinned one in the cache). */
    private boolean heroku;
    private boolean naiveRan;

    /** What a parity command of the tour printed on stdout, and its exit code. */
    private record Outcome(int code, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        out = parent.io.out();
        Path dir = Files.createTempDirectory("parity-sandbox-demo-");
        try {
            return tour(dir);
        } finally {
            if (sandbox != null) sandbox.close();
            if (keep) out.println("(kept " + dir + ")");
            else deleteTree(dir);
        }
    }

    private int tour(Path dir) throws IOException, InterruptedException {
        Map<String, String> userEnv = parent.io.env();
        PinnedHerokuCli.Found cli = new PinnedHerokuCli(userEnv, out).find(projectHome());
        heroku = cli.available();
        say("A local Heroku (the sandbox) starts in " + dir + ": Platform API, dynos, git, logs, Postgres.");
        sandbox = Sandbox.start(Sandbox.Options.in(dir.resolve("sandbox")).withBootDelay(Duration.ofMillis(300)));
        App production;
        try {
            production = sandbox.createApp("demo-production", true, Map.of("web", 2, "worker", 1));
            sandbox.createApp("demo-staging", true, Map.of("web", 1));
        } catch (RuntimeException e) {
            say("Cannot create the demo apps: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        env = environment(dir, cli.binDir());
        repo = exampleApp(dir.resolve("demo-app"));
        say("Two apps, demo-production (web=2, worker=1) and demo-staging, each with a Postgres database.\n"
                + "The example app in " + repo + " has git remotes production and staging pointing at them,\n"
                + "SQL migrations in db/migrate and `migrate: bin/migrate` in .parity.yml.");

        seed(production);
        step("Deploy to production: a force-free push of main; --no-migrate, as the database is seeded already",
                "production", "deploy", "--no-migrate");
        step("production ps: the official layout; each dyno says when it last booted, and on which release", "production", "ps");

        addMigration("002_add_email_to_users.sql", "Add email to users");
        step("Deploy the new migration's code without migrating (--no-migrate; dynos restart onto the new release)",
                "production", "deploy", "--no-migrate");
        awaitBooted(production);
        naiveMigration(production);
        Outcome ps = step("production ps: parity marks the dynos it knows to be stale", "production", "ps");
        long marked = ps.lines().stream().filter(l -> l.contains(" stale: ")).count();
        if (ps.code() == 0) {
            say(marked > 0 ? "ps marked " + marked + " dyno" + (marked == 1 ? "" : "s") + " stale, each with the reason."
                    : "ps marked no dyno stale.");
            if (naiveRan && marked == 0) failures++;
        }
        Outcome doctor = step("production doctor: every stale dyno with its reason, and the one command that fixes them",
                Set.of(0, 1), "production", "doctor");
        List<String> explained = doctor.lines().stream().filter(l -> l.contains(": booted before the schema changed")).toList();
        if (doctor.code() == 1 && !explained.isEmpty()) {
            String last = explained.get(0);
            String source = last.endsWith(")") ? last.substring(last.lastIndexOf('(') + 1, last.length() - 1) : "its record";
            say("doctor explained " + explained.size() + " stuck dyno" + (explained.size() == 1 ? "" : "s")
                    + ": each booted before the schema changed (known from " + source + ")"
                    + (doctor.output().contains("\nFix: ") ? ", and named the fix." : "."));
        } else if (doctor.code() == 0) {
            say("doctor found no problem" + (naiveRan ? "." : " (the wrong-way migration did not run, so nothing is stuck)."));
        }
        Instant migrating = Instant.now();
        Outcome migrate = step("production migrate: migrate, then restart every dyno only if the migration succeeded", "production", "migrate");
        awaitBooted(production);
        Outcome after = step("production ps again", "production", "ps");
        long stillStale = after.lines().stream().filter(l -> l.contains(" stale: ")).count();
        List<Dyno> dynos = production.dynosSnapshot().stream().filter(d -> !d.type.equals("run")).toList();
        boolean restarted = dynos.stream().allMatch(d -> d.state.equals("up") && d.updatedAt.isAfter(migrating));
        if (migrate.code() == 0 && after.code() == 0) {
            if (stillStale == 0 && restarted) {
                say("Nothing is marked stale now: every dyno (" + names(dynos) + ") restarted after `production migrate` began, and is up on v"
                        + production.currentVersion() + ".");
            } else {
                failures++;
                say(stillStale + " dyno(s) are still marked stale" + (restarted ? "" : ", and not every dyno restarted after the migration") + ".");
            }
        }

        failedDeploy(production);
        step("production releases: the failed deploy's release and the rollback after it", "production", "releases");
        git("reset", "-q", "--hard", "HEAD~1");
        say("The broken migration is dropped from main (git reset --hard HEAD~1) before anything else is deployed.");

        step("staging deploy: force-push this branch to staging", "staging", "deploy");
        restores(production);
        if (failures > 0) {
            say(failures + " step(s) above did not do what they should have; each said why.");
            return ExitCodes.FAILED;
        }
        say(skipped == 0 ? "That is the tour. Run the same commands in your own repository against Heroku."
                : "That is the tour without the " + skipped + " step(s) that need the heroku CLI; install npm"
                        + " (or the heroku CLI) and run it again to see them.");
        return 0;
    }

    /** The mistake parity exists for: migrate in a one-off dyno and restart nothing. */
    private void naiveMigration(App production) throws InterruptedException {
        out.println();
        out.println("== The migration the wrong way: `heroku run bin/migrate`, and no restart afterwards");
        if (!heroku) {
            skip("heroku run bin/migrate");
            return;
        }
        int code = run("heroku", "run", "--exit-code", "--app", "demo-production", "bin/migrate");
        if (code != 0) return;
        Optional<Instant> recorded = migratedAt(production, "002_add_email_to_users");
        if (recorded.isEmpty()) {
            say("(migration 002 is not recorded in production's schema_migrations: it did not run)");
            failures++;
            return;
        }
        naiveRan = true;
        for (Dyno d : production.dynosSnapshot()) {
            if (!d.type.equals("run") && d.updatedAt.isBefore(recorded.get())) {
                out.println("  " + d.name + " booted " + Duration.between(d.updatedAt, recorded.get()).toMillis() / 1000.0
                        + " s before migration 002 was recorded: it may serve with the old schema cached (a \"stuck dyno\").");
            }
        }
    }

    /** A deploy whose transactional migration fails: parity rolls the code back; the schema never changed. */
    private void failedDeploy(App production) throws IOException, InterruptedException {
        int before = production.currentVersion();
        String oldCommit = production.currentRelease().map(r -> r.commit).orElse("");
        addMigration("003_add_audit_log.sql", "Add an audit log");
        String[] args = heroku ? new String[] {"production", "deploy"} : new String[] {"production", "deploy", "--no-backup"};
        if (!heroku) {
            say("(the backup before the migration needs heroku (pg:backups:capture): this deploy runs with --no-backup)");
            skipped++;
        }
        Outcome deploy = step("production deploy with a failing migration (003 inserts a NULL name inside a transaction): "
                + "the deploy must fail and put the old code back", Set.of(0, 1, 2, 3, 4, 5), args);
        awaitBooted(production);
        int now = production.currentVersion();
        String nowCommit = production.currentRelease().map(r -> r.commit).orElse("");
        List<Dyno> dynos = production.dynosSnapshot().stream().filter(d -> !d.type.equals("run")).toList();
        boolean allOld = !dynos.isEmpty() && dynos.stream().allMatch(d -> d.releaseVersion == now && d.state.equals("up"));
        boolean tableLeft = !sandbox.cluster().psql(production.databaseName,
                "SELECT 1 FROM pg_tables WHERE tablename = 'audit_log'").isEmpty();
        boolean recorded = migratedAt(production, "003_add_audit_log").isPresent();
        if (deploy.code() != 0 && now > before + 1 && nowCommit.equals(oldCommit) && allOld && !tableLeft && !recorded) {
            say("As expected, the deploy failed (exit " + deploy.code() + "): migration 003 failed, so parity rolled the code back.\n"
                    + "v" + now + " runs the code v" + before + " ran (" + abbrev(oldCommit) + "), and every dyno ("
                    + names(dynos) + ") is up on v" + now + ".\n"
                    + "The migration's transaction left no trace: no audit_log table, 003 not recorded.");
        } else {
            failures++;
            say("The failed deploy did not end as it should have (exit " + deploy.code() + "; v" + before + " before, v" + now
                    + " now, running " + abbrev(nowCommit) + " where " + abbrev(oldCommit) + " ran before; "
                    + (allOld ? "every dyno on v" + now : "not every dyno up on v" + now)
                    + (tableLeft ? "; audit_log exists" : "") + (recorded ? "; 003 recorded" : "") + ").");
        }
    }

    /** The example's scrub rules, in its .parity.yml. */
    static final String SCRUB = "scrub:\n  users:\n    email: email\n    name: name\n";
    /** Production's users' names and email addresses: none may reach the local database. */
    private static final String ORIGINALS = "email IN ('ada@example.com', 'grace@example.com', 'linus@example.com')"
            + " OR name IN ('Ada', 'Grace', 'Linus')";

    /** Production's data into the local database (scrubbed), twice, and the second one undone. */
    private void restores(App production) throws InterruptedException {
        out.println();
        if (!heroku) {
            out.println("== production backup, development restore production (twice) and development restore --undo");
            skip("production backup; development restore production; development restore --undo");
            skipped += 3;
            return;
        }
        PostgresCluster cluster = sandbox.cluster();
        try {
            cluster.psql(production.databaseName, "UPDATE users SET email = lower(name) || '@example.com' WHERE email IS NULL");
            say("Production's users have email addresses now (ada@example.com, ...); .parity.yml has scrub rules for users.email and users.name.");
        } catch (RuntimeException e) {
            say("(could not give production's users email addresses: " + e.getMessage() + ")");
        }
        step("A fresh production backup", "production", "backup");
        Outcome first = step("development restore production: download, restore into a temporary database, verify, scrub, swap in",
                "development", "restore", "production");
        if (first.code() != 0) return;
        say("The local database now has production's rows: " + users(cluster) + " users.");
        String left = cluster.psql("demo_development", "SELECT count(*) FROM users WHERE " + ORIGINALS);
        say(left.equals("0") ? "None of them has a production name or email address: the scrub step replaced them before the swap ("
                + cluster.psql("demo_development", "SELECT email FROM users ORDER BY id LIMIT 1") + ", ...)."
                : left + " of them still have a production name or email address.");
        if (!left.equals("0")) failures++;
        cluster.psql("demo_development", "INSERT INTO users (name) VALUES ('Local experiment')");
        say("Some local work: a row added to demo_development, now " + users(cluster) + " users.");
        Outcome second = step("development restore production again: the local database is swapped out, not dropped",
                "development", "restore", "production");
        if (second.code() != 0) return;
        say("Back to production's rows: " + users(cluster) + " users.");
        Outcome undo = step("development restore --undo: the previous local database comes back",
                "development", "restore", "--undo");
        if (undo.code() != 0) return;
        String local = cluster.psql("demo_development", "SELECT count(*) FROM users WHERE name = 'Local experiment'");
        say(local.equals("1") ? "The local work is back: " + users(cluster) + " users, 'Local experiment' among them."
                : "(the row added locally is not there after --undo)");
        if (!local.equals("1")) failures++;
    }

    private static String users(PostgresCluster cluster) {
        try {
            return cluster.psql("demo_development", "SELECT count(*) FROM users");
        } catch (RuntimeException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** When {@code version} was recorded as migrated in the app's schema_migrations. */
    private Optional<Instant> migratedAt(App app, String version) {
        try {
            String at = sandbox.cluster().psql(app.databaseName, "SELECT to_char(inserted_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') "
                    + "FROM schema_migrations WHERE version = '" + version + "'");
            return at.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(at));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String names(List<Dyno> dynos) {
        return dynos.stream().map(d -> d.name).sorted().collect(Collectors.joining(", "));
    }

    private static String abbrev(String commit) {
        return commit == null || commit.length() < 7 ? String.valueOf(commit) : commit.substring(0, 7);
    }

    private void skip(String what) {
        skipped++;
        out.println("(skipped: " + what + ": needs the heroku CLI, which is not here; see the first line)");
    }

    /** What every command of the tour sees: the sandbox as HEROKU_HOST, the pinned heroku CLI, the local database. */
    private Map<String, String> environment(Path dir, Optional<Path> herokuBin) throws IOException {
        Map<String, String> e = new HashMap<>(parent.io.env());
        e.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        e.put("HEROKU_HOST", sandbox.baseUrl());
        e.put("HEROKU_DATA_HOST", "127.0.0.1");
        e.put("HEROKU_API_KEY", sandbox.token());
        e.put("HEROKU_SKIP_ANALYTICS", "1");
        e.put("HEROKU_DISABLE_AUTOUPDATE", "1");
        e.putAll(sandbox.extraEnv());
        e.putAll(sandbox.cluster().libpqEnv());
        String path = e.getOrDefault("PATH", "/usr/bin:/bin");
        if (herokuBin.isPresent()) path = herokuBin.get() + ":" + path;
        e.put("PATH", sandbox.cluster().binDir() + ":" + path);
        e.remove("HEROKU_APP");
        return e;
    }

    /** The checkout parity runs from (its jar is dist/target/parity.jar), where tools/ lives; none for an installed release. */
    private static Optional<Path> projectHome() {
        try {
            Path jar = Path.of(SandboxDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("tools/heroku-cli"))) return Optional.of(p);
            }
        } catch (java.net.URISyntaxException | RuntimeException ignored) {
            // an unusual class path: no project
        }
        return Optional.empty();
    }

    private Path exampleApp(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("db/migrate"));
        copy("Procfile", dir.resolve("Procfile"));
        copy("migrate", dir.resolve("bin/migrate"));
        Files.setPosixFilePermissions(dir.resolve("bin/migrate"), PosixFilePermissions.fromString("rwxr-xr-x"));
        copy("001_create_users.sql", dir.resolve("db/migrate/001_create_users.sql"));
        // the restore's scrub step: no production email address or name reaches the laptop
        Files.writeString(dir.resolve(".parity.yml"), "migrate: bin/migrate\nconsole: psql \"$DATABASE_URL\"\n"
                + "development: {database: demo_development}\n" + SCRUB);
        repo = dir;
        git("init", "-q", "-b", "main");
        git("config", "user.email", "demo@example.com");
        git("config", "user.name", "Demo");
        git("add", "-A");
        git("commit", "-q", "-m", "Example app");
        git("remote", "add", "production", sandbox.baseUrl() + "/demo-production.git");
        git("remote", "add", "staging", sandbox.baseUrl() + "/demo-staging.git");
        return dir;
    }

    private void addMigration(String file, String message) throws IOException, InterruptedException {
        copy(file, repo.resolve("db/migrate/" + file));
        git("add", "-A");
        git("commit", "-q", "-m", message);
    }

    private void seed(App production) {
        try {
            String db = production.databaseName;
            // the state bin/migrate leaves after 001, plus some rows
            sandbox.cluster().psql(db, "CREATE TABLE schema_migrations (version text PRIMARY KEY, "
                    + "inserted_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'utc'));"
                    + "INSERT INTO schema_migrations (version) VALUES ('001_create_users');"
                    + "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);"
                    + "INSERT INTO users (name) VALUES ('Ada'), ('Grace'), ('Linus')");
            say("Seeded production's database: migration 001 applied, 3 users.");
        } catch (RuntimeException e) {
            say("(could not seed production's database: " + e.getMessage() + ")");
        }
    }

    private void awaitBooted(App app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (app.dynosSnapshot().stream().anyMatch(d -> d.state.equals("starting")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Runs parity in the example repository, showing the command first; any exit but 0 is a failure of the tour. */
    private Outcome step(String why, String... args) {
        return step(why, Set.of(0), args);
    }

    /** Runs parity in the example repository, showing the command first and keeping what it printed. */
    private Outcome step(String why, Set<Integer> expected, String... args) {
        out.println();
        out.println("== " + why);
        out.println("$ " + String.join(" ", args));
        out.flush();
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new TeeStream(out, copy), true, StandardCharsets.UTF_8);
        Io io = new Io(tee, parent.io.err(), InputStream.nullInputStream(), env, repo, false);
        int code = new Parity(io, new SystemProcessRunner(env, repo)).run(args);
        tee.flush();
        if (!expected.contains(code)) {
            failures++;
            out.println("(this step failed: exit " + code + ", see the message above)");
        }
        return new Outcome(code, copy.toString(StandardCharsets.UTF_8));
    }

    /** Writes to the terminal and to a copy the tour reads its narration from. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
        }
    }

    /** Runs a program other than parity (the wrong-way migration), showing it first. */
    private int run(String... argv) throws InterruptedException {
        out.println("$ " + String.join(" ", argv));
        out.flush();
        try {
            int code = new SystemProcessRunner(env, repo).run(Command.of(argv)).exitCode();
            if (code != 0) {
                failures++;
                out.println("(this step failed: exit " + code + ")");
            }
            return code;
        } catch (RuntimeException e) {
            failures++;
            out.println("(could not run " + argv[0] + ": " + e.getMessage() + ")");
            return 127;
        }
    }

    private void git(String... args) throws InterruptedException {
        String[] argv = new String[args.length + 1];
        argv[0] = "git";
        System.arraycopy(args, 0, argv, 1, args.length);
        Map<String, String> e = env != null ? env : parent.io.env();
        if (new SystemProcessRunner(e, repo).run(Command.of(argv).captured()).exitCode() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed");
        }
    }

    private void say(String text) {
        out.println();
        out.println(text);
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = SandboxDemo.class.getResourceAsStream("/dev/parity/sandbox/demo-app/" + resource)) {
            Files.write(to, in.readAllBytes());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) p.toFile().delete();
        }
    }
}
