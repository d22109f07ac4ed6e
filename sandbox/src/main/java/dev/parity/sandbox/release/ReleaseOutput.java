package dev.parity.sandbox.release;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The output of one release command, kept for {@code output_stream_url}: readers get what was
 * written so far, then each new line as it comes, until the command ends.
 */
public final class ReleaseOutput {
    private final List<String> lines = new ArrayList<>();
    private boolean finished;

    public synchronized void line(String text) {
        lines.add(text);
        notifyAll();
    }

    public synchronized void finish() {
        finished = true;
        notifyAll();
    }

    public synchronized boolean finished() {
        return finished;
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Writes every line to {@code out}, flushing each, and returns when the command has ended. */
    public void copyTo(OutputStream out) throws IOException, InterruptedException {
        int next = 0;
        while (true) {
            List<String> batch;
            boolean done;
            synchronized (this) {
                while (next == lines.size() && !finished) wait();
                batch = List.copyOf(lines.subList(next, lines.size()));
                done = finished;
            }
            for (String l : batch) out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            next += batch.size();
            if (done && batch.isEmpty()) return;
        }
    }
}
