package dev.parity.db;

import dev.parity.steps.StepFailed;
import java.util.List;
import java.util.Optional;

/**
 * Statements on the local PostgreSQL server, through connections parity itself holds: nothing it
 * starts can commit after parity has gone, and a lock it takes ends with it (also after SIGKILL).
 */
public interface LocalSql extends AutoCloseable {

    /**
     * Runs {@code statements} on {@code database} one after another, each committed on its own unless
     * they open a transaction themselves; returns the rows they answered, one per line, columns
     * separated by tabs. {@code doing} says what for, in the failure's message.
     */
    String run(String doing, String database, String... statements) throws StepFailed, InterruptedException;

    /**
     * Runs {@code statements} on {@code database} in one transaction: when this returns they all
     * committed; when it throws, either none did or {@link CommitUnknown} says it cannot be known.
     */
    void transaction(String doing, String database, List<String> statements, Runnable beforeCommit) throws StepFailed, InterruptedException;

    /**
     * Takes the lock named {@code key} on {@code database} for as long as this session lives; empty
     * when taken, else who holds it, described for a person.
     */
    Optional<String> tryLock(String database, String key) throws StepFailed, InterruptedException;

    /** Ends every connection (and with it the locks). */
    @Override
    void close();

    /** The connection was lost while the commit was on its way: the caller must look at what is true. */
    final class CommitUnknown extends StepFailed {
        public CommitUnknown(String message) {
            super(dev.parity.steps.ExitCodes.FAILED, message);
        }
    }

    /** Tests substitute the server with a runner that also answers SQL. */
    interface Provider {
        LocalSql localSql(DevDatabase db);
    }
}
