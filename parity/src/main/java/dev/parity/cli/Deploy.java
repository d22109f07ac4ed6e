package dev.parity.cli;

import dev.parity.deploys.ApiAccess;
import dev.parity.deploys.CodeRollback;
import dev.parity.deploys.DeployFacts;
import dev.parity.deploys.MaintenanceGuard;
import dev.parity.deploys.MigrationSteps;
import dev.parity.deploys.Preamble;
import dev.parity.deploys.ReleaseFollower;
import dev.parity.env.Environment;
import dev.parity.heroku.ApiFailures;
import dev.parity.heroku.BackupCapture;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.heroku.Release;
import dev.parity.process.Command;
import dev.parity.run.DynoRestart;
import dev.parity.run.RestartWatcher;
import dev.parity.steps.Action;
import dev.parity.steps.RunProgram;
import dev.parity.steps.Sequence;
import dev.parity.steps.Step;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Deploys as checked steps. Before anything is pushed it reads what runs now (the live release and
 * its commit), what will run (the pushed commit), the migrations the push brings and whether the
 * pushed Procfile has a release phase, and says so in one short block. Then: push; with a release
 * phase, follow the new release until it succeeded or failed; without one and with migrations
 * pending, migrate as {@code migrate} does (a production backup first, maintenance mode around it
 * on request) and roll the code back if the migration fails; and in every case end only when every
 * dyno is up on the new release.
 *
 * <p>Production gets the main branch (or master where only that exists), never forced; other
 * environments get whatever is checked out, force-pushed onto that branch. Production is the app:
 * a second remote for production's app ({@code heroku}, any alias) deploys as production does.
 */
@picocli.CommandLine.Command(name = "deploy", header = "Push code to the app and prove it runs.", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Push code to the app and prove it runs. production: git push production main (or master where only that exists).",
                "Other environments: git push ENV HEAD:main --force. An environment whose app is production's deploys as production.",
                "With a release phase (a release: line in the Procfile) the new release is followed until it succeeded or failed.",
                "Without one, pending migrations (migration files the push adds or changes) run as `ENV migrate` runs them,",
                "after a backup in production; a failed migration rolls the code back. Ends when every dyno is up on the new release.",
                "Refuses when tracked files have uncommitted changes, unless --allow-dirty."})
final class Deploy extends Verb {

    @Option(names = "--branch", paramLabel = "BRANCH",
            description = "Deploy this local branch instead (onto the app's main branch).")
    String branch;

    @Option(names = "--allow-dirty", description = "Deploy even if tracked files have uncommitted changes.")
    boolean allowDirty;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long to wait for the new release and for every dyno to be up on it (90s, 5m; default ${DEFAULT-VALUE}).")
    String waitText;

    @Option(names = "--no-migrate", description = "Do not run pending migrations (they are named as left pending).")
    boolean noMigrate;

    @Option(names = "--no-backup", description = "In production, migrate without capturing a backup first.")
    boolean noBackup;

    @Option(names = "--no-rollback", description = "Keep the new code running when its migration fails.")
    boolean noRollback;

    @Option(names = "--maintenance", description = "Turn maintenance mode on from before the push until the migration, the restart "
            + "and the wait are done; it is turned off again however the run ends (also on failure and Ctrl-C).")
    boolean maintenance;

    @Option(names = "--watch", paramLabel = "DURATION",
            description = "After the deploy, follow the log for DURATION (2m) and fail with the rollback command when errors "
                    + "(router 5xx, H/R/L codes) come at least 3 times and more than twice as often as in the same time before it.")
    String watchText;

    /** When the deploy began: the "before" window of --watch ends here. */
    private final Instant started = Instant.now();

    /** What the steps of one deploy hand on: the release the push made. */
    private static final class Run {
        Instant pushedAt;
        Release release;

        int version() {
            return release == null ? 0 : release.version();
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Target t = target();
        if (dryRun) {
            sequence(t, null).printPlan(workspace.io().out());
            return 0;
        }
        DeployFacts[] facts = new DeployFacts[1];
        int read = new Sequence(title("deploy"), List.of(readStep(t, facts)))
                .execute(new StepContext(workspace.runner(), workspace.io()), false);
        if (read != 0) return read;
        PrintStream err = workspace.io().err();
        err.println("parity: " + title("deploy") + " to " + t.env.app() + " (from " + t.env.source() + ")");
        for (String line : facts[0].describe()) err.println("  " + line);
        return sequence(t, facts[0]).execute(new StepContext(workspace.runner(), workspace.io()), false);
    }

    @Override
    protected Sequence sequence() throws InterruptedException {
        return sequence(target(), null);
    }

