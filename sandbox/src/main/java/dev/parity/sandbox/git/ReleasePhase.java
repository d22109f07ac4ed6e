package dev.parity.sandbox.git;

import dev.parity.process.Command;
import dev.parity.sandbox.Sandbox;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.model.Release;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a Procfile's {@code release:} command as Heroku's release phase does: in a one-off
 * {@code release.N} dyno (listed among the app's dynos while it runs) in the new code, with the
 * app's config vars, its output streamed to the pusher and to the app's log.
 */
public final class ReleasePhase {
    private final Sandbox s;
    private final Set<Process> running;

    ReleasePhase(Sandbox s, Set<Process> running) {
        this.s = s;
        this.running = running;
    }

    /** Runs {@code command} for {@code release}; returns its exit status. */
    public int run(App app, Release release, String command, PushOutput out) throws IOException, InterruptedException {
        String name = "release." + ThreadLocalRandom.current().nextInt(1000, 10000);
        Dyno dyno = new Dyno(name, "release", command, "Basic", release.version, s.clock().instant());
        Map<String, String> config;
        synchronized (app) {
            app.dynos.add(dyno);
            config = Map.copyOf(app.configVars);
        }
        s.logs().heroku(app.name, name, "Starting process with command `" + command + "`");
        Command c = Command.of("/bin/sh", "-c", command).in(app.codeDir);
        for (Map.Entry<String, String> e : config.entrySet()) c = c.withEnv(e.getKey(), e.getValue());
        c = c.withEnv("DYNO", name);
        int status = 1;
        try {
            Process p = s.runner().start(c, true);
            running.add(p);
            try {
                p.getOutputStream().close();
                state(app, dyno, "up");
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        out.line(line);
                        s.logs().append(app.name, "app", name, line);
                    }
                }
                status = p.waitFor();
            } finally {
                p.destroyForcibly();
                running.remove(p);
            }
        } finally {
            s.logs().heroku(app.name, name, "Process exited with status " + status);
            state(app, dyno, "complete");
            synchronized (app) {
                app.dynos.remove(dyno);
            }
        }
        return status;
    }

    private void state(App app, Dyno dyno, String to) {
        s.logs().heroku(app.name, dyno.name, "State changed from " + dyno.state + " to " + to);
        dyno.state = to;
        dyno.updatedAt = s.clock().instant();
    }
}
