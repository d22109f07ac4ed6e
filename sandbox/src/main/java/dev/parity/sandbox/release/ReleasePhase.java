package dev.parity.sandbox.release;

import dev.parity.process.Command;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.model.Platform;
import dev.parity.sandbox.model.Release;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Runs a Procfile's {@code release:} command as Heroku's release phase does: in a one-off
 * {@code release.N} dyno (listed among the app's dynos while it runs) in the release's code, with
 * the release's config vars, its output kept for {@code output_stream_url}, copied to the app's
 * log and to whoever watches (the pusher of a deploy).
 */
final class ReleasePhase {
    private final Platform platform;
    private final SystemProcessRunner runner;
    private final Set<Process> running;
    private final ReleaseOutputs outputs;

    ReleasePhase(Platform platform, SystemProcessRunner runner, Set<Process> running, ReleaseOutputs outputs) {
        this.platform = platform;
        this.runner = runner;
        this.running = running;
        this.outputs = outputs;
    }

    /** A release command that has started: {@link #await} reads its output and returns its exit status. */
    final class Started {
        private final App app;
        private final Dyno dyno;
        private final Process process;
        private final ReleaseOutput output;

        private Started(App app, Dyno dyno, Process process, ReleaseOutput output) {
            this.app = app;
            this.dyno = dyno;
            this.process = process;
            this.output = output;
        }

        int await(Consumer<String> watcher) throws InterruptedException {
            int status = 1;
            try {
                if (process != null) {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = r.readLine(); line != null; line = r.readLine()) {
                            output.line(line);
                            watcher.accept(line);
                            platform.logs().append(app.name, "app", dyno.name, line);
                        }
                    } catch (IOException e) {
                        // the process was stopped (sandbox closing): its status says so
                    }
                    status = process.waitFor();
                }
            } finally {
                if (process != null) {
                    process.destroyForcibly();
                    running.remove(process);
                }
                platform.logs().heroku(app.name, dyno.name, "Process exited with status " + status);
                state(app, dyno, "complete");
                synchronized (app) {
                    app.dynos.remove(dyno);
                }
                output.finish();
            }
            return status;
        }
    }

    /** Starts {@code command} for {@code release} in the app's code directory, with {@code config}. */
    Started start(App app, Release release, String command, Map<String, String> config) {
        String name = "release." + ThreadLocalRandom.current().nextInt(1000, 10000);
        Dyno dyno = new Dyno(name, "release", command, "Basic", release.version, platform.clock().instant());
        synchronized (app) {
            app.dynos.add(dyno);
        }
        platform.logs().heroku(app.name, name, "Starting process with command `" + command + "`");
        Command c = Command.of("/bin/sh", "-c", command).in(app.codeDir);
        for (Map.Entry<String, String> e : config.entrySet()) c = c.withEnv(e.getKey(), e.getValue());
        c = c.withEnv("DYNO", name);
        ReleaseOutput output = outputs.started(release.id);
        Process p;
        try {
            p = runner.start(c, true);
        } catch (IOException e) {
            output.line("cannot start the release command: " + e.getMessage());
            return new Started(app, dyno, null, output);
        }
        running.add(p);
        try {
            p.getOutputStream().close(); // no stdin, as on a dyno without a terminal
        } catch (IOException ignored) {
            // the command already ended
        }
        state(app, dyno, "up");
        return new Started(app, dyno, p, output);
    }

    private void state(App app, Dyno dyno, String to) {
        platform.logs().heroku(app.name, dyno.name, "State changed from " + dyno.state + " to " + to);
        dyno.state = to;
        dyno.updatedAt = platform.clock().instant();
    }
}
