package dev.parity.cli;

import dev.parity.env.Environment;
import dev.parity.process.Command;
import dev.parity.steps.Action;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Sequence;
import dev.parity.steps.StepFailed;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Pushes code to the app's git remote. Production gets the main branch (or master where only
 * that exists), never forced; other environments get whatever is checked out, force-pushed onto
 * that branch. Production is the app: a second remote for production's app ({@code heroku},
 * any alias) deploys as production does.
 */
@picocli.CommandLine.Command(name = "deploy", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Push code to the app. production: git push production main (or master where only that exists).",
                "Other environments: git push ENV HEAD:main --force. An environment whose app is production's deploys as production.",
                "Refuses when tracked files have uncommitted changes, unless --allow-dirty."})
final class Deploy extends Verb {

    @Option(names = "--branch", paramLabel = "BRANCH",
            description = "Deploy this local branch instead (onto the app's main branch).")
    String branch;

    @Option(names = "--allow-dirty", description = "Deploy even if tracked files have uncommitted changes.")
    boolean allowDirty;

    @Option(names = "--watch", paramLabel = "DURATION",
            description = "After the deploy, follow the log for DURATION (2m) and fail with the rollback command when errors "
                    + "(router 5xx, H/R/L codes) come at least 3 times and more than twice as often as in the same time before it.")
    String watchText;

    @Override
    protected Sequence sequence() throws InterruptedException {
        java.time.Instant started = java.time.Instant.now(); // the "before" window of --watch ends here
        Environment env = remoteEnvironment("deploy");
        Branches b = branches(env);
        List<String> argv = new ArrayList<>(List.of("git", "push", remote(env), b.refspec()));
        if (!env.isProduction()) argv.add("--force");

        List<dev.parity.steps.Step> steps = new ArrayList<>();
        if (!allowDirty) {
            steps.add(new Action("check for uncommitted changes",
                    "$ git status --porcelain --untracked-files=no   (must print nothing; --allow-dirty skips this)",
                    ctx -> {
                        List<String> dirty = workspace.git().uncommittedChanges();
                        if (!dirty.isEmpty()) {
                            throw new StepFailed(ExitCodes.REFUSED, "uncommitted changes would not be deployed:\n  "
                                    + String.join("\n  ", dirty) + "\nCommit or stash them, or pass --allow-dirty.");
                        }
                    }));
        }
        steps.add(new RunProgram("push to " + env.label(), Command.of(argv)));
        if (watchText != null) steps.add(watch(env, started));
        List<String> notes = new ArrayList<>(List.of("app: " + env.app() + " (from " + env.source() + ")"));
        env.productionByApp().ifPresent(why -> notes.add("deployed as production: " + why));
        notes.add("branch: " + b.reason());
        return new Sequence(title("deploy"), steps, notes);
    }

    /** {@code --watch}: the error rates after the deploy against before it (see {@link dev.parity.deploys.ErrorWatch}). */
    private dev.parity.steps.Step watch(Environment env, java.time.Instant started) {
        java.time.Duration window;
        try {
            window = dev.parity.deploys.ErrorWatch.parse(watchText);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        return new dev.parity.deploys.ErrorWatch(workspace::platform, env.app(), window, started).step(title("rollback"));
    }

    private record Branches(String refspec, String reason) {}

    private Branches branches(Environment env) throws InterruptedException {
        boolean main = workspace.git().branchExists("main");
        boolean master = workspace.git().branchExists("master");
        // Heroku builds only pushes to main or master; follow the repository's own convention.
        String target = !main && master ? "master" : "main";
        if (env.isProduction()) {
            String source = branch != null ? branch : workspace.config().deployBranch().orElse(null);
            String why = branch != null ? "--branch" : ".parity.yml deploy_branch";
            if (source == null) {
                if (!main && !master) {
                    throw new UsageError("no main or master branch to deploy to production; pass --branch BRANCH "
                            + "or set deploy_branch in .parity.yml");
                }
                source = target;
                why = main && master ? "main (both main and master exist; main wins)" : source + " (the repository's only deploy branch)";
            } else if (!workspace.git().branchExists(source)) {
                throw new UsageError("no local branch '" + source + "' to deploy (from " + why + ")");
            }
            String refspec = source.equals(target) ? source : source + ":" + target;
            return new Branches(refspec, refspec + " (" + why + ")");
        }
        String source = branch != null ? branch : "HEAD";
        return new Branches(source + ":" + target, source + " onto " + target + ", forced");
    }

    /**
     * The git remote named after the environment, as the original pushes, when everything it pushes
     * to is the environment's app; else the app's git URL (a .parity.yml app wins over the remote of
     * the same name, and a pushurl or a second url must not take the push to another app).
     */
    private String remote(Environment env) throws InterruptedException {
        if (!workspace.remotes().containsKey(env.name())) return workspace.hosts().gitUrl(env.app());
        List<String> pushUrls = workspace.git().pushUrls(env.name());
        boolean sameApp = !pushUrls.isEmpty() && pushUrls.stream().allMatch(url -> dev.parity.env.HerokuRemote.appName(url, workspace.hosts())
                .filter(app -> app.equalsIgnoreCase(env.app())).isPresent());
        return sameApp ? env.name() : workspace.hosts().gitUrl(env.app());
    }
}
