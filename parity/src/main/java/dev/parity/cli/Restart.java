package dev.parity.cli;

import dev.parity.heroku.ApiFailures;
import dev.parity.env.Environment;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.steps.Action;
import dev.parity.steps.Sequence;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `restart [TYPE|DYNO]` through the Platform API: every dyno, one dyno when the argument has a dot
 * ({@code web.1}), else one process type. Progress on stderr as the CLI prints it.
 */
@picocli.CommandLine.Command(name = "restart", header = "Restart every dyno, a process type (web) or one dyno (web.1).", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Restart every dyno, one process type (web) or one dyno (web.1).")
final class Restart extends Verb {

    @Parameters(arity = "0..1", paramLabel = "TYPE|DYNO", description = "A process type (web) or a dyno name (web.1); none: every dyno.")
    String target;

    @Option(names = {"-p", "--process-type"}, paramLabel = "TYPE", description = "Restart the dynos of this process type.")
    String processType;

    @Option(names = {"-d", "--dyno-name"}, paramLabel = "DYNO", description = "Restart this dyno.")
    String dynoName;

    /** The restart request the plan names. */
    private interface Call {
        void run(Platform platform) throws InterruptedException;
    }

    @Override
    protected Sequence sequence() throws InterruptedException {
        Environment env = remoteEnvironment("restart");
        String app = env.app();
        String type = processType;
        String dyno = dynoName;
        if (type == null && dyno == null && target != null) {
            if (target.contains(".")) dyno = target;
            else type = target;
        }
        if (type != null && dyno != null) throw new UsageError("give a process type or a dyno, not both");
        String path;
        String what;
        Call restart;
        if (type != null) {
            String t = type;
            path = Platform.formationPath(app, t);
            what = "all " + t + " dynos";
            restart = p -> p.restartType(app, t);
        } else if (dyno != null) {
            String d = dyno;
            path = Platform.dynoPath(app, d);
            what = "dyno " + d;
            restart = p -> p.restartDyno(app, d);
        } else {
            path = Platform.dynosPath(app);
            what = "all dynos";
            restart = p -> p.restartAll(app);
        }
        String message = "Restarting " + what + " on " + app + "...";
        String base = workspace.hosts().apiBase();
        return new Sequence(title("restart"), List.of(new Action("restart " + app, "DELETE " + base + path, ctx -> {
            var err = workspace.io().err();
            err.print(message);
            err.flush();
            try {
                restart.run(workspace.platform());
            } catch (HerokuApiException e) {
                err.println(" failed");
                throw ApiFailures.of(e, env);
            }
            err.println(" done");
        })), List.of("app: " + app + " (from " + env.source() + ")"));
    }
}
