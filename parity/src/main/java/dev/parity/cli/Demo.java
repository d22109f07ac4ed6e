package dev.parity.cli;

import dev.parity.process.Command;
import dev.parity.process.ProcessRunner;
import dev.parity.process.SystemProcessRunner;
import dev.parity.ui.Io;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * A guided look at parity's main jobs on a generated example repository: a small Rails app whose
 * git remotes point at two Heroku apps. Everything runs as a dry run; nothing reaches Heroku.
 */
@picocli.CommandLine.Command(name = "demo", header = "What migrate and restore do, step by step, on an example (dry runs).", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Show, on a generated example repository, what `production migrate` and "
                + "`development restore production` do, step by step (dry runs: nothing reaches Heroku).")
final class Demo implements Callable<Integer>, ToolCommand {
    @Option(names = "--keep", description = "Keep the example repository and print where it is.")
    boolean keep;

    private Workspace workspace;

    @Override
    public void bind(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Io io = workspace.io();
        PrintStream out = io.out();
        Path dir = Files.createTempDirectory("parity-demo-");
        try {
            ProcessRunner runner = new SystemProcessRunner(io.env(), dir);
            writeExampleApp(dir);
            git(runner, "init", "-q", "-b", "main");
            git(runner, "remote", "add", "production", "https://git.heroku.com/demo-production.git");
            git(runner, "remote", "add", "staging", "git@heroku.com:demo-staging.git");

            out.println("parity demo: an example Rails app in " + dir);
            out.println("  git remotes: production -> demo-production, staging -> demo-staging");
            out.println("  config/database.yml names the development database; .parity.yml only holds scrub rules"
                    + " (users.email, users.name), so the restore scrubs them before the swap.");
            Io demoIo = new Io(out, io.err(), System.in, io.env(), dir, false);
            Parity parity = new Parity(demoIo, runner);
            show(out, parity, "The environments this repository knows", "parity", "environments");
            show(out, parity, "Migrate production: the migration runs with --exit-code, and the restart only runs if it succeeded",
                    "production", "migrate", "--dry-run");
            show(out, parity, "Copy production's data to this machine: the backup is downloaded and checked, restored into a"
                    + " temporary database and scrubbed there before it replaces the local one", "development", "restore", "production", "--dry-run");
            out.println();
            out.println("Run them for real in your own repository: production migrate, development restore production.");
            if (keep) out.println("The example repository stays in " + dir);
            return ExitCodes.OK;
        } finally {
            if (!keep) deleteTree(dir);
        }
    }

    private static void show(PrintStream out, Parity parity, String what, String... args) {
        out.println();
        out.println("== " + what);
        out.println("$ " + String.join(" ", args));
        String[] parityArgs = args[0].equals("parity") ? List.of(args).subList(1, args.length).toArray(String[]::new) : args;
        int code = parity.run(parityArgs);
        if (code != 0) throw new IllegalStateException("demo step failed with status " + code);
    }

    private static void git(ProcessRunner runner, String... args) throws InterruptedException {
        String[] argv = new String[args.length + 1];
        argv[0] = "git";
        System.arraycopy(args, 0, argv, 1, args.length);
        if (runner.run(Command.of(argv).captured()).exitCode() != 0) {
            throw new UsageError("the demo needs git: `git " + String.join(" ", args) + "` failed", ExitCodes.FAILED);
        }
    }

    private static void writeExampleApp(Path dir) throws IOException {
        write(dir, "Gemfile", "source \"https://rubygems.org\"\ngem \"rails\", \"~> 7.2\"\ngem \"pg\"\n");
        write(dir, "Procfile", "web: bundle exec puma -C config/puma.rb\nworker: bundle exec sidekiq\n");
        write(dir, "config/database.yml", """
                default: &default
                  adapter: postgresql
                  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>
                development:
                  <<: *default
                  database: demo_development
                production:
                  <<: *default
                  url: <%= ENV["DATABASE_URL"] %>
                """);
        // the restore's scrub step: no production email address or name reaches the laptop
        write(dir, ".parity.yml", "scrub:\n  users:\n    email: email\n    name: name\n");
        write(dir, "db/migrate/20261125000000_add_email_to_users.rb",
                "class AddEmailToUsers < ActiveRecord::Migration[7.2]\n  def change\n    add_column :users, :email, :string\n  end\nend\n");
    }

    private static void write(Path dir, String file, String text) throws IOException {
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
