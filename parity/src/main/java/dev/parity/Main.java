package dev.parity;

import dev.parity.cli.Parity;
import dev.parity.process.SystemProcessRunner;
import dev.parity.steps.Interruption;
import dev.parity.ui.Io;

/** The jar's entry point: real terminal, real environment, real programs. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Io io = Io.system();
        Interruption.install(io.err()); // Ctrl-C and SIGTERM: clean up, then one line saying so
        int code = new Parity(io, new SystemProcessRunner(io.env(), io.cwd())).run(args);
        Interruption.finished();
        System.out.flush();
        System.exit(code);
    }
}
