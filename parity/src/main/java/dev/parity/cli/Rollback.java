package dev.parity.cli;

import dev.parity.deploys.HistorySince;
import dev.parity.deploys.RollbackTarget;
import dev.parity.deploys.SchemaSinceRelease;
import dev.parity.deploys.SchemaSinceRelease.Source;
import dev.parity.env.Environment;
import dev.parity.heroku.ApiFailures;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.heroku.Release;
import dev.parity.process.ProgramNotFound;
import dev.parity.run.DynoRestart;
import dev.parity.schema.MigrationFolders;
import dev.parity.schema.ReadOnlyPsql;
import dev.parity.stale.MigrationRecords;
import dev.parity.steps.Action;
import dev.parity.steps.Sequence;
import dev.parity.steps.Step;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Rolls the app's code and config back to an earlier release through the Platform API, as
 * {@code heroku releases:rollback} does, but only when the schema has not moved on since that
 * release (old code on a newer schema breaks silently), then waits until every dyno is up on the
 * rollback's release.
 */
@Command(name = "rollback", header = "Roll back to release vN, refused across a migration.", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Roll the app back to release vN (default: the newest release before the current one that succeeded).",
                "Refused when a migration ran or was deployed after vN was made (old code on a newer schema), unless --force.",
                "Then waits until every dyno is up on the rollback's release. Production asks to type the app name."})
final class Rollback extends Verb {
    /** How often a pending release phase is looked at. */
    static final Duration POLL = Duration.ofSeconds(1);

    @Parameters(arity = "0..1", paramLabel = "vN", description = "The release to roll back to (v41 or 41).")
    String version;

    @Option(names = "--force", description = "Roll back even when migrations ran after vN was made, or when nothing can tell.")
    boolean force;

    @Option(names = "--confirm", paramLabel = "APP", description = "Confirm a production rollback without the prompt.")
    String confirm;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long to wait for every dyno to be up on the rollback's release (90s, 5m; default ${DEFAULT-VALUE}).")
    String waitText;

    /** What the steps find out for the ones after them. */
    private List<Release> recent;
    private Release current;
    private Release target;
    private Release made;
    private Instant sent;

    @Override
    protected Sequence sequence() throws InterruptedException {
        Duration wait = Migrate.parseDuration(waitText);
        if (version != null && !version.matches("v?\\d{1,9}")) {
            throw new UsageError("the release to roll back to looks like v41 (got '" + version + "')");
        }
        Environment env = remoteEnvironment("rollback");
        String app = env.app();
        String which = version == null ? "the newest release before the current one that succeeded and is eligible for rollback"
                : (version.startsWith("v") ? version : "v" + version);
        List<Step> steps = new ArrayList<>();
        steps.add(new Action("find the release to roll back to",
                "GET /apps/" + app + "/releases (Range: " + Platform.releasesRange(Platform.RECENT_RELEASES) + "): the current release"
                        + (version == null ? "; target: " + which : "; GET /apps/" + app + "/releases/" + which.substring(1))
                        + "; refuse a target that is current, did not succeed or is not eligible for rollback",
                ctx -> find(ctx, env)));
        steps.add(new Action("check for migrations after the target release",
                "three sources, each saying what it found: parity's migrate record ("
                        + new MigrationRecords(workspace.cacheDirectory()).file(app) + "); the migration-history tables that keep times, "
                        + "read-only (GET /apps/" + app + "/config-vars for DATABASE_URL, never shown, then "
                        + ReadOnlyPsql.PROGRAM + " with " + ReadOnlyPsql.READ_ONLY + " and " + ReadOnlyPsql.BOUNDED + "); the migration files that the commits of the "
                        + "releases after the target add (GET /apps/" + app + "/slugs/ID for each commit, git diff --name-only "
                        + "TARGET_COMMIT RELEASE_COMMIT). A migration found, or no source able to tell, refuses"
                        + (force ? " — but --force goes on and says what was found" : " (--force goes on)"),
                ctx -> checkSchema(ctx, env)));
        if (env.isProduction()) steps.add(confirmProduction(env));
        steps.add(new Action("roll back " + app,
                "POST /apps/" + app + "/releases {release: TARGET_ID} (as heroku releases:rollback; never sent twice: a lost answer "
                        + "is followed by GET /apps/" + app + "/releases to see whether a 'Rollback to vN' release was made); "
                        + "a release phase is followed until the new release succeeded or failed",
                ctx -> rollBack(ctx, env, wait)));
        steps.add(new Action("wait for every dyno of " + app + " to be up on the rollback's release",
                "poll GET /apps/" + app + "/dynos until every formation dyno is up on the new release with updated_at at or after "
                        + "the rollback (timeout " + waitText + "; a crashed dyno fails)",
                ctx -> await(ctx, env, wait)));
        return new Sequence(title("rollback" + (version == null ? "" : " " + which)), steps,
                List.of("app: " + app + " (from " + env.source() + ")", "target: " + which));
    }

