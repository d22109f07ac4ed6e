package dev.parity.sandbox.cli;

import dev.parity.sandbox.Sandbox;
import dev.parity.steps.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The background process {@code parity sandbox start} launches: runs a sandbox until SIGTERM,
 * then stops it (and its PostgreSQL cluster) and removes its pid and port files.
 * Usage: {@code SandboxServer DIR PORT BOOT_DELAY_MS [DOWNLOAD_BYTES_PER_SECOND]}.
 */
public final class SandboxServer {
    private SandboxServer() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        SandboxDir dir = new SandboxDir(Path.of(args[0]));
        int port = Integer.parseInt(args[1]);
        Duration bootDelay = Duration.ofMillis(Long.parseLong(args[2]));
        long downloadRate = args.length > 3 ? Long.parseLong(args[3]) : 0;
        Files.createDirectories(dir.dir());
        Sandbox sandbox;
        try {
            sandbox = Sandbox.start(Sandbox.Options.in(dir.state()).withPort(port).withBootDelay(bootDelay).withDownloadRate(downloadRate));
        } catch (RuntimeException | IOException e) {
            System.err.println("sandbox: could not start: " + e.getMessage());
            System.exit(ExitCodes.FAILED);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            try {
                Files.deleteIfExists(dir.pidFile());
                Files.deleteIfExists(dir.portFile());
            } catch (IOException ignored) {
                // best effort
            }
            stopped.countDown();
        }, "sandbox-stop"));
        SandboxDir.writePrivate(dir.tokenFile(), sandbox.token() + "\n");
        SandboxDir.writePrivate(dir.envFile(), dir.exportLines(sandbox.port(), sandbox.extraEnv()));
        Files.writeString(dir.pidFile(), ProcessHandle.current().pid() + "\n");
        // the port file last: its presence tells `sandbox start` that everything is ready
        Files.writeString(dir.portFile(), sandbox.port() + "\n");
        System.err.println("sandbox: listening on " + sandbox.baseUrl() + "; backup downloads: "
                + dev.parity.sandbox.data.DownloadRate.describe(downloadRate));
        stopped.await();
    }
}
