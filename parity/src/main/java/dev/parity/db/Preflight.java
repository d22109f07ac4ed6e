package dev.parity.db;

import dev.parity.process.Command;
import dev.parity.process.ProcessRunner;
import dev.parity.process.ProgramNotFound;
import dev.parity.process.Result;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import dev.parity.ui.ProgressBar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks made before a restore or backup starts, each failing with the fix. */
public final class Preflight {
    private static final Pattern VERSION = Pattern.compile("\\)\\s*(\\S+)");

    private Preflight() {}

    /** Every program must be on PATH (the step then fails with how to install it). */
    public static void requirePrograms(ProcessRunner runner, String... programs) {
        for (String p : programs) {
            if (!runner.available(p)) throw new ProgramNotFound(p);
        }
    }

    /** A PostgreSQL client program's version ({@code pg_restore --version} → "15.18"), or what it said. */
    public static String clientVersion(ProcessRunner runner, String program) throws InterruptedException {
        Result r = runner.run(Command.of(program, "--version").captured());
        String out = r.stdout().strip(); // "pg_restore (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
        Matcher m = VERSION.matcher(out);
        return m.find() ? m.group(1) : (out.isEmpty() ? "unknown version" : out);
    }

    /** The major version of a PostgreSQL client program ({@code pg_dump --version} → 15). */
    public static Optional<Integer> clientMajor(ProcessRunner runner, String program) throws InterruptedException {
        return DumpCheck.major(clientVersion(runner, program));
    }

    /** pg_dump refuses servers newer than itself: say which client to install instead of failing half-way. */
    public static void requireDumpClientFor(ProcessRunner runner, int serverMajor) throws StepFailed, InterruptedException {
        Optional<Integer> client = clientMajor(runner, "pg_dump");
        if (client.isPresent() && client.get() < serverMajor) {
            throw new StepFailed(ExitCodes.FAILED, "pg_dump " + client.get() + " cannot read a PostgreSQL " + serverMajor
                    + " server. Install the PostgreSQL " + serverMajor + " client (Debian/Ubuntu: apt install postgresql-client-"
                    + serverMajor + "; macOS: brew install libpq) and put it first on PATH; nothing was changed");
        }
    }

    /** At least {@code needed} bytes free where {@code dir} lives, for {@code what}. */
    public static void requireSpace(Path dir, long needed, String what) throws StepFailed {
        try {
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            if (existing == null) return;
            long free = Files.getFileStore(existing).getUsableSpace();
            if (free < needed) {
                throw new StepFailed(ExitCodes.FAILED, "not enough free disk for " + what + ": need about " + ProgressBar.size(needed)
                        + " in " + dir + ", " + ProgressBar.size(free) + " free. Free some space there"
                        + " (or set XDG_CACHE_HOME to a disk with room); nothing was changed");
            }
        } catch (IOException e) {
            // cannot tell: the download itself will report a full disk
        }
    }
}
