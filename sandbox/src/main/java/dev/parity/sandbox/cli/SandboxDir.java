package dev.parity.sandbox.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The files a running sandbox leaves in its directory: {@code pid}, {@code port}, {@code token}
 * (0600), {@code env} (the export lines, 0600) and {@code sandbox.log}.
 */
public record SandboxDir(Path dir) {

    public static SandboxDir defaultFor(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
        return new SandboxDir(base.resolve("parity").resolve("sandbox"));
    }

    public Path pidFile() {
        return dir.resolve("pid");
    }

    public Path portFile() {
        return dir.resolve("port");
    }

    public Path tokenFile() {
        return dir.resolve("token");
    }

    public Path envFile() {
        return dir.resolve("env");
    }

    public Path logFile() {
        return dir.resolve("sandbox.log");
    }

    public Path state() {
        return dir.resolve("state");
    }

    /** The running server's process, if the pid file names a live one. */
    public Optional<ProcessHandle> process() {
        try {
            long pid = Long.parseLong(Files.readString(pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public int port() throws IOException {
        return Integer.parseInt(Files.readString(portFile()).strip());
    }

    public String token() throws IOException {
        return Files.readString(tokenFile()).strip();
    }

    /**
     * The lines a shell needs. The token itself is not among them: the line reads it from the
     * 0600 token file, so printing these lines never prints a secret.
     */
    public String exportLines(int port, Map<String, String> extraEnv) {
        StringBuilder sb = new StringBuilder();
        sb.append("export HEROKU_HOST=http://127.0.0.1:").append(port).append('\n');
        sb.append("export HEROKU_DATA_HOST=127.0.0.1\n");
        sb.append("export HEROKU_API_KEY=\"$(cat '").append(tokenFile()).append("')\"\n");
        extraEnv.forEach((k, v) -> sb.append("export ").append(k).append("='").append(v.replace("'", "'\\''")).append("'\n"));
        sb.append("export PARITY_SANDBOX='").append(dir).append("'\n");
        return sb.toString();
    }

    /** Writes a file only its owner can read. */
    public static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, text);
    }
}
