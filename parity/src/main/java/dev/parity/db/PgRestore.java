package dev.parity.db;

import dev.parity.process.Command;
import dev.parity.process.ProcessRunner;
import dev.parity.steps.StepFailed;
import dev.parity.ui.Io;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs pg_restore into a database and reads what it said: its exit status alone is not enough
 * (it exits 0 after some errors and 1 after harmless ones), so its error lines decide.
 */
public final class PgRestore {
    private PgRestore() {}

    /**
     * Runs {@code restore} with its errors in {@code errors}; fails on any serious error or on a
     * non-zero status without a harmless explanation. {@code unchanged} says what is true after the
     * failure (read back by the caller when it fails, not assumed).
     */
    public static void run(ProcessRunner runner, Io io, Command restore, Path errors, java.util.function.Supplier<String> unchanged)
            throws StepFailed, InterruptedException {
        int code = runner.run(restore.errorsTo(errors)).exitCode();
        String stderr;
        try {
            stderr = Files.exists(errors) ? Files.readString(errors) : "";
        } catch (IOException e) {
            stderr = "";
        }
        RestoreErrors found = RestoreErrors.read(stderr);
        for (String h : found.harmless()) io.progress("parity: ignored a harmless pg_restore error: " + h);
        List<String> serious = found.serious();
        if (!serious.isEmpty()) {
            throw new StepFailed(code == 0 ? dev.parity.steps.ExitCodes.FAILED : code, "pg_restore reported " + serious.size() + " error"
                    + (serious.size() == 1 ? "" : "s") + ": " + String.join("; ", serious.subList(0, Math.min(5, serious.size())))
                    + (serious.size() > 5 ? "; …" : "") + ". " + unchanged.get());
        }
        if (code != 0 && found.harmless().isEmpty()) {
            throw new StepFailed(code, "pg_restore exited with status " + code + (stderr.isBlank() ? "" : ": " + stderr.strip())
                    + ". " + unchanged.get());
        }
    }
}
