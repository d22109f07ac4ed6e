package dev.parity.sandbox.run;

import dev.parity.process.Command;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.model.Dyno;
import dev.parity.sandbox.model.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;

/**
 * One {@code run.N} dyno: its command runs locally through {@code /bin/sh -c} in the app's code
 * directory, with stderr merged into stdout as on a dyno's PTY. Attached, the output streams to the
 * rendezvous client and the client's bytes feed stdin; detached, the output only reaches the log.
 */
public final class OneOffDyno {
    private static final byte EOF = 0x04;
    private static final byte INTERRUPT = 0x03;
    private static final long CLIENT_EOF_GRACE_SECONDS = 2;
    /** What {@code heroku run --exit-code} appends to the command (section 3.4). */
    private static final String EXIT_STATUS_ECHO = " ; echo \"\uFFFF heroku-command-exit-status: $?\"";

    private final Platform platform;
    private final SystemProcessRunner runner;
    private final App app;
    private final Dyno dyno;
    private final Map<String, String> env;
    private final ExecutorService threads;
    private final Consumer<OneOffDyno> onEnd;
    private final boolean terminal;
    /** Counted down when the client has sent its stdin EOF ({@code \x04}) or has gone. */
    private final CountDownLatch clientEof = new CountDownLatch(1);
    private volatile Process process;
    private volatile boolean ended;

    /**
     * {@code terminal}: the client runs on a terminal (the CLI sends COLUMNS then); it sends no
     * stdin EOF, so the session may close as soon as the command ends.
     */
    public OneOffDyno(Platform platform, SystemProcessRunner runner, App app, Dyno dyno, Map<String, String> env, boolean terminal,
                      ExecutorService threads, Consumer<OneOffDyno> onEnd) {
        this.platform = platform;
        this.runner = runner;
        this.terminal = terminal;
        this.app = app;
        this.dyno = dyno;
        this.env = Map.copyOf(env);
        this.threads = threads;
        this.onEnd = onEnd;
    }

    public Dyno dyno() {
        return dyno;
    }

    public App app() {
        return app;
    }

    /** run:detached: no client; the output goes to the log and the exit status with it. */
    public void startDetached() {
        threads.execute(() -> {
            Process p = launch();
            if (p == null) return;
            closeQuietly(p.getOutputStream());
            relay(p.getInputStream(), null);
            end(exitStatus(p));
        });
    }

    /** A client presented this dyno's secret: run the command and relay both ways. */
    public void attach(SSLSocket client) {
        if (ended) { // killed while it waited (time_to_live, sandbox close)
            Rendezvous.closeQuietly(client);
            return;
        }
        dyno.attachUrl = null; // the secret worked once; it is spent
        Process p = launch();
        if (p == null) {
            Rendezvous.closeQuietly(client);
            return;
        }
        Future<?> input = threads.submit(() -> feedStdin(client, p));
        try {
            relay(p.getInputStream(), client.getOutputStream());
        } catch (IOException e) {
            relay(p.getInputStream(), null); // the client is gone; the log still gets the output
        }
        end(exitStatus(p));
        if (!terminal) awaitClientEof();
        closeAfter(client, input);
    }

