package dev.parity.cli;

import dev.parity.config.ConfigError;
import dev.parity.env.AppResolver;
import dev.parity.env.UnknownEnvironment;
import dev.parity.heroku.HerokuApiException;
import dev.parity.process.ProcessRunner;
import dev.parity.process.ProgramNotFound;
import dev.parity.steps.Installs;
import dev.parity.ui.Io;
import dev.parity.ui.Redact;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The command line: {@code parity ENV [--dry-run] VERB ARGS…}, {@code parity pr_app [--dry-run] N VERB …},
 * and the tool's own commands ({@code binstub}, {@code completion}, {@code environments}, {@code scrub}).
 * Verbs parity knows ({@link Verbs}) are parsed by picocli; anything else goes to the heroku CLI
 * untouched, after two checks ({@code ENV -- VERB …} skips them): not a near-miss of a verb,
 * no {@code --dry-run} that heroku would get.
 */
public final class Parity {
    /** Commands of parity itself rather than of an environment. */
    static final Map<String, Supplier<Object>> TOOL_COMMANDS = new LinkedHashMap<>();

    static {
        TOOL_COMMANDS.put("binstub", Binstub::new);
        TOOL_COMMANDS.put("completion", Completion::new);
        TOOL_COMMANDS.put("environments", Environments::new);
        TOOL_COMMANDS.put("demo", Demo::new);
        TOOL_COMMANDS.put("scrub", Scrub::new);
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
            Help.printUsage(io.err());
            return ExitCodes.USAGE;
        }
        String first = args.get(0);
        switch (first) {
            case "-h", "--help", "help" -> {
                Help.printUsage(io.out());
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
        boolean reviewApps = first.equals("pr_app");
        if (!reviewApps && !workspace.resolver().isEnvironment(first)) {
            workspace.environment(first); // throws the error that lists the known environments
        }
        // parity's options, then (pr_app) the number, in either order: `pr_app --dry-run 1234 console`
        String reviewApp = null;
        boolean dryRun = false;
        boolean toHeroku = false;
        int i = 1;
        for (; i < args.size(); i++) {
            String word = args.get(i);
            String label = reviewApps ? "pr_app " + (reviewApp == null ? "NUMBER" : reviewApp) : first;
            if (reviewApps && reviewApp == null && !word.startsWith("-")) {
                if (!AppResolver.isPullRequestNumber(word)) {
                    throw new UsageError("pr_app needs a pull request number before the verb, e.g. `pr_app 1234 console` (got '" + word + "')");
                }
                reviewApp = word;
            } else if (!word.startsWith("-")) {
                break;
            } else if (word.equals("--")) {
                toHeroku = true; // what follows is heroku's, verb included
                i++;
                break;
            } else if (word.equals("--dry-run")) {
                dryRun = true;
            } else if (isHelp(word)) {
                Help.printEnvironmentUsage(io.out(), label);
                return ExitCodes.OK;
            } else if (word.equals("--version") || word.equals("-V")) {
                io.out().println("parity " + Version.get());
                return ExitCodes.OK;
            } else {
                throw new UsageError("unknown option " + word + " before the verb. Try: " + label + " --help");
            }
        }
        if (reviewApps && reviewApp == null) {
            throw new UsageError("pr_app needs a pull request number before the verb, e.g. `pr_app 1234 console`");
        }
        String label = reviewApp == null ? first : "pr_app " + reviewApp;
        if (i >= args.size()) {
            if (toHeroku) throw new UsageError("nothing after --: " + label + " -- VERB ARGS... runs heroku VERB ARGS... --app APP");
            Help.printEnvironmentUsage(io.err(), label);
            return ExitCodes.USAGE;
        }
        String verbName = args.get(i);
        List<String> rest = args.subList(i + 1, args.size());
        Optional<Verbs.Entry> known = toHeroku ? Optional.empty() : Verbs.find(verbName);
        if (known.isEmpty()) {
            if (!toHeroku) refuseMisplacedPassThrough(label, dryRun, verbName, rest);
            Verb passThrough = new PassThrough(verbName, rest);
            passThrough.bind(workspace, first, reviewApp, dryRun);
            return passThrough.call();
        }
        Verb verb = known.get().make().get();
        verb.bind(workspace, first, reviewApp, dryRun);
        if (!dryRun && rest.stream().noneMatch(a -> a.equals("--dry-run") || isHelp(a) || a.equals("--version"))) {
            verb.prefetch();
        }
        CommandLine cl = new CommandLine(verb);
        cl.setCommandName(label + " " + verbName);
        cl.setUnmatchedOptionsArePositionalParams(verb.passesUnknownOptions());
        return execute(cl, rest);
    }

    /**
     * Before anything goes to heroku: a near-miss of a parity verb that heroku does not have either
     * ({@code migarte}) is a typo, and {@code --dry-run} after a heroku command would be heroku's
     * to ignore or reject while the command runs. {@code ENV -- VERB ARGS} skips both checks.
     */
    private static void refuseMisplacedPassThrough(String label, boolean dryRun, String verbName, List<String> rest) {
        if (!HerokuCommands.isCommand(verbName)) {
            Optional<String> meant = NearMiss.closest(verbName, Verbs.names());
            if (meant.isPresent()) {
                throw new UsageError("`" + verbName + "` is neither a parity verb nor a heroku command. Did you mean "
                        + label + " " + meant.get() + "?\n"
                        + "To run `heroku " + shellWords(verbName, rest) + " --app APP` anyway (a heroku plugin's command, say): "
                        + label + " -- " + shellWords(verbName, rest));
            }
        }
        int dashDash = rest.indexOf("--");
        List<String> herokus = dashDash < 0 ? rest : rest.subList(0, dashDash);
        if (herokus.stream().anyMatch(a -> a.equals("--dry-run") || a.startsWith("--dry-run="))) {
            List<String> without = new java.util.ArrayList<>(rest);
            without.removeIf(a -> a.equals("--dry-run") || a.startsWith("--dry-run="));
            throw new UsageError("--dry-run after `" + verbName + "` would be heroku's: parity would run `heroku "
                    + shellWords(verbName, rest) + " --app APP`.\n"
                    + "To see the heroku command and run nothing, put it before the verb: " + label + " --dry-run "
                    + shellWords(verbName, without) + "\n"
                    + "To give it to heroku as typed: " + label + " -- " + shellWords(verbName, rest));
        }
    }

    private static String shellWords(String verbName, List<String> rest) {
        List<String> words = new java.util.ArrayList<>();
        words.add(verbName);
        words.addAll(rest);
        return dev.parity.process.ShellWords.join(words);
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

    /** Every verb name and alias, for shell completion. */
    static List<String> verbNames() {
        return Verbs.names();
    }
}
