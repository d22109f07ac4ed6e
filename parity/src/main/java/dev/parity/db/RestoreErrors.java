package dev.parity.db;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads what {@code pg_restore} wrote on standard error. Its exit status alone cannot tell a
 * harmless complaint from a lost table, so each error is looked at: a few are known to come from
 * restoring a Heroku dump as an ordinary local user and change nothing; every other fails the restore.
 */
public record RestoreErrors(List<String> harmless, List<String> serious) {
    /** Errors that only concern ownership of objects every database already has. */
    private static final List<Pattern> HARMLESS = List.of(
            Pattern.compile("must be owner of extension (plpgsql|pg_stat_statements)"),
            Pattern.compile("must be owner of schema public"),
            Pattern.compile("schema \"public\" already exists"),
            Pattern.compile("extension \"plpgsql\" already exists"));

    public static RestoreErrors read(String stderr) {
        List<String> harmless = new ArrayList<>();
        List<String> serious = new ArrayList<>();
        String[] lines = stderr.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith("pg_restore: error:")) continue;
            String error = line.substring("pg_restore: error:".length()).strip();
            // "could not execute query: ERROR:  …" is followed by the statement on "Command was:" lines,
            // after the server's own further lines (LINE 2: …, DETAIL: …, HINT: …) if it sent any
            for (int j = i + 1; j < lines.length && !lines[j].strip().startsWith("pg_restore:"); j++) {
                if (lines[j].strip().startsWith("Command was:")) {
                    error += " (" + abbreviate(lines[j].strip()) + ")";
                    break;
                }
            }
            String e = error;
            (HARMLESS.stream().anyMatch(p -> p.matcher(e).find()) ? harmless : serious).add(error);
        }
        return new RestoreErrors(harmless, serious);
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 157) + "…" : s;
    }
}
