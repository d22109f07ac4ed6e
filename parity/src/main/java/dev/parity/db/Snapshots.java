package dev.parity.db;

import dev.parity.steps.StepFailed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pristine copies of restored backups, one per source environment, kept on the local server next
 * to the development database ({@code NAME_parity_snapshot_production}): a later restore of the
 * same backup copies one ({@code CREATE DATABASE … TEMPLATE}) instead of downloading and restoring.
 * A snapshot is made under another name ({@code NAME_parity_snapshotting_production}) and renamed
 * only when it is complete, so a half-made copy never has the name that is reused. Nobody may
 * connect to a snapshot (ALLOW_CONNECTIONS false): a template copy needs it without sessions.
 * What a snapshot holds is written on it as its comment ({@link #MARK} first), which is also
 * how snapshots are found again.
 */
public final class Snapshots {
    /** How every snapshot's comment begins, followed by the development database it belongs to. */
    static final String MARK = "parity snapshot of ";

    private final LocalDatabases dbs;

    public Snapshots(LocalDatabases dbs) {
        this.dbs = dbs;
    }

    /** The snapshot of backups from environment {@code source}. */
    public String name(String source) {
        return dbs.companion("_parity_snapshot_" + source);
    }

    /** Where a snapshot of {@code source} is made before it is renamed: never reused, dropped by the next try. */
    public String making(String source) {
        return dbs.companion("_parity_snapshotting_" + source);
    }

    /** The comment of a complete snapshot holding {@code what}. */
    public String comment(String what) {
        return MARK + dbs.current() + "; " + what;
    }

    /** What the snapshot of {@code source} holds (its comment after the mark), empty when there is none. */
    public Optional<String> holds(String source) throws StepFailed, InterruptedException {
        String c = dbs.run("look up the snapshot " + name(source), dbs.maintenance(),
                "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = "
                        + LocalDatabases.literal(name(source))).strip();
        String mark = comment("");
        if (!c.startsWith(mark)) return Optional.empty(); // none, or a database of that name that is not parity's snapshot
        return Optional.of(c.substring(mark.length()));
    }

    /**
     * CREATE DATABASE … TEMPLATE, with {@code STRATEGY FILE_COPY} from PostgreSQL 15 on (measured
     * faster than the default WAL_LOG for a whole database: bench/RESULTS.md, bench/snapshot.sh).
     */
    String copy(String target, String template) throws StepFailed, InterruptedException {
        return "CREATE DATABASE " + LocalDatabases.identifier(target) + " TEMPLATE " + LocalDatabases.identifier(template)
                + (dbs.serverMajor() >= 15 ? " STRATEGY FILE_COPY" : "");
    }

    /** The snapshot of {@code source} copied into {@code target} (which must not exist). */
    public void copyInto(String source, String target) throws StepFailed, InterruptedException {
        dbs.run("copy " + name(source) + " into " + target, dbs.maintenance(), copy(target, name(source)));
    }

    /**
     * {@code from} (the verified, scrubbed temporary database) becomes the snapshot of {@code source},
     * replacing the one there was: copied under the making name, closed to connections, described by
     * {@code what}, and only then renamed. Interrupted anywhere, the old snapshot or none has the name.
     */
    public void make(String source, String from, String what, BeforeRename beforeRename) throws StepFailed, InterruptedException {
        String making = making(source);
        dbs.dropIfExists(making); // a copy a killed run left half-made
        dbs.run("copy " + from + " as a snapshot", dbs.maintenance(), copy(making, from));
        dbs.run("close " + making + " to connections", dbs.maintenance(),
                "ALTER DATABASE " + LocalDatabases.identifier(making) + " ALLOW_CONNECTIONS false",
                "COMMENT ON DATABASE " + LocalDatabases.identifier(making) + " IS " + LocalDatabases.literal(comment(what)));
        beforeRename.run();
        dbs.dropIfExists(name(source));
        dbs.run("name the snapshot " + name(source), dbs.maintenance(),
                "ALTER DATABASE " + LocalDatabases.identifier(making) + " RENAME TO " + LocalDatabases.identifier(name(source)));
    }

    /** Work done once the copy is complete, before it takes the snapshot's name (the listing is written). */
    @FunctionalInterface
    public interface BeforeRename {
        void run() throws StepFailed, InterruptedException;
    }

    /**
     * Cancels parity's own statements that are copying into or out of a snapshot (an interrupted
     * run's CREATE DATABASE would otherwise finish on the server after parity has gone).
     */
    public void cancelCopies() throws StepFailed, InterruptedException {
        dbs.run("cancel parity's copies", dbs.maintenance(),
                "SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                        + " AND application_name = " + LocalDatabases.literal("parity (pid " + ProcessHandle.current().pid() + ")")
                        + " AND query ILIKE 'CREATE DATABASE%'");
    }

    /** Bytes a database takes on disk (pg_database_size), or -1 when it is not there. */
    public long size(String name) throws StepFailed, InterruptedException {
        String v = dbs.run("measure " + name, dbs.maintenance(),
                "SELECT pg_database_size(oid) FROM pg_database WHERE datname = " + LocalDatabases.literal(name)).strip();
        return v.isEmpty() ? -1 : Long.parseLong(v);
    }

    /** Every snapshot of this development database (by the mark on it), and half-made ones (by their name). */
    public List<String> all() throws StepFailed, InterruptedException {
        String making = dbs.current().replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "\\_parity\\_snapshotting\\_%";
        String out = dbs.run("list the snapshots of " + dbs.current(), dbs.maintenance(),
                "SELECT datname FROM pg_database WHERE starts_with(coalesce(shobj_description(oid, 'pg_database'), ''), "
                        + LocalDatabases.literal(comment("")) + ") OR datname LIKE " + LocalDatabases.literal(making) + " ORDER BY datname");
        return new ArrayList<>(out.lines().filter(l -> !l.isEmpty()).toList());
    }

    public void drop(String name) throws StepFailed, InterruptedException {
        dbs.dropIfExists(name);
    }
}
