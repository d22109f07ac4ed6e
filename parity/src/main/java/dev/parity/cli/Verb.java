package dev.parity.cli;

import dev.parity.env.Environment;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.heroku.ReviewApps;
import dev.parity.steps.Sequence;
import dev.parity.steps.StepContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * A verb run against one environment ({@code production migrate}). Subclasses build their
 * checked steps in {@link #sequence()}; this class runs them or, with {@code --dry-run}, prints them.
 */
public abstract class Verb implements Callable<Integer> {

    @Option(names = "--dry-run", description = "Print each step (commands with their arguments) and run nothing.")
    boolean dryRun;

    protected Workspace workspace;
    protected String environmentName;
    protected String reviewAppNumber;
    private Environment environment;

    /** Called by the dispatcher before picocli parses the verb's own arguments. */
    void bind(Workspace workspace, String environmentName, String reviewAppNumber, boolean dryRun) {
        this.workspace = workspace;
        this.environmentName = environmentName;
        this.reviewAppNumber = reviewAppNumber;
        this.dryRun = dryRun;
    }

    /** Whether this run only prints its plan. */
    protected boolean isDryRun() {
        return dryRun;
    }

    /** Whether options this verb does not know are passed on as arguments (console, tail) or are errors. */
    boolean passesUnknownOptions() {
        return false;
    }

    /**
     * Called before picocli parses the verb's arguments (about 100 ms, as picocli's classes cannot
     * come from the class-data archive): a verb that will surely call the API may start now.
     */
    void prefetch() {
    }

    protected Environment environment() throws InterruptedException {
        if (environment == null) {
            environment = reviewAppNumber != null
                    ? reviewApp()
                    : workspace.environment(environmentName);
        }
        return environment;
    }

    /**
     * {@code pr_app N}: the review app the staging app's pipeline has for pull request N, else the
     * original's naming. {@code --dry-run} and a missing token never call the API; API failures fall back.
     */
    private Environment reviewApp() throws InterruptedException {
        Environment fallback = workspace.resolver().resolveReviewApp(reviewAppNumber);
        if (dryRun) return fallback;
        String staging = workspace.environment("staging").app();
        try {
            Platform platform = workspace.platform(); // no credentials: the naming is all we have
            return ReviewApps.lookup(platform, staging, Integer.parseInt(reviewAppNumber))
                    .map(m -> new Environment(fallback.name(), fallback.kind(), m.app(),
                            "review app of " + staging + " in pipeline " + m.pipeline()))
                    .orElse(fallback);
        } catch (HerokuApiException | NumberFormatException e) {
            return fallback;
        }
    }

    /** The environment, which must be a Heroku app for this verb. */
    protected Environment remoteEnvironment(String verb) throws InterruptedException {
        Environment env = environment();
        if (env.isDevelopment()) {
            throw new UsageError("`" + verb + "` runs against a Heroku app; the development environment supports "
                    + "`development restore SOURCE` and `development backup`");
        }
        return env;
    }

    protected abstract Sequence sequence() throws InterruptedException;

    @Override
    public Integer call() throws InterruptedException {
        Sequence s = sequence();
        return s.execute(new StepContext(workspace.runner(), workspace.io()), dryRun);
    }

    /** "production migrate", "pr_app 12 console": how the user typed it, for titles. */
    protected String title(String verb) {
        return (reviewAppNumber != null ? "pr_app " + reviewAppNumber : environmentName) + " " + verb;
    }
}
