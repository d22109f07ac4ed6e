package dev.parity.sandbox.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What the pusher sees as {@code remote:} lines. A pusher that hangs up (Ctrl-C) must not stop
 * the deploy, as on Heroku: after the first failed write the output is dropped.
 */
public final class PushOutput {
    private final OutputStream out;
    private volatile boolean gone;

    public PushOutput(OutputStream out) {
        this.out = out;
    }

    /** Output to nowhere, for a deploy nobody watches. */
    public static PushOutput discard() {
        return new PushOutput(OutputStream.nullOutputStream());
    }

    public synchronized void line(String text) {
        if (gone) return;
        try {
            out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            gone = true;
        }
    }

    /** Ends the output; a pusher already gone is no error. */
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            gone = true;
        }
    }

    /** A build step: {@code -----> text}. */
    public void step(String text) {
        line("-----> " + text);
    }

    /** A detail under a step, indented as Heroku's buildpacks do. */
    public void detail(String text) {
        line("       " + text);
    }

    /** A warning: {@code  !     text}. */
    public void warn(String text) {
        line(" !     " + text);
    }
}
