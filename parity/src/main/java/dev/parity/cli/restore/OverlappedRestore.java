package dev.parity.cli.restore;

import dev.parity.cli.ExitCodes;
import dev.parity.db.DumpToc;
import dev.parity.db.PgRestore;
import dev.parity.db.RestoreListing;
import dev.parity.db.TableDataSchedule;
import dev.parity.process.Command;
import dev.parity.process.SystemProcessRunner;
import dev.parity.steps.StepContext;
import dev.parity.steps.StepFailed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The restore into the temporary database while the dump is still downloading: the schema
 * ({@code --section=pre-data}) as soon as the table of contents is in, then each table's data,
 * alone ({@code --use-list} with its one entry), once its block is whole in the partial file, up to
 * {@code jobs - 1} at a time (at least one); when the download has completed and the file is proven whole, the rest
 * of the data, the indexes and the constraints with {@code --jobs}. Tables whose data is not yet
 * started when the download completes go to that last pg_restore, so a download that outruns the
 * restore costs only one extra pg_restore for the schema.
 */
final class OverlappedRestore {
    private final StepContext ctx;
    private final Function<List<String>, Command> pgRestore;
    private final List<String> into;
    private final int jobs;
    private final Path dir;
    private final Supplier<String> truth;
    private final Set<Integer> restored = java.util.Collections.synchronizedSet(new HashSet<>());
    private final List<Thread> workers = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    private volatile StepFailed failed;
    private volatile boolean stopping;

    /** The file as it arrives: what {@link OverlappedDownload} tells (tests script it). */
    interface Arriving {
        long bytes();

        long total();

        boolean ended();

        void awaitChange(long millis) throws InterruptedException;

        void changed();

        Path awaitWhole() throws StepFailed, InterruptedException;
    }

    /**
     * @param pgRestore makes a pg_restore command from its arguments (the connection added)
     * @param into      the arguments every pg_restore gets: no owners or privileges, the temporary database
     * @param dir       a private directory for the listings and error files
     */
    OverlappedRestore(StepContext ctx, Function<List<String>, Command> pgRestore, List<String> into, int jobs, Path dir,
                      Supplier<String> truth) {
        this.ctx = ctx;
        this.pgRestore = pgRestore;
        this.into = List.copyOf(into);
        this.jobs = Math.max(1, jobs);
        this.dir = dir;
        this.truth = truth;
    }

    /**
     * Restores {@code listing} (the dump's listing, or a subset's) from {@code partial}, a link to
     * the file {@code download} is writing, and from the complete file once it is there.
     * {@code subset}: the listing leaves entries out, so every pg_restore gets it as its list.
     * {@code postData}: the last pg_restore also builds the indexes and constraints (false: a later
     * step does, after the scrub).
     */
    void run(Arriving download, DumpToc toc, String listing, boolean subset, Path partial, boolean postData)
            throws StepFailed, InterruptedException {
        ctx.atEnd(this::stop); // before the temporary database is dropped: no table restore may start after that
        RestoreListing all = RestoreListing.parse(listing);
        TableDataSchedule schedule = TableDataSchedule.of(toc, all.ids(), download.total()).orElseThrow();

        List<String> schema = new ArrayList<>(into);
        schema.add("--section=pre-data");
        if (subset) schema.addAll(List.of("--use-list", write("pre-data", listing).toString()));
        restore("the schema", schema, partial);

        // one core is left to the download (its TLS and its writes) while it goes on
        int whileDownloading = Math.max(1, jobs - 1);
        while (failed == null && !download.ended() && !ctx.interrupted()) {
            int free = whileDownloading - running.get();
            for (DumpToc.Entry table : free > 0 ? schedule.take(download.bytes(), free) : List.<DumpToc.Entry>of()) {
                Thread t = new Thread(() -> restoreTable(download, all, table, partial), "parity-restore-" + table.dumpId());
                synchronized (workers) {
                    workers.add(t);
                }
                running.incrementAndGet();
                t.start();
            }
            download.awaitChange(250);
        }
        if (failed != null) {
            stop(); // the other tables' restores are ended, not waited for
            throw failed;
        }
        joinWorkers();
        if (failed != null) throw failed;
        if (ctx.interrupted()) throw new StepFailed(ExitCodes.INTERRUPTED, "interrupted");
        Path whole;
        try {
            whole = download.awaitWhole();
        } catch (StepFailed e) { // only the temporary database was touched, and it is dropped
            throw new StepFailed(e.exitCode(), "the download failed while the restore went on: "
                    + e.getMessage().replace("; no database was touched", "") + ". " + truth.get());
        }
        dev.parity.db.LocalDumpProof.proveWhole(toc, whole);

        List<String> rest = new ArrayList<>(into);
        rest.addAll(List.of("--jobs=" + jobs, "--section=data"));
        if (postData) rest.add("--section=post-data");
        rest.addAll(List.of("--use-list", write("rest", all.only(id -> !restored.contains(id))).toString()));
        restore(postData ? "the rest of the data, the indexes and the constraints" : "the rest of the data", rest, whole);
        ctx.io().progress("parity: restored the data of " + restored.size() + " of " + schedule.items().size()
                + " tables while the download went on");
    }

    /** One table's data from the partial file; the first failure stops the others. */
    private void restoreTable(Arriving download, RestoreListing all, DumpToc.Entry table, Path partial) {
        try {
            if (stopping || failed != null || ctx.interrupted()) return;
            List<String> args = new ArrayList<>(into);
            args.addAll(List.of("--use-list", write("table-" + table.dumpId(), all.only(id -> id == table.dumpId())).toString()));
            restore("the data of " + table.namespace() + "." + table.tag(), args, partial);
            restored.add(table.dumpId());
        } catch (StepFailed e) {
            if (failed == null) failed = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.decrementAndGet();
            download.changed();
        }
    }

    private void restore(String what, List<String> args, Path file) throws StepFailed, InterruptedException {
        Path errors;
        try {
            errors = Files.createTempFile(dir, "pg_restore-", ".errors"); // 0600 in the private directory
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot create a file in " + dir + ": " + e.getMessage());
        }
        ctx.deleteAtEnd(errors);
        List<String> argv = new ArrayList<>(args);
        argv.add(file.toString());
        try {
            PgRestore.run(ctx.runner(), ctx.io(), pgRestore.apply(argv), errors, truth);
        } catch (StepFailed e) {
            throw new StepFailed(e.exitCode(), "restoring " + what + ": " + e.getMessage());
        }
    }

    private Path write(String name, String listing) throws StepFailed {
        try {
            Path file = Files.createTempFile(dir, "overlap-" + name + "-", ".list");
            ctx.deleteAtEnd(file);
            Files.writeString(file, listing);
            return file;
        } catch (IOException e) {
            throw new StepFailed(ExitCodes.FAILED, "cannot write a listing in " + dir + ": " + e.getMessage());
        }
    }

    private void joinWorkers() throws InterruptedException {
        List<Thread> all;
        synchronized (workers) {
            all = List.copyOf(workers);
        }
        for (Thread t : all) t.join();
    }

    /**
     * The run ends (a failure or a signal): no table restore starts any more, and every one still
     * running is ended, so none writes on after parity.
     */
    private void stop() throws InterruptedException {
        stopping = true;
        while (true) {
            List<Thread> alive;
            synchronized (workers) {
                alive = workers.stream().filter(Thread::isAlive).toList();
            }
            if (alive.isEmpty()) return;
            SystemProcessRunner.endChildren(1000);
            for (Thread t : alive) t.join(200);
        }
    }
}
