package dev.parity.heroku;

import dev.parity.process.Command;
import dev.parity.process.ShellWords;
import java.util.ArrayList;
import java.util.List;

/**
 * argv for the official {@code heroku} CLI, for what stays with it. The app is always named with
 * {@code --app APP}, so neither {@code HEROKU_APP} nor the current directory's remotes can redirect
 * a command to another app.
 */
public final class HerokuCli {
    public static final String PROGRAM = "heroku";

    private HerokuCli() {}

    /** {@code heroku ARGS… --app APP}, every argument exactly as given. */
    public static Command command(String app, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(PROGRAM);
        argv.addAll(args);
        argv.add("--app");
        argv.add(app);
        return Command.of(argv);
    }

    public static Command command(String app, String... args) {
        return command(app, List.of(args));
    }

    /**
     * {@code heroku run --exit-code --app APP COMMAND}: the dyno runs {@code COMMAND} through a shell,
     * so extra arguments are quoted for that shell and the whole command is passed as one argument
     * (the CLI passes a single argument through verbatim). {@code --exit-code} makes the remote
     * status ours.
     */
    public static Command run(String app, String remoteCommand, List<String> extraArgs) {
        StringBuilder cmd = new StringBuilder(remoteCommand);
        for (String a : extraArgs) cmd.append(' ').append(ShellWords.quote(a));
        return Command.of(PROGRAM, "run", "--exit-code", "--app", app, cmd.toString());
    }
}
