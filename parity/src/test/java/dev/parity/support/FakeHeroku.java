package dev.parity.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A recording stand-in for the heroku CLI, put first on PATH by end-to-end tests: it writes each
 * call's argv (NUL-separated, one file per call) and can be told to fail one subcommand or to
 * print a backup URL. Only the argv contract is tested with it; behaviour moves to the sandbox.
 */
public final class FakeHeroku {
    private final Path binDir;
    private final Path logDir;

    public FakeHeroku(Path dir) throws IOException {
        this.binDir = Files.createDirectories(dir.resolve("fake-bin"));
        this.logDir = Files.createDirectories(dir.resolve("heroku-calls"));
        Path script = binDir.resolve("heroku");
        Files.writeString(script, """
                #!/bin/sh
                # recording stand-in for the heroku CLI (tests only)
                n=$(ls "$FAKE_HEROKU_LOG" | wc -l)
                printf '%s\\0' "$@" > "$FAKE_HEROKU_LOG/$(printf '%05d' "$n")"
                case $1 in
                    pg:backups:url) printf '%s\\n\\n' "$FAKE_HEROKU_BACKUP_URL" ;;
                esac
                if [ "$1" = "$FAKE_HEROKU_FAIL" ]; then
                    echo "fake heroku: $1 failed" >&2
                    exit "${FAKE_HEROKU_FAIL_CODE:-1}"
                fi
                exit 0
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public Path binDir() {
        return binDir;
    }

    public Path logDir() {
        return logDir;
    }

    /** Every recorded call's argv, in order. */
    public List<List<String>> calls() throws IOException {
        List<List<String>> calls = new ArrayList<>();
        try (Stream<Path> files = Files.list(logDir)) {
            for (Path f : files.sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                List<String> argv = new ArrayList<>(List.of("heroku"));
                if (!text.isEmpty()) argv.addAll(Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1)));
                calls.add(argv);
            }
        }
        return calls;
    }
}
