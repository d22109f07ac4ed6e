package dev.parity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.pgcluster.PostgresCluster;
import dev.parity.process.Command;
import dev.parity.process.Result;
import dev.parity.process.SystemProcessRunner;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What restoring during a download rests on, proven with the real pg_restore on a dump cut short
 * where a download would be: the schema and the data of every table {@link TableDataSchedule} calls
 * ready restore from the partial file alone, a table whose block is not whole yet fails (it is never
 * started early), and the rest restores from the whole file into the same database.
 */
class PartialDumpRestoreTest {
    @TempDir
    static Path tmp;
    static PostgresCluster pg;
    static SystemProcessRunner runner;
    static Path dump;
    static String listing;
    static DumpToc toc;

    @BeforeAll
    static void dumpProduction() throws Exception {
        pg = PostgresCluster.start(tmp.resolve("clusters"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(pg.libpqEnv());
        env.put("PATH", pg.binDir() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        runner = new SystemProcessRunner(env, tmp);
        pg.createDatabase("production");
        pg.psql("production", """
                CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
                CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id), note text);
                CREATE INDEX orders_note ON orders (note);
                CREATE TABLE events (id int, payload text);
                INSERT INTO customers SELECT g, md5(g::text) FROM generate_series(1, 3000) g;
                INSERT INTO orders SELECT g, 1 + g % 3000, md5(g::text) || md5((g + 1)::text) FROM generate_series(1, 6000) g;
                INSERT INTO events SELECT g, md5(g::text) FROM generate_series(1, 2000) g;
                """);
        dump = tmp.resolve("production.dump");
        assertEquals(0, runner.run(Command.of("pg_dump", "--format=custom", "--file", dump.toString(), "production")).exitCode());
        listing = run("pg_restore", "--list", dump.toString());
        byte[] head;
        try (InputStream in = Files.newInputStream(dump)) {
            head = in.readNBytes(1 << 20);
        }
        toc = DumpToc.parse(head, head.length);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    static String run(String... argv) throws Exception {
        Result r = runner.run(Command.of(argv).captured());
        assertEquals(0, r.exitCode(), String.join(" ", argv));
        return r.stdout();
    }

    static Path cut(long length) throws Exception {
        Path part = tmp.resolve("cut-" + length + ".dump.part");
        try (InputStream in = Files.newInputStream(dump); OutputStream out = Files.newOutputStream(part)) {
            out.write(in.readNBytes((int) length));
        }
        return part;
    }

    static Result restore(String database, Path file, String... options) throws Exception {
        List<String> argv = new ArrayList<>(List.of("pg_restore", "--no-acl", "--no-owner", "--dbname", database));
        argv.addAll(List.of(options));
        argv.add(file.toString());
        return runner.run(Command.of(argv).captured().errorsTo(tmp.resolve(database + ".errors")));
    }

    static Path list(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name + ".list"), text);
    }

    @Test
    void tablesWhoseDataHasArrivedRestoreFromThePartialFileAndTheRestFromTheWholeOne() throws Exception {
        long total = Files.size(dump);
        RestoreListing all = RestoreListing.parse(listing);
        TableDataSchedule schedule = TableDataSchedule.of(toc, all.ids(), total).orElseThrow();
        assertEquals(3, schedule.items().size(), listing);
        TableDataSchedule.Item first = schedule.items().get(0);
        TableDataSchedule.Item second = schedule.items().get(1);
        Path part = cut(first.end()); // the first table's block is whole, nothing after it has come

        pg.createDatabase("early");
        assertEquals(0, restore("early", part, "--section=pre-data").exitCode(), "the schema needs only the table of contents");
        assertEquals(List.of(first.entry()), schedule.take(first.end(), 3));
        assertEquals(0, restore("early", part, "--use-list", list("first", all.only(id -> id == first.entry().dumpId())).toString()).exitCode());
        String firstRows = pg.psql("production", "SELECT count(*) FROM " + first.entry().tag());
        assertEquals(firstRows, pg.psql("early", "SELECT count(*) FROM " + first.entry().tag()));

        Result tooEarly = restore("early", part, "--use-list", list("second", all.only(id -> id == second.entry().dumpId())).toString());
        assertNotEquals(0, tooEarly.exitCode(), "a block that is not whole cannot restore");
        assertTrue(Files.readString(tmp.resolve("early.errors")).contains("pg_restore: error:"), Files.readString(tmp.resolve("early.errors")));
        assertEquals("0", pg.psql("early", "SELECT count(*) FROM " + second.entry().tag()), "and leaves no rows behind");

        Path rest = list("rest", all.only(id -> id != first.entry().dumpId()));
        assertEquals(0, restore("early", dump, "--jobs=2", "--section=data", "--section=post-data", "--use-list", rest.toString()).exitCode());
        for (String table : List.of("customers", "orders", "events")) {
            assertEquals(pg.psql("production", "SELECT count(*) || ' ' || md5(string_agg(t::text, ',' ORDER BY t::text)) FROM " + table + " t"),
                    pg.psql("early", "SELECT count(*) || ' ' || md5(string_agg(t::text, ',' ORDER BY t::text)) FROM " + table + " t"), table);
        }
        assertEquals("orders_note", pg.psql("early", "SELECT indexname FROM pg_indexes WHERE indexname = 'orders_note'"));
        assertEquals("1", pg.psql("early", "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"));
    }

    @Test
    void aDownloadedFileIsWholeOnlyIfItsLastBlockEndsAtItsEnd() throws Exception {
        LocalDumpProof.proveWhole(toc, dump);
        long total = Files.size(dump);
        dev.parity.steps.StepFailed cutShort = org.junit.jupiter.api.Assertions.assertThrows(dev.parity.steps.StepFailed.class,
                () -> LocalDumpProof.proveWhole(toc, cut(total - 3)));
        assertEquals("the downloaded dump is not whole: it ends inside its last data block", cutShort.getMessage());
    }
}
