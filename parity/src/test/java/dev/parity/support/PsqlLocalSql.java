package dev.parity.support;

import dev.parity.db.DevDatabase;
import dev.parity.db.LocalSql;
import dev.parity.process.Command;
import dev.parity.process.ProcessRunner;
import dev.parity.process.Result;
import dev.parity.steps.StepFailed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link LocalSql} as psql commands on a {@link RecordingRunner}, for unit tests of restore plans:
 * the statements show up as recorded commands, and {@link FakeLocalPostgres} answers them. The lock
 * is always granted here; the real one is proven on a real server.
 */
final class PsqlLocalSql implements LocalSql {
    private final DevDatabase db;
    private final ProcessRunner runner;

    PsqlLocalSql(DevDatabase db, ProcessRunner runner) {
        this.db = db;
        this.runner = runner;
    }

    /** psql, unaligned, tab-separated, stopping at the first error; each statement its own -c. */
    Command sql(String database, List<String> statements) {
        List<String> after = new ArrayList<>(List.of("--dbname", database, "-c", "SET client_min_messages TO warning"));
        for (String s : statements) after.addAll(List.of("-c", s));
        return db.command("psql", List.of("-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"), after).captured();
    }

    @Override
    public String run(String doing, String database, String... statements) throws StepFailed, InterruptedException {
        Result r = runner.run(sql(database, List.of(statements)));
        if (!r.ok()) throw new StepFailed(r.exitCode() == 0 ? 1 : r.exitCode(), "could not " + doing + " (psql exited with status " + r.exitCode() + ")");
        return r.stdout();
    }

    @Override
    public void transaction(String doing, String database, List<String> statements, Runnable beforeCommit) throws StepFailed, InterruptedException {
        List<String> all = new ArrayList<>();
        all.add("BEGIN");
        all.addAll(statements);
        all.add("COMMIT");
        run(doing, database, all.toArray(String[]::new));
    }

    @Override
    public Optional<String> tryLock(String database, String key) {
        return Optional.empty();
    }

    @Override
    public void close() {
    }
}