    private record Target(Environment env, Branches branches, Command push, Duration timeout) {}

    private Target target() throws InterruptedException {
        Environment env = remoteEnvironment("deploy");
        Branches b = branches(env);
        List<String> argv = new ArrayList<>(List.of("git", "push", remote(env), b.refspec()));
        if (!env.isProduction()) argv.add("--force");
        if (watchText != null) watchWindow(); // a bad --watch is refused before anything is read or pushed
        return new Target(env, b, Command.of(argv), Migrate.parseDuration(waitText));
    }

    /** Before anything is pushed: no uncommitted changes, and the facts the preamble says. */
    private Step readStep(Target t, DeployFacts[] facts) {
        return new Action("read what runs now and what the push brings", "", ctx -> {
            if (!allowDirty) {
                List<String> dirty = workspace.git().uncommittedChanges();
                if (!dirty.isEmpty()) {
                    throw new StepFailed(ExitCodes.REFUSED, "uncommitted changes would not be deployed:\n  "
                            + String.join("\n  ", dirty) + "\nCommit or stash them, or pass --allow-dirty. Nothing was pushed.");
                }
            }
            Platform platform;
            try {
                platform = workspace.platform();
            } catch (HerokuApiException e) {
                throw ApiFailures.of(e.getMessage() + "; nothing was pushed");
            }
            try {
                facts[0] = Preamble.read(workspace.git(), platform, t.env.app(), t.branches.source());
            } catch (HerokuApiException e) {
                throw ApiFailures.of("cannot read what runs on " + t.env.app() + ": ", e, t.env, "; nothing was pushed");
            } catch (IllegalArgumentException e) {
                throw new StepFailed(ExitCodes.USAGE, e.getMessage() + "; nothing was pushed");
            }
        });
    }

    /** The steps for {@code facts}; with none (a dry run) every step, each saying when it runs. */
    private Sequence sequence(Target t, DeployFacts facts) {
        Environment env = t.env;
        String app = env.app();
        boolean plan = facts == null;
        // whether migrations are pending cannot be told and the app has no migrate command: nothing to run
        boolean unknowable = !plan && facts.pendingMigrations().isEmpty() && migrateCommand().isEmpty();
        boolean migrating = plan || (!facts.releasePhase() && facts.migrationsMaybePending() && !unknowable);
        boolean migrate = migrating && !noMigrate;
        Run run = new Run();
        List<Step> steps = new ArrayList<>();
        if (plan && !allowDirty) {
            steps.add(new Action("check for uncommitted changes",
                    "$ git status --porcelain --untracked-files=no   (must print nothing; --allow-dirty skips this)", ctx -> { }));
        }
        if (plan) {
            steps.add(new Action("read what runs now and what the push brings",
                    "GET " + Platform.releasesPath(app) + " (the live release), GET " + Platform.appPath(app) + "/slugs/ID (its commit; else the "
                            + "'Deploy <sha7>' description); $ git diff --name-only LIVE " + t.branches.source() + " (migration files "
                            + "added or changed); $ git show " + t.branches.source() + ":Procfile (a release: line)", ctx -> { }));
        }
        String when = plan ? " (without a release phase, with pending migrations" : "";
        if (migrate && env.isProduction() && !noBackup) steps.add(backupStep(env, plan ? when + ", in production)" : ""));
        MaintenanceGuard guard = new MaintenanceGuard(platform(), env);
        if (migrate && maintenance) steps.add(guard.turnOn());
        steps.add(pushStep(t, run, guard));
        if (!plan && facts.sameCode()) {
            return new Sequence(title("deploy"), steps, notes(t));
        }
        steps.add(followStep(t, facts, run, plan));
        if (migrate) {
            MigrationSteps migration = migration(t, plan);
            migration.alsoSay(() -> interruptedState(t, guard));
            steps.add(migration.run(Migrate.apiTimeout(workspace), noRollback
                            ? "stop here, restart nothing; the new code keeps running (--no-rollback)"
                            : "roll the code back to the release live before the push (POST " + Platform.releasesPath(app) + " {release}), "
                                    + "wait for every dyno to be up on it, and exit with the migration's status",
                    (ctx, f) -> afterFailedMigration(ctx, t, facts, run)));
            steps.add(migration.restart());
            // the migration's wait is the deploy's last wait: every dyno up on the new release, booted after the migration
            steps.add(migration.await(" on the new release", run::version));
        }
        if (!migrate || plan) steps.add(awaitStep(t, run, plan));
        if (migrate && maintenance) steps.add(guard.turnOff());
        if (!plan && migrating && noMigrate) steps.add(leftPendingStep(facts));
        if (!plan && maintenance && !migrate) {
            workspace.io().err().println("parity: --maintenance: parity runs no migration in this deploy, so maintenance mode is left as it is");
        }
        if (unknowable && !facts.releasePhase()) {
            workspace.io().err().println("parity: no migrate command is known for this app (set migrate: in .parity.yml): not migrating");
        }
        // what follows the deploy once every dyno is up on it goes here
        if (watchText != null) steps.add(watch(env));
        return new Sequence(title("deploy"), steps, notes(t));
    }

