package dev.parity.sandbox.cli;

import dev.parity.process.SystemProcessRunner;
import dev.parity.steps.ExitCodes;
import dev.parity.ui.Io;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The sandbox's command line. Each subcommand is small; the server itself is {@link SandboxServer}. */
@Command(name = "sandbox", mixinStandardHelpOptions = true, versionProvider = dev.parity.cli.Version.class,
        description = {"A local Heroku for tests, demos and rehearsals: the official heroku CLI and parity work against it.",
                "eval \"$(parity sandbox start)\" starts one and sets HEROKU_HOST, HEROKU_API_KEY, … in your shell."},
        subcommands = {SandboxCommands.Start.class, SandboxCommands.Stop.class, SandboxCommands.Status.class,
                SandboxCommands.Create.class, SandboxDemo.class})
final class SandboxCommands implements Callable<Integer> {
    final Io io;

    SandboxCommands(Io io) {
        this.io = io;
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the usage, made from the registered subcommands, on stderr. */
    @Override
    public Integer call() {
        io.err().print(spec.commandLine().getUsageMessage());
        return ExitCodes.USAGE;
    }

    /** Options every subcommand shares. */
    static class DirOption {
        @Option(names = "--dir", paramLabel = "DIR",
                description = "The sandbox's directory (default: $PARITY_SANDBOX, which `start` exports, else ~/.cache/parity/sandbox).")
        Path dir;

        /** --dir, else the PARITY_SANDBOX the env file of `start` exports, else the default directory. */
        SandboxDir resolve(Io io) {
            if (dir != null) return new SandboxDir(dir.toAbsolutePath());
            String exported = io.env("PARITY_SANDBOX");
            if (exported != null) return new SandboxDir(io.cwd().resolve(exported).toAbsolutePath().normalize());
            return SandboxDir.defaultFor(io.env());
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a sandbox in the background; print (and write to DIR/env) the export lines a shell needs.")
    static final class Start implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        SandboxCommands parent;
        @picocli.CommandLine.Mixin
        DirOption dirOption = new DirOption();
        @Option(names = "--port", description = "Port on 127.0.0.1 (default: a free one).")
        int port;
        @Option(names = "--boot-delay", paramLabel = "MS", description = "How long a dyno takes to boot (default 1000 ms).")
        long bootDelayMs = 1000;
        @Option(names = "--download-rate", paramLabel = "RATE",
                description = "Serve backup downloads at most this fast, all downloads together, e.g. 50MB/s (what a laptop sees from cloud storage), 2MiB/s; default unlimited.")
        String downloadRate = "unlimited";

        @Override
        public Integer call() throws IOException, InterruptedException {
            Io io = parent.io;
            long rate;
            try {
                rate = dev.parity.sandbox.data.DownloadRate.parse(downloadRate);
            } catch (IllegalArgumentException e) {
                io.err().println("parity: --download-rate: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            SandboxDir dir = dirOption.resolve(io);
            if (dir.process().isPresent()) {
                io.err().println("parity: a sandbox is already running in " + dir.dir());
                io.out().print(Files.readString(dir.envFile()));
                return 0;
            }
            Files.createDirectories(dir.dir());
            Files.deleteIfExists(dir.portFile());
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> argv = List.of(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    SandboxServer.class.getName(), dir.dir().toString(), String.valueOf(port), String.valueOf(bootDelayMs),
                    String.valueOf(rate));
            Process server = new SystemProcessRunner(io.env(), io.cwd())
                    .startInBackground(dev.parity.process.Command.of(argv), dir.logFile());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(dir.portFile())) {
                if (!server.isAlive()) {
                    io.err().println("parity: the sandbox did not start (exit " + server.exitValue() + "). Its log, "
                            + dir.logFile() + ":");
                    io.err().print(tail(dir.logFile()));
                    return ExitCodes.FAILED;
                }
                if (System.nanoTime() > deadline) {
                    server.destroy();
                    io.err().println("parity: the sandbox did not start within 60 s; see " + dir.logFile());
                    return ExitCodes.FAILED;
                }
                Thread.sleep(50);
            }
            io.err().println("parity: sandbox running at http://127.0.0.1:" + dir.port() + " (stop it with: parity sandbox stop"
                    + (dirOption.dir != null ? " --dir " + dir.dir() : "") + ")");
            if (rate > 0) io.err().println("parity: backup downloads served at " + dev.parity.sandbox.data.DownloadRate.describe(rate));
            io.out().print(Files.readString(dir.envFile()));
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the sandbox and its PostgreSQL cluster.")
    static final class Stop implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        SandboxCommands parent;
        @picocli.CommandLine.Mixin
        DirOption dirOption = new DirOption();

        @Override
        public Integer call() throws InterruptedException {
            Io io = parent.io;
            SandboxDir dir = dirOption.resolve(io);
            Optional<ProcessHandle> p = dir.process();
            if (p.isEmpty()) {
                io.err().println("parity: no sandbox is running in " + dir.dir());
                return 0;
            }
            p.get().destroy();
            try {
                p.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.get().destroyForcibly();
            }
            io.err().println("parity: sandbox stopped");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Say whether a sandbox runs, and where.")
    static final class Status implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        SandboxCommands parent;
        @picocli.CommandLine.Mixin
        DirOption dirOption = new DirOption();

        @Override
        public Integer call() throws IOException {
            SandboxDir dir = dirOption.resolve(parent.io);
            if (dir.process().isEmpty()) {
                parent.io.out().println("not running (" + dir.dir() + ")");
                return ExitCodes.FAILED;
            }
            parent.io.out().println("running at http://127.0.0.1:" + dir.port() + " (" + dir.dir() + ")");
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an app in the running sandbox.")
    static final class Create implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        SandboxCommands parent;
        @picocli.CommandLine.Mixin
        DirOption dirOption = new DirOption();
        @Parameters(index = "0", paramLabel = "APP")
        String app;
        @Option(names = "--remote", paramLabel = "NAME",
                description = "The git remote the advice names (default: the environment APP ends with, e.g. myapp-staging → staging; else heroku).")
        String remote;
        @Option(names = "--postgres", description = "Give it a Postgres database (DATABASE_URL).")
        boolean postgres;
        @Option(names = "--formation", paramLabel = "TYPE=N,…", description = "Dynos to run, e.g. web=2,worker=1.")
        String formation = "";

        @Override
        public Integer call() throws IOException {
            Io io = parent.io;
            SandboxDir dir = dirOption.resolve(io);
            if (dir.process().isEmpty()) {
                io.err().println("parity: no sandbox is running in " + dir.dir() + "; start one with: parity sandbox start");
                return ExitCodes.FAILED;
            }
            String body = "{\"name\":" + quote(app) + ",\"postgres\":" + postgres + ",\"formation\":" + quote(formation) + "}";
            Map.Entry<Integer, String> answer = post(dir, "/sandbox/apps", body);
            if (answer.getKey() != 201) {
                io.err().println("parity: could not create " + app + ": " + answer.getValue());
                return ExitCodes.FAILED;
            }
            String remote = this.remote != null ? this.remote : remoteName(app);
            io.out().println("Created " + app + ". Add it as a git remote, e.g.:");
            io.out().println("  git remote add " + remote + " https://127.0.0.1:" + dir.port() + "/" + app + ".git");
            io.out().println("  (or: heroku git:remote -a " + app + " --remote " + remote + ")");
            return 0;
        }
    }

    /**
     * The remote an app's environment is known by: the environment its name ends with
     * ({@code myapp-staging} → staging), else {@code heroku}, the CLI's own default; never an
     * environment the app was not made for (nor {@code development}: parity's local database).
     */
    static String remoteName(String app) {
        int dash = app.lastIndexOf('-');
        String suffix = dash < 0 ? app : app.substring(dash + 1);
        return switch (suffix) {
            case "production", "staging" -> suffix;
            default -> "heroku";
        };
    }

    /** POSTs JSON to the running sandbox with its token; returns status and body. */
    static Map.Entry<Integer, String> post(SandboxDir dir, String path, String json) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + dir.port() + path).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Authorization", "Bearer " + dir.token());
        c.setRequestProperty("Content-Type", "application/json");
        c.setRequestProperty("Accept", "application/vnd.heroku+json; version=3");
        try (OutputStream out = c.getOutputStream()) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return Map.entry(status, text);
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 20), lines.size()))) + "\n";
        } catch (IOException e) {
            return "(no log)\n";
        }
    }
}