    /**
     * A piped CLI writes {@code \x04} when its stdin ends, and crashes (EPIPE) if the session has
     * closed by then. On Heroku the dyno's boot leaves it time; here a fast command could beat it.
     */
    private void awaitClientEof() {
        try {
            clientEof.await(CLIENT_EOF_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives up on a client that never attached (Heroku's R13). */
    public void attachTimedOut() {
        platform.logs().heroku(app.name, dyno.name, "Error R13 (Attach error) -> Failed to attach to process");
        platform.logs().heroku(app.name, dyno.name, "State changed from starting to complete");
        remove("complete");
    }

    /** Stops the command and what it started (time_to_live, sandbox close, a client that left). */
    public void kill() {
        Process p = process;
        if (p == null) {
            if (!ended) remove("complete");
            return;
        }
        stopTree(p, true);
    }

    /**
     * Signals the shell's children a few times before the shell itself: a child forked a moment
     * ago is caught while the shell still holds it, instead of being orphaned with the output pipe
     * open (which would keep the session from ever ending).
     */
    private static void stopTree(Process p, boolean force) {
        for (int round = 0; round < 3; round++) {
            p.descendants().forEach(h -> {
                if (force) h.destroyForcibly(); else h.destroy();
            });
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (force) p.destroyForcibly(); else p.destroy();
    }

    /** Ctrl-C: SIGTERM to the command and what it started (a Java process cannot send SIGINT). */
    private void interrupt() {
        Process p = process;
        if (p == null) return;
        stopTree(p, false);
    }

    private Process launch() {
        Map<String, String> vars = new LinkedHashMap<>(env);
        vars.put("DYNO", dyno.name);
        Set<String> secrets;
        synchronized (app) {
            secrets = Set.copyOf(app.configVars.keySet()); // DATABASE_URL and friends are never shown
        }
        Command command = new Command(List.of("/bin/sh", "-c", script(dyno.command)), vars, secrets, app.codeDir, false);
        if (ended) return null; // killed before it started (sandbox closing): its directories may be going away
        try {
            Files.createDirectories(app.codeDir);
            process = runner.start(command, true);
        } catch (IOException | RuntimeException e) {
            platform.logs().append(app.name, "app", dyno.name, "sandbox: cannot start /bin/sh: " + e.getMessage());
            end(127);
            return null;
        }
        synchronized (app) {
            dyno.state = "up";
            dyno.updatedAt = platform.clock().instant();
        }
        platform.logs().heroku(app.name, dyno.name, "State changed from starting to up");
        if (ended) kill(); // the sandbox closed while the process started
        return process;
    }

    /**
     * The command as the shell runs it. Behind the CLI's exit-status echo (which a trailing
     * {@code # comment} may follow: parity tags its runs so), the user's part runs in a subshell:
     * an {@code exit 3} there then ends only that part, and the echo still reports 3, as
     * {@code heroku run -x 'exit 3'} does on Heroku.
     */
    static String script(String command) {
        int echo = command.lastIndexOf(EXIT_STATUS_ECHO);
        if (echo < 0) return command;
        String rest = command.substring(echo + EXIT_STATUS_ECHO.length());
        if (!rest.isEmpty() && !rest.matches(" #[^\n]*")) return command;
        return "(\n" + command.substring(0, echo) + "\n)" + EXIT_STATUS_ECHO + rest;
    }

    /** Copies the process output to the client as a PTY would ({@code \n} → {@code \r\n}) and to the log. */
    private void relay(InputStream from, OutputStream client) {
        LogLines log = new LogLines(line -> platform.logs().append(app.name, "app", dyno.name, line));
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = from.read(buf)) != -1; ) {
                log.accept(buf, n);
                if (client == null) continue;
                try {
                    client.write(crlf(buf, n));
                    client.flush();
                } catch (IOException e) {
                    client = null; // keep draining, so the process never blocks on a full pipe
                }
            }
        } catch (IOException e) {
            // the process was killed
        } finally {
            log.flush();
        }
    }

    private static byte[] crlf(byte[] buf, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 16);
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') out.write('\r');
            out.write(buf[i]);
        }
        return out.toByteArray();
    }

    /** Client bytes go to stdin; {@code \x04} closes stdin, {@code \x03} interrupts. Reads until the client closes. */
    private void feedStdin(SSLSocket client, Process p) {
        OutputStream stdin = p.getOutputStream();
        boolean open = true;
        byte[] buf = new byte[8192];
        try {
            InputStream in = client.getInputStream();
            for (int n; (n = in.read(buf)) != -1; ) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != EOF && buf[i] != INTERRUPT) continue;
                    if (open) open = write(stdin, buf, from, i - from);
                    if (buf[i] == EOF) {
                        closeQuietly(stdin);
                        open = false;
                        clientEof.countDown();
                    } else {
                        interrupt();
                    }
                    from = i + 1;
                }
                if (open) open = write(stdin, buf, from, n - from);
            }
        } catch (IOException e) {
            // the client went away, or we closed the connection
        }
        clientEof.countDown();
        closeQuietly(stdin);
        if (!ended) kill(); // the client left before the process ended: a dyno without a terminal hangs up
    }

    private static boolean write(OutputStream stdin, byte[] buf, int from, int len) {
        try {
            stdin.write(buf, from, len);
            stdin.flush();
            return true;
        } catch (IOException e) {
            return false; // the process closed its stdin
        }
    }

    /** close_notify and FIN first; the client answers with its own close, read by the stdin feed. */
    private static void closeAfter(SSLSocket client, Future<?> input) {
        try {
            client.shutdownOutput();
            input.get(2, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Rendezvous.closeQuietly(client);
        }
    }

    private int exitStatus(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            return 137;
        }
    }

    private void end(int status) {
        platform.logs().heroku(app.name, dyno.name, "Process exited with status " + status);
        platform.logs().heroku(app.name, dyno.name, "State changed from up to complete");
        remove("complete");
    }

    private void remove(String state) {
        ended = true;
        synchronized (app) {
            dyno.state = state;
            dyno.updatedAt = platform.clock().instant();
            app.dynos.remove(dyno);
        }
        onEnd.accept(this);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
