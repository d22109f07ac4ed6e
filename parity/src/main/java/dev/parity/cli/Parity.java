package dev.parity.cli;

import dev.parity.cli.restore.Restore;
import dev.parity.config.ConfigError;
import dev.parity.env.AppResolver;
import dev.parity.env.UnknownEnvironment;
import dev.parity.heroku.HerokuApiException;
import dev.parity.process.ProcessRunner;
import dev.parity.process.ProgramNotFound;
import dev.parity.steps.Installs;
import dev.parity.ui.Io;
import dev.parity.ui.Redact;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The command line: {@code parity ENV [--dry-run] VERB ARGS…}, {@code parity pr_app N VERB …},
 * and the tool's own commands ({@code binstub}, {@code completion}, {@code environments}).
 * Verbs parity knows are parsed by picocli; anything else goes to the heroku CLI untouched.
 */
public final class Parity {
    /** parity's verbs, in the order usage lists them. */
    static final Map<String, Supplier<Verb>> VERBS = new LinkedHashMap<>();

    static {
        VERBS.put("backup", Backup::new);
        VERBS.put("restore", Restore::new);
        VERBS.put("restore-from", Restore::new);
        VERBS.put("deploy", Deploy::new);
        VERBS.put("rollback", Rollback::new);
        VERBS.put("console", Console::new);
        VERBS.put("migrate", Migrate::new);
        VERBS.put("tail", Tail::new);
        VERBS.put("open", Open::new);
        VERBS.put("ps", Ps::new);
        VERBS.put("restart", Restart::new);
        VERBS.put("releases", Releases::new);
        VERBS.put("info", Info::new);
        VERBS.put("doctor", Doctor::new);
    }

    /** Commands of parity itself rather than of an environment. */
    static final Map<String, Supplier<Object>> TOOL_COMMANDS = new LinkedHashMap<>();

    static {
        TOOL_COMMANDS.put("binstub", Binstub::new);
        TOOL_COMMANDS.put("completion", Completion::new);
        TOOL_COMMANDS.put("environments", Environments::new);
        TOOL_COMMANDS.put("demo", Demo::new);
    }

    private final Io io;
    private final ProcessRunner runner;

    public Parity(Io io, ProcessRunner runner) {
        this.io = io;
        this.runner = runner;
    }

