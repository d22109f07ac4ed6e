package dev.parity.heroku;

import dev.parity.process.Command;
import dev.parity.process.ShellWords;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * argv for the official {@code heroku} CLI, for what stays with it. The app is always named with
 * {@code --app APP} where the CLI reads it as its own option, so neither {@code HEROKU_APP} nor
 * the current directory's remotes can redirect a command to another app.
 */
public final class HerokuCli {
    public static final String PROGRAM = "heroku";

    /**
     * Commands that rebuild the remote command from the raw argv, keeping every word that equals
     * one of their arguments: {@code heroku run --app myapp echo myapp} would run
     * {@code myapp echo myapp}. For these the app goes in one word, {@code --app=APP}.
     */
    private static final Set<String> REREAD_RAW_ARGV = Set.of("run", "run:inside");

    private HerokuCli() {}

    /**
     * {@code heroku ARGS… --app APP}, every argument exactly as given. {@code --app APP} goes
     * before the first {@code --}: after it the CLI takes it for an argument of the command and
     * falls back to {@code HEROKU_APP} or the git remotes for the app.
     */
    public static Command command(String app, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(PROGRAM);
        int dashDash = args.indexOf("--");
        List<String> before = dashDash < 0 ? args : args.subList(0, dashDash);
        argv.addAll(before);
        if (!args.isEmpty() && REREAD_RAW_ARGV.contains(args.get(0))) {
            argv.add("--app=" + app);
        } else {
            argv.add("--app");
            argv.add(app);
        }
        if (dashDash >= 0) argv.addAll(args.subList(dashDash, args.size()));
        return Command.of(argv);
    }

    public static Command command(String app, String... args) {
        return command(app, List.of(args));
    }

    /**
     * {@code heroku run --exit-code --app APP COMMAND}: the dyno runs {@code COMMAND} through a shell,
     * so extra arguments are quoted for that shell and the whole command is passed as one argument
     * (the CLI passes a single argument through verbatim), which no option of the user's can
     * precede. {@code --exit-code} makes the remote status ours.
     */
    public static Command run(String app, String remoteCommand, List<String> extraArgs) {
        StringBuilder cmd = new StringBuilder(remoteCommand);
        for (String a : extraArgs) cmd.append(' ').append(ShellWords.quote(a));
        return Command.of(PROGRAM, "run", "--exit-code", "--app", app, cmd.toString());
    }
}
