package dev.parity.deploys;

import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.heroku.Release;
import dev.parity.logs.LogFilter;
import dev.parity.logs.LogLine;
import dev.parity.logs.LogStream;
import dev.parity.logs.LogStreamException;
import dev.parity.steps.Action;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import dev.parity.ui.Redact;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code deploy --watch DURATION}: after the deploy, follows the app's log for DURATION and counts
 * error lines (what {@code tail --errors} keeps: router {@code at=error} or status 5xx, H/R/L error
 * codes), and counts them in the same length of time just before the deploy began, from a log
 * session's recent lines ({@value #BACKLOG} of them) filtered by their timestamps.
 *
 * <p>"Clearly worse" is: at least {@value #MIN_ERRORS} errors after the deploy, and more than
 * twice as many per minute as before it. Then the watch fails and prints the command that rolls
 * back to the release before the deploy's.
 */
public final class ErrorWatch {
    public static final int BACKLOG = 1500;
    public static final int MIN_ERRORS = 3;
    /** The longest watch: a day's errors are for the log, not for one deploy's verdict. */
    static final Duration LONGEST = Duration.ofHours(24);
    private static final Pattern DURATION = Pattern.compile("(\\d+)(s|m|h)?");

    /** Errors in a window of time: how many, and how long the window really covered. */
    public record Count(int errors, Duration covered) {
        public double perMinute() {
            long ms = covered.toMillis();
            return ms <= 0 ? 0 : errors * 60_000.0 / ms;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%.1f/min (%d error%s in %s)", perMinute(), errors, errors == 1 ? "" : "s", human(covered));
        }
    }

    private final java.util.function.Supplier<Platform> platforms;
    private Platform platform;
    private final String app;
    private final Duration window;
    private final Instant deployStarted;

    /** {@code platforms} is asked only when the watch runs (a dry run needs no credentials). */
    public ErrorWatch(java.util.function.Supplier<Platform> platforms, String app, Duration window, Instant deployStarted) {
        this.platforms = platforms;
        this.app = app;
        this.window = window;
        this.deployStarted = deployStarted;
    }

    /** {@code 90s}, {@code 2m}, {@code 1h}; a bare number is seconds. At least one second, at most a day. */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.strip());
        if (!m.matches()) throw new IllegalArgumentException("--watch must be a duration such as 90s or 2m, not '" + text + "'");
        Duration d;
        try {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            d = null; // more digits than any duration has
        }
        if (d == null || d.compareTo(LONGEST) > 0) throw new IllegalArgumentException("--watch must be at most 24h, not '" + text + "'");
        if (d.isZero()) throw new IllegalArgumentException("--watch must be at least 1s");
        return d;
    }

    /** Whether the errors after the deploy are clearly worse than before it (see the class comment). */
    public static boolean clearlyWorse(Count before, Count after) {
        return after.errors() >= MIN_ERRORS && after.perMinute() > 2 * before.perMinute();
    }

    /**
     * The errors among {@code lines} (oldest first) timed in {@code [end - window, end)}. When the
     * backlog was full and its oldest line is younger than the window's start, the window covered
     * only from that line on.
     */
    public static Count before(List<String> lines, Instant end, Duration window, boolean backlogFull) {
        Instant start = end.minus(window);
        Instant oldest = null;
        int errors = 0;
        for (String raw : lines) {
            LogLine line = LogLine.parse(raw);
            Optional<Instant> at = time(line);
            if (at.isEmpty()) continue;
            if (oldest == null || at.get().isBefore(oldest)) oldest = at.get();
            if (at.get().isBefore(start) || !at.get().isBefore(end)) continue;
            if (LogFilter.isError(line)) errors++;
        }
        Instant from = backlogFull && oldest != null && oldest.isAfter(start) ? oldest : start;
        return new Count(errors, Duration.between(from, end).isNegative() ? Duration.ZERO : Duration.between(from, end));
    }

    static Optional<Instant> time(LogLine line) {
        if (line.timestamp().isEmpty()) return Optional.empty();
        try {
            return Optional.of(OffsetDateTime.parse(line.timestamp()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The step deploy appends: {@code rollback} is how the user types the rollback verb ({@code production rollback}). */
    public Action step(String rollback) {
        String plan = "POST /apps/" + app + "/log-sessions {lines: " + BACKLOG + ", tail: false}: count error lines (router at=error or "
                + "status >= 500, H/R/L codes) timed in the " + human(window) + " before the deploy began; then POST /apps/" + app
                + "/log-sessions {lines: 0, tail: true} and count error lines for " + human(window) + "; fail with the command "
                + "`" + rollback + " vN` (vN: the release before the deploy's) when at least " + MIN_ERRORS
                + " errors came and their rate is more than twice the rate before";
        return new Action("watch the errors of " + app + " for " + human(window), plan, ctx -> run(ctx.io().err(), rollback));
    }

    private void run(PrintStream err, String rollback) throws StepFailed, InterruptedException {
        Count before;
        Count after;
        try {
            platform = platforms.get();
            List<String> backlog = new ArrayList<>();
            new LogStream(() -> platform.logSession(app, new LogStream.Request(BACKLOG, false, null, null).body()), false, err)
                    .run(backlog::add);
            before = before(backlog, deployStarted, window, backlog.size() >= BACKLOG);
            err.println("parity: errors before the deploy: " + before.describe() + "; following the log for " + human(window) + " …");
            after = follow(err);
        } catch (HerokuApiException | LogStreamException e) {
            throw new StepFailed(ExitCodes.API, "cannot read the log of " + app + ": " + Redact.url(e.getMessage())
                    + "; the deploy itself is done");
        }
        err.println("parity: errors per minute: before the deploy " + before.describe() + ", after it " + after.describe());
        if (!clearlyWorse(before, after)) {
            err.println("parity: the error rate after the deploy is not clearly worse (that needs at least " + MIN_ERRORS
                    + " errors and more than twice the rate before)");
            return;
        }
        String command = rollbackCommand(rollback);
        throw new StepFailed(ExitCodes.FAILED, "the error rate after the deploy is clearly worse: " + after.describe() + " against "
                + before.describe() + " before it. To roll back: " + command);
    }

    /** Follows the log for the window, counting error lines; the stream ends when the window does. */
    private Count follow(PrintStream err) throws InterruptedException {
        AtomicInteger errors = new AtomicInteger();
        LogStream stream = new LogStream(() -> platform.logSession(app, new LogStream.Request(0, true, null, null).body()), true, err);
        RuntimeException[] failed = new RuntimeException[1];
        Thread reader = new Thread(() -> {
            try {
                stream.run(raw -> {
                    if (LogFilter.isError(LogLine.parse(raw))) errors.incrementAndGet();
                });
            } catch (InterruptedException e) {
                // stopped
            } catch (RuntimeException e) {
                failed[0] = e;
            }
        }, "parity-error-watch");
        reader.setDaemon(true);
        reader.start();
        try {
            reader.join(window.toMillis());
        } finally {
            stream.stop();
            reader.interrupt();
            reader.join(5000);
        }
        if (failed[0] != null) throw failed[0];
        return new Count(errors.get(), window);
    }

    /** {@code production rollback v41}: the release before the current one, as rollback picks it by default. */
    private String rollbackCommand(String rollback) throws InterruptedException {
        try {
            List<Release> releases = platform.releases(app, Platform.RECENT_RELEASES);
            Optional<Release> current = Release.current(releases);
            Optional<Release> target = current.flatMap(c -> RollbackTarget.before(releases, c));
            return target.map(t -> rollback + " " + t.label()).orElse(rollback + " (no earlier release found to name)");
        } catch (HerokuApiException e) {
            return rollback + " (the releases could not be read to name the version: " + e.getMessage() + ")";
        }
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 60 && s % 60 == 0) return s / 60 + "m";
        if (s >= 1) return s + "s";
        return d.toMillis() + "ms";
    }
}