    // ---- step 1 ----

    private void find(StepContext ctx, Environment env) throws StepFailed, InterruptedException {
        String app = env.app();
        Platform platform = platform();
        List<Release> releases;
        try {
            releases = platform.releases(app, Platform.RECENT_RELEASES);
        } catch (HerokuApiException e) {
            throw ApiFailures.of("cannot read the releases of " + app + ": ", e, env, "; nothing was changed");
        }
        recent = releases;
        current = Release.current(releases).orElseThrow(() -> new StepFailed(ExitCodes.REFUSED,
                app + " has no release that succeeded: nothing runs, so there is nothing to roll back from"));
        if (version == null) {
            target = RollbackTarget.before(releases, current).orElseThrow(() -> new StepFailed(ExitCodes.REFUSED,
                    releases.size() <= 1 ? app + " has a single release (" + current.label() + "): there is no earlier release to roll back to"
                            : "no release before " + current.label() + " in the newest " + releases.size() + " of " + app
                            + " succeeded and is eligible for rollback; name one: " + title("rollback") + " vN"));
        } else {
            try {
                target = platform.release(app, version);
            } catch (HerokuApiException e) {
                if (e.notFound() && !e.getMessage().contains("Couldn't find that app")) {
                    throw new StepFailed(ExitCodes.USAGE, app + " has no release " + (version.startsWith("v") ? version : "v" + version)
                            + " (see `" + title("releases") + "`); nothing was changed");
                }
                throw ApiFailures.of("cannot read release " + version + " of " + app + ": ", e, env, "; nothing was changed");
            }
            Optional<String> refused = RollbackTarget.refusal(target, current);
            if (refused.isPresent()) throw new StepFailed(ExitCodes.REFUSED, refused.get() + "; nothing was changed");
        }
        ctx.io().err().println("parity: " + app + " runs " + describe(current) + "; rolling back to " + describe(target));
    }

    private static String describe(Release r) {
        return r.label() + (r.description().isEmpty() ? "" : " (" + dev.parity.deploys.Printable.line(r.description()) + ")");
    }

    // ---- step 2 ----

    private void checkSchema(StepContext ctx, Environment env) throws StepFailed, InterruptedException {
        PrintStream err = ctx.io().err();
        List<Source> sources = List.of(recordSource(env), databaseSource(env), codeSource(env));
        SchemaSinceRelease.Verdict verdict = new SchemaSinceRelease.Verdict(target, sources);
        for (Source s : sources) err.println("  " + dev.parity.deploys.Printable.line(s.line()));
        String concern = verdict.concern();
        if (concern == null) {
            err.println("parity: no migration after " + target.label() + " was found");
            return;
        }
        if (!force) throw new StepFailed(ExitCodes.REFUSED, concern + ". Nothing was changed. Pass --force to roll back anyway.");
        err.println("parity: --force: rolling back although " + concern);
    }

    private Source recordSource(Environment env) {
        String name = "parity's migrate record";
        MigrationRecords records = new MigrationRecords(workspace.cacheDirectory());
        Optional<MigrationRecords.Run> run = records.lastRun(env.app());
        if (run.isEmpty()) return Source.unknown(name, "no migrate of " + env.app() + " recorded in " + records.file(env.app()));
        MigrationRecords.Run r = run.get();
        String what = "parity migrate finished " + r.finishedAt() + (r.release() > 0 ? " on v" + r.release() : "");
        if (target.createdAt() != null && r.finishedAt().isAfter(target.createdAt())) {
            return Source.found(name, List.of(what), what + ", after " + target.label() + " was made at " + target.createdAt());
        }
        return Source.none(name, "the last, " + what + ", is older than " + target.label());
    }