    /** {@code --watch}: the error rates after the deploy against before it (see {@link dev.parity.deploys.ErrorWatch}). */
    private Step watch(Environment env) {
        return new dev.parity.deploys.ErrorWatch(workspace::platform, env.app(), watchWindow(), started).step(title("rollback"));
    }

    private Duration watchWindow() {
        try {
            return dev.parity.deploys.ErrorWatch.parse(watchText);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    private List<String> notes(Target t) {
        List<String> notes = new ArrayList<>(List.of("app: " + t.env.app() + " (from " + t.env.source() + ")"));
        t.env.productionByApp().ifPresent(why -> notes.add("deployed as production: " + why));
        notes.add("branch: " + t.branches.reason());
        return notes;
    }

    private Step backupStep(Environment env, String when) {
        Command capture = BackupCapture.command(env.app());
        return new Action("back up the database of " + env.label() + " before migrating" + when,
                "$ " + capture.display() + "   (--no-backup skips this)", ctx -> {
                    BackupCapture.Outcome r = BackupCapture.run(ctx, capture);
                    if (!r.ok()) {
                        throw new StepFailed(r.exitCode(), "could not back up " + env.label() + " before migrating: `" + capture.display()
                                + "` exited with status " + r.exitCode() + "; nothing was pushed (to deploy without a backup: --no-backup)");
                    }
                    ctx.io().progress("parity: " + env.label() + "'s database before this deploy is backup "
                            + r.name().orElse("(unnamed: see heroku pg:backups --app " + env.app() + ")"));
                });
    }

    private Step pushStep(Target t, Run run, MaintenanceGuard guard) {
        RunProgram push = new RunProgram("push to " + t.env.label(), t.push);
        return new Step() {
            @Override
            public String name() {
                return push.name();
            }

            @Override
            public String plan() {
                return push.plan();
            }

            @Override
            public void run(StepContext ctx) throws StepFailed, InterruptedException {
                run.pushedAt = Instant.now();
                // from the push on, an interrupted deploy says which release is live, as the API reads it
                ctx.onInterruptSay(() -> interruptedState(t, guard));
                push.run(ctx);
            }
        };
    }

    private Step followStep(Target t, DeployFacts facts, Run run, boolean plan) {
        String app = t.env.app();
        String name = plan || facts.releasePhase() ? "follow the new release's release phase" : "find the new release";
        return new Action(plan ? "find the new release and follow its release phase (with a release phase)" : name,
                "poll GET " + Platform.releasesPath(app) + " until a release newer than the one live before the push shows (timeout "
                        + waitText + "); with a release phase, poll it until it succeeded or failed: failed is a failed deploy "
                        + "(exit " + ExitCodes.RELEASE_FAILED + ", the release command's last lines, and which release still runs, read "
                        + "back from the API)", ctx -> {
                    ReleaseFollower follower = new ReleaseFollower(platform().platform(), t.env, t.timeout, ctx.io().err(),
                            RestartWatcher.Clock.SYSTEM);
                    Release r = follower.awaitNew(facts.currentVersion(), facts.pushed());
                    // with a release phase its outcome is said even when it ended before parity looked
                    run.release = facts.releasePhase() || r.pending() || r.failed() ? follower.awaitOutcome(r) : r;
                    ctx.io().err().println("parity: the push made " + run.release.label());
                });
    }

    private Step awaitStep(Target t, Run run, boolean plan) {
        String app = t.env.app();
        return new Action("wait for every dyno of " + app + " to be up on the new release"
                + (plan ? " (when no migration runs; else the migration's wait does this)" : ""),
                "poll GET " + Platform.dynosPath(app) + " until every formation dyno is up on the new release (timeout " + waitText
                        + "; a crashed dyno fails, named)",
                ctx -> new DynoRestart(platform().platform(), t.env, t.timeout, ctx.io().err()).awaitUp(run.pushedAt, run.version(),
                        "not every dyno is up on " + run.release.label(),
                        "; " + run.release.label() + " is released, but whether every dyno runs it is unknown: check with `"
                                + title("ps") + "`"));
    }

    private Step leftPendingStep(DeployFacts facts) {
        return new Action("say what is left pending", "", ctx -> ctx.io().err().println("parity: not migrated (--no-migrate): "
                + facts.pendingMigrations().map(m -> dev.parity.deploys.Printable.line(String.join(", ", m)) + " left pending").orElse("whether migrations are pending cannot be told")
                + "; run `" + title("migrate") + "`"));
    }

    /** The migration the deploy runs; a plan without a known command shows where it would go. */
    private MigrationSteps migration(Target t, boolean plan) {
        String command;
        try {
            command = Commands.migrate(workspace).command();
        } catch (UsageError e) {
            if (!plan) throw new UsageError(e.getMessage() + " (or deploy with --no-migrate)");
            command = "<the migrate command: none known; set migrate: in .parity.yml>";
        }
        return new MigrationSteps(platform(), t.env, command, t.timeout, waitText, workspace.cacheDirectory(),
                new MigrationSteps.Hints(title("restart"), title("ps")));
    }

    private java.util.Optional<String> migrateCommand() {
        try {
            return java.util.Optional.of(Commands.migrate(workspace).command());
        } catch (UsageError e) {
            return java.util.Optional.empty();
        }
    }

    /** What is true when a deploy is interrupted after its push started: the live release, and maintenance mode when it was used. */
    private String interruptedState(Target t, MaintenanceGuard guard) {
        String live;
        try {
            live = workspace.platform().currentRelease(t.env.app()).map(r -> r.label() + " is the live release of " + t.env.app())
                    .orElse(t.env.app() + " has no live release");
            live += " (read back from the API)";
        } catch (HerokuApiException e) {
            live = "which release of " + t.env.app() + " is live cannot be read (" + e.getMessage() + "): check `heroku releases --app "
                    + t.env.app() + "`";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            live = "check `heroku releases --app " + t.env.app() + "`";
        }
        String maintenanceState = guard.interruptedState();
        return maintenanceState == null ? live : live + "; " + maintenanceState;
    }

    /** After the migration failed: the code goes back to what ran before the push, unless --no-rollback. */
    private String afterFailedMigration(StepContext ctx, Target t, DeployFacts facts, Run run) throws InterruptedException {
        String app = t.env.app();
        // what ran right before the push's release is read now: a teammate's deploy or config change may have come after the preamble,
        // and going back to the preamble's release would silently undo it
        java.util.Optional<Release> live;
        try {
            live = Release.current(platform().platform().releases(app, Platform.RECENT_RELEASES).stream()
                    .filter(r -> r.version() < run.version()).toList());
        } catch (HerokuApiException e) {
            return "the releases of " + app + " cannot be read (" + e.getMessage() + "), so the code is not rolled back: " + run.release.label()
                    + " may run the new code on the old schema; check `heroku releases --app " + app + "` and roll back with "
                    + "`heroku releases:rollback vN --app " + app + "`";
        } catch (StepFailed e) {
            return e.getMessage() + "; the code is not rolled back";
        }
        if (live.isEmpty()) live = facts.current(); // none in the recent releases: nothing newer than the preamble's showed
        if (live.isEmpty()) return "no release ran before this push, so there is nothing to roll back to";
        Release before = live.get();
        if (before.version() != facts.currentVersion()) {
            ctx.io().err().println("parity: " + before.label() + " was made after parity read " + facts.current().map(Release::label)
                    .orElse("no release") + " as the live release (another deploy or a config change): it is the release that ran "
                    + "right before the push");
        }
        if (before.slugId().isEmpty()) {
            return "no code ran before this push (" + before.label() + " has none), so there is nothing to roll back to";
        }
        if (noRollback) {
            return "the new code keeps running (--no-rollback); roll it back with `heroku releases:rollback " + before.label()
                    + " --app " + app + "`";
        }
        try {
            return new CodeRollback(platform().platform(), t.env, t.timeout, ctx.io().err()).rollBackTo(before);
        } catch (StepFailed e) {
            return e.getMessage();
        }
    }

    private ApiAccess platform() {
        return () -> {
            try {
                return workspace.platform();
            } catch (HerokuApiException e) {
                throw ApiFailures.of(e.getMessage());
            }
        };
    }

    /** {@code source}: the local ref pushed; {@code refspec}: what git pushes. */
    private record Branches(String source, String refspec, String reason) {}

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
            return new Branches(source, refspec, refspec + " (" + why + ")");
        }
        String source = branch != null ? branch : "HEAD";
        return new Branches(source, source + ":" + target, source + " onto " + target + ", forced");
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
