package dev.parity.cli;

import dev.parity.deploys.ApiAccess;
import dev.parity.deploys.MaintenanceGuard;
import dev.parity.deploys.MigrationSteps;
import dev.parity.env.Environment;
import dev.parity.heroku.ApiFailures;
import dev.parity.heroku.HerokuApi;
import dev.parity.heroku.HerokuApiException;
import dev.parity.steps.Sequence;
import dev.parity.steps.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the migration in a one-off dyno (Platform API + rendezvous, no heroku CLI) and, only if it
 * succeeded, restarts every dyno and waits until each is up again with a boot time after the
 * migration's end, so no dyno keeps serving with the old schema cached ("stuck dynos").
 */
@Command(name = "migrate", header = "Migrate in a one-off dyno; restart only if it succeeded.", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run the migration in a one-off dyno, then, if and only if it succeeded, restart every dyno "
                + "and wait until each is up again after the migration.")
final class Migrate extends Verb {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    @Option(names = "--no-restart", description = "Migrate only; leave the dynos running.")
    boolean noRestart;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long to wait for every dyno to be up again after the restart (90s, 5m; default ${DEFAULT-VALUE}).")
    String waitText;

    @Option(names = "--maintenance", description = "Turn maintenance mode on around the migration and the restart; "
            + "it is turned off again however the run ends (also on failure and Ctrl-C).")
    boolean maintenance;

    @Override
    protected Sequence sequence() throws InterruptedException {
        Duration wait = parseDuration(waitText);
        Environment env = remoteEnvironment("migrate");
        String app = env.app();
        Commands.Chosen migrate = Commands.migrate(workspace);
        MigrationSteps migration = new MigrationSteps(platform(), env, migrate.command(), wait, waitText,
                workspace.cacheDirectory(), new MigrationSteps.Hints(title("restart"), title("ps")));
        MaintenanceGuard guard = new MaintenanceGuard(platform(), env);
        migration.alsoSay(guard::interruptedState);
        List<Step> steps = new ArrayList<>();
        if (maintenance) steps.add(guard.turnOn());
        steps.add(migration.run(apiTimeout(workspace), "stop here, restart nothing", null));
        if (!noRestart) {
            steps.add(migration.restart());
            steps.add(migration.await("", () -> 0));
        }
        if (maintenance) steps.add(guard.turnOff());
        return new Sequence(title("migrate"), steps, List.of("app: " + app + " (from " + env.source() + ")",
                "migrate command: " + migrate.command() + " (" + migrate.source() + ")"));
    }

    /** The Platform API for a step, a missing token failing that step. */
    ApiAccess platform() {
        return () -> {
            try {
                return workspace.platform();
            } catch (HerokuApiException e) {
                throw ApiFailures.of(e.getMessage());
            }
        };
    }

    /** The API timeout as a plan names it: {@code 30 s}, or what {@code PARITY_API_TIMEOUT} sets. */
    static String apiTimeout(Workspace workspace) {
        try {
            return HerokuApi.readTimeout(workspace.io().env()).toSeconds() + " s";
        } catch (HerokuApiException e) {
            return "PARITY_API_TIMEOUT"; // refused with its own message when the API is used
        }
    }

    /** {@code 90s}, {@code 5m}, {@code 1h}, {@code 500ms}; a bare number is seconds. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.strip());
        if (!m.matches()) throw new UsageError("--wait must be a duration such as 90s or 5m, not '" + text + "'");
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d;
        try {
            long n = Long.parseLong(m.group(1));
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            d = null;
        }
        // a bound keeps every deadline computed from it (nanoTime + wait) from overflowing, and refuses it before anything runs
        if (d == null || d.compareTo(LONGEST_WAIT) > 0) throw new UsageError("--wait must be at most 24h, not '" + text + "'");
        return d;
    }

    /** The longest --wait: no release or restart takes longer. */
    static final Duration LONGEST_WAIT = Duration.ofHours(24);
}
