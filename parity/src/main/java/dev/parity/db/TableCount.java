package dev.parity.db;

import dev.parity.steps.StepFailed;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How many tables a database has, counted the same way wherever it is (a local server, heroku pg:psql). */
public final class TableCount {
    /** Tables outside the system schemas and not an extension's own, printed with a marker to find it in pg:psql's output. */
    public static final String SQL = "SELECT 'parity-tables:' || count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
            + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')";

    private static final Pattern MARKER = Pattern.compile("parity-tables:(\\d+)");

    private TableCount() {}

    public static long parse(String out) throws StepFailed {
        Matcher m = MARKER.matcher(out);
        if (!m.find()) throw new StepFailed(dev.parity.steps.ExitCodes.FAILED, "could not read a table count from psql's output");
        return Long.parseLong(m.group(1));
    }

    public static String describe(long n) {
        return n + (n == 1 ? " table" : " tables");
    }
}
