package dev.parity.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parity.env.Environment;
import dev.parity.heroku.HerokuApi;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.logs.Colorizer;
import dev.parity.logs.LogFilter;
import dev.parity.logs.LogLine;
import dev.parity.logs.LogStream;
import dev.parity.logs.LogStreamException;
import dev.parity.steps.Action;
import dev.parity.steps.Sequence;
import dev.parity.steps.StepFailed;
import dev.parity.ui.Io;
import dev.parity.ui.Redact;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The app's log, read natively: a log session through the Platform API, then its stream (Server-Sent
 * Events, reconnecting with Last-Event-ID). With no filter flag each line is printed exactly as
 * {@code heroku logs --tail} prints it; {@code --ps/--dyno/--source} go to the server (as the CLI
 * sends them) and are applied again here, {@code --errors} is applied here.
 */
@Command(name = "tail", header = "Follow the app's log; filter by process, dyno, source, errors.", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Follow the app's log (as heroku logs --tail), natively; filter by process type, dyno, "
                + "source, or errors only.")
final class Tail extends Verb {
    @Option(names = {"-n", "--num"}, paramLabel = "N", description = "Lines of backlog to print first (default: ${DEFAULT-VALUE}).")
    int num = 100;

    @Option(names = {"-p", "--ps", "--process-type"}, paramLabel = "TYPE", description = "Only this process type (web matches web.1, web.2, …).")
    String ps;

    @Option(names = {"-d", "--dyno", "--dyno-name"}, paramLabel = "NAME", description = "Only this dyno (web.1).")
    String dyno;

    @Option(names = {"-s", "--source"}, paramLabel = "SOURCE", description = "Only this source: app or heroku.")
    String source;

    @Option(names = "--errors", description = "Only error lines: router at=error or status >= 500, Heroku error codes (H12, R14, L10).")
    boolean errors;

    @Option(names = "--no-tail", description = "Print the backlog and exit.")
    boolean noTail;

    @Option(names = {"-t", "--tail"}, hidden = true, description = "Follow the log (the default).")
    boolean tailFlag;

    @Option(names = "--color", paramLabel = "WHEN", description = "always, never or auto (default: colour when stdout is a terminal and NO_COLOR is unset).")
    String color = "auto";

    @Override
    protected Sequence sequence() throws InterruptedException {
        Environment env = remoteEnvironment("tail");
        if (ps != null && dyno != null) throw new UsageError("--ps and --dyno cannot be used together");
        if (num < 0) throw new UsageError("--num must be 0 or more (got " + num + ")");
        if (source != null && source.isBlank()) throw new UsageError("--source needs a value: app or heroku");
        Colorizer.Mode mode = switch (color) {
            case "always" -> Colorizer.Mode.ALWAYS;
            case "never" -> Colorizer.Mode.NEVER;
            case "auto" -> Colorizer.Mode.AUTO;
            default -> throw new UsageError("--color must be always, never or auto (got " + color + ")");
        };
        boolean tail = !noTail;
        LogStream.Request request = new LogStream.Request(num, tail, ps != null ? ps : dyno, source);
        LogFilter filter = new LogFilter(ps, dyno, source, errors);
        List<String> clientSide = new ArrayList<>();
        if (errors) clientSide.add("errors only");
        String plan = "POST " + Platform.logSessionsPath(env.app()) + " " + json(request.body())
                + ", then GET its logplex_url (Accept: text/event-stream)"
                + (tail ? ", reconnecting with Last-Event-ID until Ctrl-C" : ", until the server ends it")
                + (clientSide.isEmpty() ? "" : "; keep " + String.join(", ", clientSide));
        Action read = new Action((tail ? "tail the log of " : "print the log of ") + env.app(), plan,
                ctx -> stream(ctx.io(), env.app(), request, filter, mode));
        return new Sequence(title("tail"), List.of(read), List.of("app: " + env.app() + " (from " + env.source() + ")"));
    }

    private void stream(Io io, String app, LogStream.Request request, LogFilter filter, Colorizer.Mode mode)
            throws StepFailed, InterruptedException {
        try {
            Platform platform = workspace.platform();
            Colorizer colorizer = new Colorizer(Colorizer.colourOn(mode, io.interactive(), io.env()), Colorizer.rawLines(io.env()));
            PrintStream out = io.out();
            StringBuilder b = new StringBuilder(512);
            LogStream stream = new LogStream(() -> platform.logSession(app, request)
                    .orElseThrow(() -> new LogStreamException("the log session has no logplex_url")), request.tail(), io.err());
            stream.run(raw -> {
                LogLine line = LogLine.parse(raw);
                if (!filter.matches(line)) return;
                b.setLength(0);
                colorizer.render(line, b);
                b.append('\n');
                out.print(b);
            });
            out.flush();
        } catch (HerokuApiException | LogStreamException e) {
            throw new StepFailed(ExitCodes.API, Redact.url(e.getMessage()));
        }
    }

    private static String json(Object body) {
        try {
            return HerokuApi.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return String.valueOf(body);
        }
    }
}
