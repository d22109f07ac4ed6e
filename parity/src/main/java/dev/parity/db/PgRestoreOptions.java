package dev.parity.db;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of the user's extra pg_restore arguments parity refuses: those that would choose another
 * target or mode than the one parity verifies and swaps in (another database, a file or list
 * instead of a database, dropping or creating databases, another server). Selections (-n, -t, …)
 * and the like pass. Read as pg_restore's getopt_long does: bundled short options, values joined
 * or separate, and long options abbreviated to any unambiguous prefix.
 */
public final class PgRestoreOptions {
    /** pg_restore's short options (PostgreSQL 15's optstring); true when it takes a value. */
    private static final Map<Character, Boolean> SHORT = Map.ofEntries(
            Map.entry('a', false), Map.entry('c', false), Map.entry('C', false), Map.entry('d', true), Map.entry('e', false),
            Map.entry('f', true), Map.entry('F', true), Map.entry('h', true), Map.entry('I', true), Map.entry('j', true),
            Map.entry('l', false), Map.entry('L', true), Map.entry('n', true), Map.entry('N', true), Map.entry('O', false),
            Map.entry('p', true), Map.entry('P', true), Map.entry('R', false), Map.entry('s', false), Map.entry('S', true),
            Map.entry('t', true), Map.entry('T', true), Map.entry('U', true), Map.entry('v', false), Map.entry('V', false),
            Map.entry('w', false), Map.entry('W', false), Map.entry('x', false), Map.entry('X', false), Map.entry('1', false),
            Map.entry('?', false));

    /** Refused short options and their long spellings. */
    private static final Map<Character, String> REFUSED = Map.ofEntries(
            Map.entry('d', "dbname"), Map.entry('f', "file"), Map.entry('C', "create"), Map.entry('c', "clean"),
            Map.entry('1', "single-transaction"), Map.entry('l', "list"), Map.entry('h', "host"), Map.entry('p', "port"),
            Map.entry('U', "username"), Map.entry('j', "jobs"), Map.entry('a', "data-only"), Map.entry('V', "version"),
            Map.entry('?', "help"));

    /** pg_restore's long options that take a value (the rest take none). */
    private static final Set<String> LONG_WITH_VALUE = Set.of("dbname", "file", "format", "host", "index", "jobs", "use-list",
            "schema", "exclude-schema", "port", "function", "superuser", "table", "trigger", "username", "role", "section");
    /** Every long option of pg_restore 15, to resolve abbreviations. */
    private static final List<String> LONG = List.of("clean", "create", "data-only", "dbname", "exit-on-error", "file", "format",
            "host", "index", "jobs", "list", "no-owner", "function", "port", "no-password", "password", "schema",
            "exclude-schema", "schema-only", "superuser", "table", "trigger", "use-list", "username", "verbose",
            "single-transaction", "disable-triggers", "enable-row-security", "if-exists", "no-comments", "no-data-for-failed-tables",
            "no-publications", "no-security-labels", "no-subscriptions", "no-table-access-method", "no-tablespaces",
            "section", "strict-names", "use-set-session-authorization", "role", "no-acl", "no-privileges", "version", "help");

    private PgRestoreOptions() {}

    /** The refused options found in {@code args}, as the user spelled them; empty when all may pass. */
    public static List<String> refused(List<String> args) {
        Set<String> found = new LinkedHashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) { // getopt reads everything after it as files to restore
                found.addAll(args.subList(i, args.size()));
                break;
            }
            if (a.startsWith("--")) {
                String name = a.substring(2).split("=", 2)[0];
                List<String> matches = LONG.stream().filter(l -> l.equals(name)).toList();
                if (matches.isEmpty()) matches = LONG.stream().filter(l -> !name.isEmpty() && l.startsWith(name)).toList();
                // an ambiguous or unknown abbreviation is refused by pg_restore itself; refuse it here if it could mean a refused one
                if (matches.stream().anyMatch(REFUSED::containsValue)) found.add(a);
                if (matches.size() == 1 && LONG_WITH_VALUE.contains(matches.get(0)) && !a.contains("=")) i++;
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int k = 1; k < a.length(); k++) {
                    char c = a.charAt(k);
                    if (REFUSED.containsKey(c)) found.add(a);
                    if (SHORT.getOrDefault(c, false)) {
                        if (k == a.length() - 1) i++; // the value is the next argument
                        break;
                    }
                }
            } else {
                found.add(a); // a second file to restore
            }
        }
        return new ArrayList<>(found);
    }
}