    private Source databaseSource(Environment env) throws InterruptedException {
        String name = "the database's migration history";
        if (target.createdAt() == null) return Source.unknown(name, target.label() + " has no creation time");
        String url;
        try {
            url = platform().configVars(env.app()).get("DATABASE_URL");
        } catch (HerokuApiException | StepFailed e) {
            return Source.unknown(name, "the config vars could not be read: " + e.getMessage());
        }
        if (url == null || url.isBlank()) return Source.unknown(name, env.app() + " has no DATABASE_URL");
        Optional<ReadOnlyPsql> psql = ReadOnlyPsql.of(workspace.runner(), url);
        if (psql.isEmpty()) return Source.unknown(name, "DATABASE_URL is not a PostgreSQL URL");
        try {
            HistorySince.Result r = HistorySince.read(psql.get(), target.createdAt());
            if (r.tables().isEmpty()) {
                return Source.unknown(name, "no history table that keeps times (Rails' schema_migrations keeps none)");
            }
            String tables = String.join(", ", r.tables().stream().map(p -> p.history().label()).toList());
            if (r.since().isEmpty()) return Source.none(name, tables + ": nothing after " + target.createdAt());
            List<String> names = r.since().stream().map(e -> e.name() + " (" + e.source() + ")").toList();
            return Source.found(name, names, r.since().size() + " after " + target.createdAt() + " in " + tables);
        } catch (ProgramNotFound e) {
            return Source.unknown(name, "psql is not installed");
        } catch (ReadOnlyPsql.QueryFailed e) {
            return Source.unknown(name, "the history could not be read: " + e.getMessage());
        }
    }

    private Source codeSource(Environment env) throws InterruptedException {
        String name = "the code deployed since";
        Optional<String> from = commit(env, target);
        if (from.isEmpty()) return Source.unknown(name, "the commit of " + target.label() + " is unknown (no slug commit, no 'Deploy <sha>')");
        // every release after the target that went live (among the newest page; the current one always):
        // its code may have brought migrations, and run them
        List<Release> after = new ArrayList<>();
        for (Release r : recent) {
            if (r.version() > target.version() && r.version() <= current.version() && r.succeeded() && r.slugId().isPresent()) after.add(r);
        }
        if (after.stream().noneMatch(r -> r.version() == current.version())) after.add(current);
        Map<String, String> found = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        int compared = 0;
        for (Release r : after) {
            Optional<String> to = commit(env, r);
            if (to.isEmpty()) {
                unknown.add(r.label() + "'s commit is unknown");
                continue;
            }
            Optional<List<String>> changed = workspace.git().changedFiles(from.get(), to.get());
            if (changed.isEmpty()) {
                unknown.add("commits " + shortSha(from.get()) + ".." + shortSha(to.get()) + " are not both in this repository");
                continue;
            }
            compared++;
            for (String m : MigrationFolders.migrations(changed.get())) found.putIfAbsent(m, r.label() + ", " + shortSha(to.get()));
        }
        String gaps = unknown.isEmpty() ? "" : "; " + String.join("; ", unknown);
        if (!found.isEmpty()) {
            List<String> names = found.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
            return Source.found(name + " " + target.label(), names, found.size() + " migration file" + (found.size() == 1 ? "" : "s")
                    + " added or changed after " + target.label() + "'s commit " + shortSha(from.get()) + gaps);
        }
        if (compared == 0) return Source.unknown(name + " " + target.label(), String.join("; ", unknown));
        return Source.none(name + " " + target.label(), "no migration file changed after " + target.label() + "'s commit "
                + shortSha(from.get()) + gaps);
    }

    /** The commit a release runs: its slug's, else the one its {@code Deploy <sha>} description names. */
    private Optional<String> commit(Environment env, Release r) throws InterruptedException {
        if (r.slugId().isPresent()) {
            try {
                Optional<String> c = platform().slug(env.app(), r.slugId().get()).commit();
                if (c.isPresent()) return c;
            } catch (HerokuApiException | StepFailed e) {
                // the description may still name it
            }
        }
        return r.describedCommit();
    }

    private static String shortSha(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }

    // ---- step 3 ----

    /** Production runs other code only for someone who typed its name (or passed it with --confirm), as restore asks. */
    private Step confirmProduction(Environment env) {
        String app = env.app();
        String plan = confirm != null ? "check --confirm " + confirm + " matches " + app : "ask to type " + app + " to confirm";
        return new Action("confirm rolling back " + env.label(), plan, ctx -> {
            String typed = confirm;
            if (typed == null) {
                if (!ctx.io().interactive()) {
                    throw new StepFailed(ExitCodes.REFUSED, "no terminal to confirm on; pass --confirm " + app + "; nothing was changed");
                }
                typed = ctx.io().ask("This rolls " + env.label() + " back from " + current.label() + " to " + target.label()
                        + ". Type " + app + " to continue: ");
            }
            if (typed == null || !typed.strip().equals(app)) {
                throw new StepFailed(ExitCodes.REFUSED, "confirmation " + (typed == null ? "missing" : "'" + typed.strip() + "'")
                        + " did not match " + app + "; nothing was changed");
            }
        });
    }

    // ---- step 4 ----

