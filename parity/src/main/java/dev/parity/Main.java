package dev.parity;

import dev.parity.cli.Parity;
import dev.parity.process.SystemProcessRunner;
import dev.parity.ui.Io;

/** The jar's entry point: real terminal, real environment, real programs. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Io io = Io.system();
        int code = new Parity(io, new SystemProcessRunner(io.env(), io.cwd())).run(args);
        System.out.flush();
        System.exit(code);
    }
}
