package dev.parity.db;

import dev.parity.process.Command;
import dev.parity.process.ProcessRunner;
import dev.parity.process.Result;
import dev.parity.steps.ExitCodes;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proves a dump file is one this machine's {@code pg_restore} can read, before any database is
 * dropped: it must be a custom-format archive and {@code pg_restore --list} must accept it.
 */
public final class DumpCheck {
    private static final Pattern TOC_ENTRIES = Pattern.compile("(?m)^;\\s+TOC Entries: (-?\\d+)\\s*$");
    private static final Pattern MAJOR = Pattern.compile("(\\d+)(?:\\.\\d+)?");

    private DumpCheck() {}

    /** Returns the dump's table of contents ({@code pg_restore --list} output). */
    public static String check(ProcessRunner runner, Path dump) throws StepFailed, InterruptedException {
        Optional<DumpHeader> header;
        try {
            header = DumpHeader.read(dump);
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot read the downloaded dump: " + e.getMessage());
        }
        if (header.isEmpty()) {
            throw new StepFailed(ExitCodes.FAILED, "the downloaded file is not a PostgreSQL custom-format dump "
                    + "(did the backup URL serve an error page?); no database was touched");
        }
        Result list = runner.run(Command.of("pg_restore", "--list", dump.toString()).captured());
        DumpHeader h = header.get();
        Matcher entries = TOC_ENTRIES.matcher(list.stdout());
        if (list.ok() && entries.find() && Long.parseLong(entries.group(1)) <= 0) {
            // pg_restore lists such a table of contents without complaint, and then restores nothing with success
            throw new StepFailed(ExitCodes.FAILED, "the dump's table of contents claims " + entries.group(1) + " entries (archive format "
                    + h.formatVersion() + "): it is corrupt or incomplete; no database was touched");
        }
        if (list.ok()) return list.stdout();
        String local = Preflight.clientVersion(runner, "pg_restore");
        Optional<Integer> dumpMajor = neededMajor(h);
        if (dumpMajor.isPresent() && major(local).map(l -> l < dumpMajor.get()).orElse(false)) {
            throw new StepFailed(ExitCodes.FAILED, "this pg_restore (" + local + ") is older than the pg_dump that wrote the dump ("
                    + h.pgDumpVersion().map(v -> v + ", ").orElse("") + "archive format " + h.formatVersion() + "). Install the PostgreSQL "
                    + dumpMajor.get() + " client or newer; no database was touched");
        }
        throw new StepFailed(list.exitCode(),
                "pg_restore " + local + " cannot read the dump (archive format " + h.formatVersion()
                        + h.pgDumpVersion().map(v -> ", written by pg_dump " + v).orElse("")
                        + "; pg_restore --list exited with status " + list.exitCode()
                        + "): it is corrupt or incomplete; no database was touched");
    }

    /** The table of contents as {@code pg_restore --list} prints it with the user's selection options. */
    public static String list(ProcessRunner runner, Path dump, java.util.List<String> options) throws StepFailed, InterruptedException {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("pg_restore", "--list"));
        argv.addAll(options);
        argv.add(dump.toString());
        Result r = runner.run(Command.of(argv).captured());
        if (!r.ok()) throw new StepFailed(r.exitCode(), "pg_restore --list with the given options exited with status " + r.exitCode());
        return r.stdout();
    }

    /**
     * Before downloading: a dump written by a newer pg_dump than this pg_restore is refused with
     * the client version to install (PostgreSQL does not promise older pg_restore can read it, and
     * each recent major version changed the archive format).
     */
    public static void checkReadable(ProcessRunner runner, byte[] first) throws StepFailed, InterruptedException {
        Optional<DumpHeader> header = DumpHeader.parse(first);
        if (header.isEmpty()) return; // the full check after the download decides
        DumpHeader h = header.get();
        Optional<Integer> dumpMajor = neededMajor(h);
        if (dumpMajor.isEmpty()) return;
        String local = Preflight.clientVersion(runner, "pg_restore");
        if (major(local).map(l -> l < dumpMajor.get()).orElse(false)) {
            throw new StepFailed(ExitCodes.FAILED, "the backup was written by " + h.pgDumpVersion().map(v -> "pg_dump " + v).orElse("a newer pg_dump")
                    + " (archive format " + h.formatVersion() + "); this pg_restore is " + local + ". Install the PostgreSQL " + dumpMajor.get()
                    + " client or newer (Debian/Ubuntu: apt install postgresql-client-" + dumpMajor.get()
                    + "; macOS: brew install libpq) and put it first on PATH; nothing was downloaded and no database was touched");
        }
    }

    /** The client major version the dump needs: its pg_dump's, or what its archive format implies, whichever is higher. */
    static Optional<Integer> neededMajor(DumpHeader h) {
        Optional<Integer> writer = h.pgDumpVersion().flatMap(DumpCheck::major);
        Optional<Integer> format = h.clientMajorNeeded();
        if (writer.isEmpty()) return format;
        if (format.isEmpty()) return writer;
        return Optional.of(Math.max(writer.get(), format.get()));
    }

    /** Whether the table of contents mentions {@code name} (a schema, a table). */
    public static boolean mentions(String toc, String name) {
        return Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(toc).find();
    }

    /**
     * Whether objects in the dump live in schema {@code name} but the dump does not create it
     * (Heroku's {@code heroku_ext}): then the schema must exist before pg_restore runs.
     */
    public static boolean needsSchema(String toc, String name) {
        boolean created = Pattern.compile("\\bSCHEMA - " + Pattern.quote(name) + "\\b").matcher(toc).find();
        return !created && mentions(toc, name);
    }

    /**
     * {@link #needsSchema(String, String)} for a dump file: {@code pg_restore --list} does not show
     * the schema an extension is created in ({@code EXTENSION - citext}) nor the schemas of column
     * types, so the dump's pre-data SQL is read as well (no table data is read for it).
     */
    public static boolean needsSchema(ProcessRunner runner, Path dump, String toc, String name) throws StepFailed, InterruptedException {
        if (needsSchema(toc, name)) return true;
        if (Pattern.compile("\\bSCHEMA - " + Pattern.quote(name) + "\\b").matcher(toc).find()) return false;
        Result r = runner.run(Command.of("pg_restore", "--section=pre-data", "--file=-", dump.toString()).captured());
        if (!r.ok()) throw new StepFailed(r.exitCode(), "pg_restore --section=pre-data exited with status " + r.exitCode());
        return mentions(r.stdout(), name);
    }

    static Optional<Integer> major(String version) {
        Matcher m = MAJOR.matcher(version);
        return m.lookingAt() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }
}
