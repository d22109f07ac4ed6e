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
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * A narrated tour on a sandbox of its own: two apps made from a small bundled example, a deploy,
 * a migration run the wrong way (no restart: stale dynos), {@code production migrate}, a staging
 * deploy and {@code development restore production}. Every command shown is really run.
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
        say("A local Heroku (the sandbox) starts in " + dir + ": Platform API, dynos, git, logs, Postgres.");
        sandbox = Sandbox.start(Sandbox.Options.in(dir.resolve("sandbox")).withBootDelay(Duration.ofMillis(800)));
        App production;
        try {
            production = sandbox.createApp("demo-production", true, Map.of("web", 2, "worker", 1));
            sandbox.createApp("demo-staging", true, Map.of("web", 1));
        } catch (RuntimeException e) {
            say("Cannot create the demo apps: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        env = environment(dir);
        repo = exampleApp(dir.resolve("demo-app"));
        say("Two apps, demo-production (web=2, worker=1) and demo-staging, each with a Postgres database.\n"
                + "The example app in " + repo + " has git remotes production and staging pointing at them,\n"
                + "SQL migrations in db/migrate and `migrate: bin/migrate` in .parity.yml.");

        step("Deploy to production: a force-free push of main; --no-migrate, as the tour seeds the database itself",
                "production", "deploy", "--no-migrate");
        seed(production);
        step("production ps: the official layout; each dyno says when it last booted", "production", "ps");

        git("commit", "-q", "--allow-empty", "-m", "start 002 rollout");
        addMigration();
        step("Deploy the new migration's code without migrating (--no-migrate; dynos restart onto the new release)",
                "production", "deploy", "--no-migrate");
        awaitBooted(production);
        say("Now the migration the wrong way: `heroku run bin/migrate` with no restart afterwards.");
        run("heroku", "run", "--exit-code", "--app", "demo-production", "bin/migrate");
        Instant migrated = Instant.now();
        for (Dyno d : production.dynosSnapshot()) {
            if (d.updatedAt.isBefore(migrated)) {
                out.println("  " + d.name + " booted " + Duration.between(d.updatedAt, migrated).toSeconds()
                        + " s before the migration finished: it still has the old schema cached (a \"stuck dyno\").");
            }
        }
        step("production migrate: migrate, and restart only because it succeeded", "production", "migrate");
        awaitBooted(production);
        step("Every dyno booted after the migration", "production", "ps");

        step("staging deploy: force-push this branch to staging", "staging", "deploy");
        step("A fresh production backup", "production", "backup");
        step("development restore production: download, restore into a temporary database, verify, swap in", "development", "restore", "production");
        PostgresCluster cluster = sandbox.cluster();
        try {
            say("The local database now has production's rows: "
                    + cluster.psql("demo_development", "SELECT count(*) FROM users") + " users.");
        } catch (RuntimeException e) {
            say("(the local database could not be read: " + e.getMessage() + ")");
        }
        say(failures == 0 ? "That is the tour. Run the same commands in your own repository against Heroku."
                : failures + " step(s) above could not run here; each said why.");
        return failures == 0 ? 0 : 1;
    }

    /** What every command of the tour sees: the sandbox as HEROKU_HOST, the pinned heroku CLI, the local database. */
    private Map<String, String> environment(Path dir) throws IOException {
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
        Path cli = parityHome().resolve("tools/heroku-cli/node_modules/.bin");
        if (Files.isDirectory(cli)) path = cli + ":" + path;
        e.put("PATH", sandbox.cluster().binDir() + ":" + path);
        e.remove("HEROKU_APP");
        return e;
    }

    /** The checkout parity runs from (its jar is dist/target/parity.jar), where tools/ lives. */
    private static Path parityHome() {
        try {
            Path jar = Path.of(SandboxDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("tools/heroku-cli"))) return p;
            }
        } catch (java.net.URISyntaxException | RuntimeException ignored) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }

    private Path exampleApp(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("db/migrate"));
        copy("Procfile", dir.resolve("Procfile"));
        copy("migrate", dir.resolve("bin/migrate"));
        Files.setPosixFilePermissions(dir.resolve("bin/migrate"), PosixFilePermissions.fromString("rwxr-xr-x"));
        copy("001_create_users.sql", dir.resolve("db/migrate/001_create_users.sql"));
        Files.writeString(dir.resolve(".parity.yml"), "migrate: bin/migrate\nconsole: psql \"$DATABASE_URL\"\n"
                + "development: {database: demo_development}\n");
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

    private void addMigration() throws IOException, InterruptedException {
        copy("002_add_email_to_users.sql", repo.resolve("db/migrate/002_add_email_to_users.sql"));
        git("add", "-A");
        git("commit", "-q", "-m", "Add email to users");
    }

    private void seed(App production) {
        try {
            String db = production.databaseName;
            // the state bin/migrate leaves after 001, plus some rows
            sandbox.cluster().psql(db, "CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());"
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

    /** Runs parity in the example repository, showing the command first. */
    private void step(String why, String... args) {
        out.println();
        out.println("== " + why);
        out.println("$ " + String.join(" ", args));
        Io io = new Io(out, parent.io.err(), InputStream.nullInputStream(), env, repo, false);
        int code = new Parity(io, new SystemProcessRunner(env, repo)).run(args);
        if (code != 0) {
            failures++;
            out.println("(this step could not run here: exit " + code + ", see the message above)");
        }
    }

    /** Runs a program other than parity (the wrong-way migration), showing it first. */
    private void run(String... argv) throws InterruptedException {
        out.println("$ " + String.join(" ", argv));
        try {
            int code = new SystemProcessRunner(env, repo).run(Command.of(argv)).exitCode();
            if (code != 0) {
                failures++;
                out.println("(exit " + code + ")");
            }
        } catch (RuntimeException e) {
            failures++;
            out.println("(could not run " + argv[0] + ": " + e.getMessage() + ")");
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