    private void rollBack(StepContext ctx, Environment env, Duration wait) throws StepFailed, InterruptedException {
        String app = env.app();
        PrintStream err = ctx.io().err();
        Platform platform = platform();
        // from the request on, an interrupted rollback says which release is live as the API reads it, never what was meant
        ctx.onInterruptSay(() -> liveState(platform, app));
        sent = Instant.now();
        try {
            made = platform.rollback(app, target);
        } catch (HerokuApiException e) {
            if (!e.outcomeUnknown()) throw ApiFailures.of("cannot roll back " + app + ": ", e, env, "; nothing was changed, "
                    + current.label() + " still runs");
            made = readBack(env, e);
            err.println("parity: the API's answer was lost (" + e.getMessage() + "), but the releases show " + describe(made)
                    + ": the rollback was made");
        }
        // as the official CLI warns: a rollback brings back code and config vars, nothing else
        err.println("parity: made " + describe(made) + ": the code and config vars of " + target.label()
                + "; add-ons and the database stay as they are");
        if (made.pending()) followReleasePhase(ctx, env, wait);
    }

    /** For the interrupted line: the live release as the API reads it now, and where to see the dynos. */
    private String liveState(Platform platform, String app) {
        try {
            return platform.currentRelease(app).map(r -> describe(r) + " is the live release of " + app).orElse(app + " has no live release")
                    + " (read back from the API); see its dynos with `" + title("ps") + "`";
        } catch (HerokuApiException e) {
            return "which release of " + app + " is live cannot be read (" + e.getMessage() + "): check `" + title("releases") + "`";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "check `" + title("releases") + "`";
        }
    }

    /** After a lost answer: the rollback's release if the API made it, else a failure saying nothing changed. */
    private Release readBack(Environment env, HerokuApiException lost) throws StepFailed, InterruptedException {
        String app = env.app();
        List<Release> releases;
        try {
            releases = platform().releases(app, Platform.RECENT_RELEASES);
        } catch (HerokuApiException e) {
            throw ApiFailures.of("the rollback's answer was lost (" + lost.getMessage() + ") and the releases cannot be read ("
                    + e.getMessage() + "): whether " + app + " was rolled back is unknown; check `" + title("releases") + "` before trying again");
        }
        String description = "Rollback to " + target.label();
        return releases.stream().filter(r -> r.version() > current.version() && r.description().startsWith(description))
                .max(java.util.Comparator.comparingInt(Release::version))
                .orElseThrow(() -> ApiFailures.of("cannot roll back " + app + ": " + lost.getMessage() + "; the releases show no '"
                        + description + "' after " + current.label() + ": the rollback was not made, nothing was changed, "
                        + current.label() + " still runs; run the command again"));
    }

    /** A release phase runs on the rollback's release when its slug has one: wait for it to succeed or fail. */
    private void followReleasePhase(StepContext ctx, Environment env, Duration wait) throws StepFailed, InterruptedException {
        String app = env.app();
        ctx.io().err().println("parity: " + made.label() + " runs its release phase; waiting for it");
        long deadline = System.nanoTime() + wait.toNanos();
        while (made.pending()) {
            if (System.nanoTime() >= deadline) {
                throw new StepFailed(ExitCodes.FAILED, "the release phase of " + made.label() + " did not end within " + waitText
                        + "; check `heroku releases:output " + made.label() + " --app " + app + "`");
            }
            Thread.sleep(POLL.toMillis());
            try {
                made = platform().release(app, made.label());
            } catch (HerokuApiException e) {
                throw ApiFailures.of("cannot read " + made.label() + " of " + app + " while its release phase runs: ", e, env,
                        "; check `" + title("releases") + "`");
            }
        }
        if (made.failed()) {
            throw new StepFailed(ExitCodes.FAILED, "the release phase of " + made.label() + " failed: " + current.label()
                    + " still runs; see `heroku releases:output " + made.label() + " --app " + app + "`");
        }
    }

    // ---- step 5 ----

    private void await(StepContext ctx, Environment env, Duration wait) throws StepFailed, InterruptedException {
        new DynoRestart(platform(), env, wait, ctx.io().err()).awaitUp(sent, made.version(),
                "not every dyno is up on " + made.label() + " (the rollback to " + target.label() + ")",
                "; the rollback to " + target.label() + " was made (" + made.label() + "), but whether every dyno runs it is unknown: "
                        + "check with `" + title("ps") + "`");
        ctx.io().out().println(env.label() + " runs " + made.label() + " (Rollback to " + target.label() + ")");
    }

    private Platform platform() throws StepFailed {
        try {
            return workspace.platform();
        } catch (HerokuApiException e) {
            throw ApiFailures.of(e.getMessage());
        }
    }
}