    public int run(String... args) {
        try {
            return dispatch(List.of(args));
        } catch (UsageError e) {
            return fail(e.getMessage(), e.exitCode());
        } catch (UnknownEnvironment | ConfigError e) {
            return fail(e.getMessage(), ExitCodes.USAGE);
        } catch (HerokuApiException e) {
            return fail(e.getMessage(), ExitCodes.API);
        } catch (ProgramNotFound e) {
            return fail(e.program() + " is not installed or not on PATH. " + Installs.hint(e.program()), ExitCodes.NOT_FOUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted", ExitCodes.INTERRUPTED);
        } catch (RuntimeException e) {
            // a defect in parity: still one line, and no secret (the message may quote a URL)
            return fail("internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + Redact.url(e.getMessage().lines().findFirst().orElse(""))),
                    ExitCodes.FAILED);
        }
    }

    private int fail(String message, int code) {
        io.err().println("parity: " + message);
        return code;
    }

    private int dispatch(List<String> args) throws InterruptedException {
        if (args.isEmpty()) {
            printUsage(io.err());
            return ExitCodes.USAGE;
        }
        String first = args.get(0);
        switch (first) {
            case "-h", "--help", "help" -> {
                printUsage(io.out());
                return ExitCodes.OK;
            }
            case "-V", "--version" -> {
                io.out().println("parity " + Version.get());
                return ExitCodes.OK;
            }
            default -> { }
        }
        if (TOOL_COMMANDS.containsKey(first)) {
            Object command = TOOL_COMMANDS.get(first).get();
            if (command instanceof ToolCommand t) t.bind(new Workspace(io, runner));
            return execute(new CommandLine(command), args.subList(1, args.size()));
        }
        if (first.startsWith("-")) throw new UsageError("unknown option " + first + ". Try: parity --help");
        if (first.equals("sandbox")) {
            ToolExtension sandbox = ToolExtension.find("sandbox")
                    .orElseThrow(() -> new UsageError("the sandbox is not part of parity.jar; run it as bin/parity sandbox, "
                            + "which adds dist/target/parity-sandbox.jar (built by mvn -DskipTests package)", ExitCodes.FAILED));
            return sandbox.run(io, runner, args.subList(1, args.size()));
        }

        Workspace workspace = new Workspace(io, runner);
        int i = 1;
        String reviewApp = null;
        if (first.equals("pr_app")) {
            if (args.size() < 2 || args.get(1).startsWith("-")) {
                if (args.size() >= 2 && isHelp(args.get(1))) {
                    printEnvironmentUsage(io.out(), "pr_app N");
                    return ExitCodes.OK;
                }
                throw new UsageError("pr_app needs a pull request number first, e.g. `pr_app 1234 console`");
            }
            reviewApp = args.get(1);
            if (!AppResolver.isPullRequestNumber(reviewApp)) {
                throw new UsageError("pr_app needs a pull request number first, e.g. `pr_app 1234 console` (got '" + reviewApp + "')");
            }
            i = 2;
        } else if (!workspace.resolver().isEnvironment(first)) {
            workspace.environment(first); // throws the error that lists the known environments
        }
        String label = reviewApp == null ? first : "pr_app " + reviewApp;
        boolean dryRun = false;
        for (; i < args.size() && args.get(i).startsWith("-"); i++) {
            String option = args.get(i);
            if (option.equals("--dry-run")) {
                dryRun = true;
            } else if (isHelp(option)) {
                printEnvironmentUsage(io.out(), label);
                return ExitCodes.OK;
            } else if (option.equals("--version") || option.equals("-V")) {
                io.out().println("parity " + Version.get());
                return ExitCodes.OK;
            } else {
                throw new UsageError("unknown option " + option + " before the verb. Try: " + label + " --help");
            }
        }
        if (i >= args.size()) {
            printEnvironmentUsage(io.err(), label);
            return ExitCodes.USAGE;
        }
        String verbName = args.get(i);
        List<String> rest = args.subList(i + 1, args.size());
        Supplier<Verb> known = VERBS.get(verbName);
        Verb verb = known != null ? known.get() : new PassThrough(verbName, rest);
        verb.bind(workspace, first, reviewApp, dryRun);
        if (known == null) return verb.call();
        if (!dryRun && rest.stream().noneMatch(a -> a.equals("--dry-run") || isHelp(a) || a.equals("--version"))) {
            verb.prefetch();
        }
        CommandLine cl = new CommandLine(verb);
        cl.setCommandName(label + " " + verbName);
        cl.setUnmatchedOptionsArePositionalParams(verb.passesUnknownOptions());
        return execute(cl, rest);
    }

    private int execute(CommandLine cl, List<String> args) throws InterruptedException {
        cl.setExpandAtFiles(false); // "@name" is an ordinary argument, never a file to read
        cl.setOut(new java.io.PrintWriter(io.out(), true));
        cl.setErr(new java.io.PrintWriter(io.err(), true));
        cl.setParameterExceptionHandler((ex, a) -> {
            io.err().println("parity: " + ex.getMessage());
            io.err().println("Try: " + ex.getCommandLine().getCommandName() + " --help");
            return ExitCodes.USAGE;
        });
        Throwable[] thrown = new Throwable[1];
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            thrown[0] = ex;
            return ExitCodes.FAILED;
        });
        int code = cl.execute(args.toArray(String[]::new));
        if (thrown[0] instanceof InterruptedException e) throw e;
        if (thrown[0] instanceof RuntimeException e) throw e;
        if (thrown[0] instanceof Error e) throw e;
        if (thrown[0] != null) throw new IllegalStateException(thrown[0]);
        return code;
    }

    private static boolean isHelp(String s) {
        return s.equals("--help") || s.equals("-h");
    }

    static void printUsage(PrintStream out) {
        out.println("""
                Usage: parity ENVIRONMENT [--dry-run] VERB [ARGS...]
                       production|staging|development VERB [ARGS...]
                       pr_app NUMBER VERB [ARGS...]
                       parity demo | sandbox … | binstub NAME | completion bash|zsh | environments | --help | --version

                Environments: production, staging, development, pr_app NUMBER, and any git remote or
                .parity.yml environment that points at a Heroku app.
                """);
        printVerbs(out);
    }

    static void printEnvironmentUsage(PrintStream out, String env) {
        out.println("Usage: " + env + " [--dry-run] VERB [ARGS...]\n");
        printVerbs(out);
    }

    private static void printVerbs(PrintStream out) {
        out.println("""
                Verbs:
                  backup                     capture a backup (development: a local pg_dump file)
                  restore SOURCE             replace this environment's database with SOURCE's (alias: restore-from)
                  deploy                     push code to the app (production: main; others: HEAD, forced)
                  rollback [vN]              roll back to vN (default: the release before), refused across a migration
                  console [ARGS]             the app's console in a one-off dyno
                  migrate                    migrate in a one-off dyno, then restart only if it succeeded
                  tail [ARGS]                follow the app's log
                  open                       open the app in a browser
                  anything else              heroku VERB ARGS --app APP, arguments exactly as typed

                Every verb takes --dry-run (print the steps, run nothing) and --help.""");
    }

    static List<String> verbNames() {
        return Arrays.asList(VERBS.keySet().toArray(String[]::new));
    }
}
