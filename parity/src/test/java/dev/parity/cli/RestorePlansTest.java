package dev.parity.cli;

import static dev.parity.support.RecordingRunner.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parity.db.DownloadPauses;
import dev.parity.process.Command;
import dev.parity.process.Result;
import dev.parity.support.DumpServer;
import dev.parity.support.Dumps;
import dev.parity.support.FakeLocalPostgres;
import dev.parity.support.RecordingRunner;
import dev.parity.support.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore in every direction, and each of its steps made to fail: nothing is dropped, renamed or
 * reset before the source was verified, and the development database is never dropped at all — it
 * is renamed to the previous copy in the swap, after the restored copy was verified. Programs are
 * recorded, psql answers like a local server ({@link FakeLocalPostgres}), the backup URL is a real HTTP server.
 */
class RestorePlansTest {
    static final String PROD = "myapp-production";
    static final String STAGING = "myapp-staging";
    static final String DB = "myapp_development";
    static final String TMP = DB + "_parity_restore";
    static final String PREVIOUS = DB + "_parity_previous";
    static final String TOC = "; Archive created at ...\n215; 1259 16386 TABLE public users app\n";
    static final String CATALOG = "TABLE\tpublic\tusers\nINDEX\tpublic\tusers_pkey\n";
    static final int CORES = Runtime.getRuntime().availableProcessors();
    /** A dump whose table of contents and data are whole, as a remote restore now proves before the reset. */
    static final byte[] WHOLE_DUMP = Dumps.whole(14, "15.4", "1\n2\n\\.\n");

    @TempDir
    Path repo;
    @TempDir
    Path home;
    RecordingRunner runner;
    FakeLocalPostgres pg;
    DumpServer server;
    Map<String, String> env;
    long pause;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectory(repo.resolve(".git"));
        Files.writeString(repo.resolve(".parity.yml"), "development: {database: " + DB + "}\n");
        env = new HashMap<>(Map.of("HOME", home.toString()));
        server = new DumpServer().serve(WHOLE_DUMP);
        pg = new FakeLocalPostgres().with(DB).catalog(CATALOG).tables(1);
        runner = pg.installOn(new RecordingRunner()
                .withRemote("production", "https://git.heroku.com/" + PROD + ".git")
                .withRemote("staging", "https://git.heroku.com/" + STAGING + ".git"))
                .answer(startsWith("heroku", "pg:backups:url"), 0, server.url() + "\n\n")
                .answer(startsWith("pg_restore", "--list"), 0, TOC)
                .answer(startsWith("heroku", "pg:psql"), 0, tables(1)) // as many as the dump lists
                .answer(startsWith("heroku", "pg:backups:capture"), 0, "Backing up DATABASE to b007... done\n");
        pause = DownloadPauses.set(1);
    }

    @AfterEach
    void tearDown() {
        server.close();
        DownloadPauses.set(pause);
    }

    /** What {@code heroku pg:psql -c} prints for the table count. */
    static String tables(int n) {
        return " ?column?\n-----------------\n parity-tables:" + n + "\n(1 row)\n\n";
    }

    Run parity(String... args) {
        return Run.parity(repo, runner, env, "", args);
    }

    /** Programs run (heroku with its command, psql with its statements), read-only git questions left out. */
    List<String> programs() {
        return runner.commands().stream().filter(c -> !(c.program().equals("git") && !c.argv().get(1).equals("push")))
                .map(RestorePlansTest::describe).toList();
    }

    static String describe(Command c) {
        return switch (c.program()) {
            case "heroku" -> "heroku " + c.argv().get(1);
            case "psql" -> "psql " + String.join("; ", FakeLocalPostgres.statements(c));
            case "pg_restore" -> "pg_restore " + c.argv().get(1);
            default -> c.program();
        };
    }

    List<String> heroku() {
        return programs().stream().filter(p -> p.startsWith("heroku ")).toList();
    }

    int indexOf(Predicate<String> which) {
        List<String> p = programs();
        for (int i = 0; i < p.size(); i++) if (which.test(p.get(i))) return i;
        return -1;
    }

    int indexOf(String prefix) {
        return indexOf(p -> p.startsWith(prefix));
    }

    boolean ran(String fragment) {
        return programs().stream().anyMatch(p -> p.contains(fragment));
    }

    Command restoreCommand() {
        return runner.commands().stream().filter(startsWith("pg_restore", "--no-acl")).findFirst().orElseThrow();
    }

    /** The dump file, as the first {@code pg_restore --list} named it. */
    Path dumpFile() {
        List<String> list = runner.commands().stream().filter(startsWith("pg_restore", "--list")).findFirst().orElseThrow().argv();
        return Path.of(list.get(list.size() - 1));
    }

    /**
     * The key invariant: the development database was never dropped; it was only renamed in the swap,
     * after the restored copy had been verified (the catalog read); pg_restore only ever wrote into the
     * temporary database.
     */
    void assertDevelopmentDatabaseSafe() {
        List<Command> commands = runner.commands();
        int verified = -1;
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            if (c.program().equals("pg_restore") && c.argv().contains("--dbname")) {
                assertEquals(TMP, c.argv().get(c.argv().indexOf("--dbname") + 1), "pg_restore writes only into " + TMP + ": " + c);
            }
            if (!c.program().equals("psql")) continue;
            for (String s : FakeLocalPostgres.statements(c)) {
                if (s.contains("pg_proc")) verified = i;
                if (s.startsWith("DROP DATABASE") && s.contains("\"" + DB + "\"")) fail("the development database was dropped: " + c);
                if (s.startsWith("ALTER DATABASE \"" + DB + "\" RENAME") && (verified < 0 || verified > i)) {
                    fail("the development database was renamed before the restored copy was verified: " + c);
                }
            }
        }
        assertFalse(pg.events().contains("drop " + DB), pg.events().toString());
    }

    /** The development database is the one it was, and no companion was left behind. */
    void assertDevelopmentDatabaseUnchanged() {
        assertDevelopmentDatabaseSafe();
        assertEquals(Map.of(DB, DB), pg.databases(), pg.events().toString());
    }

    // ---- remote → development ------------------------------------------------------------------

    @Test
    void developmentFromProductionRestoresIntoATemporaryDatabaseVerifiesItThenSwaps() {
        Run r = parity("development", "restore", "production");
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(List.of("heroku pg:backups:url"), heroku());
        int url = indexOf("heroku pg:backups:url");
        int list = indexOf("pg_restore --list");
        int create = indexOf(p -> p.contains("CREATE DATABASE \"" + TMP + "\""));
        int restore = indexOf("pg_restore --no-acl");
        int verify = indexOf(p -> p.contains("pg_proc"));
        int swap = indexOf(p -> p.contains("RENAME TO \"" + DB + "\""));
        assertTrue(indexOf("psql SHOW server_version_num") < url, "the local server is checked before anything: " + programs());
        assertTrue(url < list && list < create && create < restore && restore < verify && verify < swap, programs().toString());

        Path dump = dumpFile();
        assertEquals(home.resolve(".cache/parity/dumps"), dump.getParent(), "the dump goes to the cache, not the working directory");
        Command pgRestore = restoreCommand();
        assertEquals(List.of("pg_restore", "--no-acl", "--no-owner", "--jobs=" + CORES, "--dbname", TMP, dump.toString()), pgRestore.argv());
        assertNotNull(pgRestore.errorFile(), "pg_restore's errors are kept to be read");

        assertEquals(Map.of(DB, "created#1", PREVIOUS, DB), pg.databases(), "restored copy in place, the old one kept: " + pg.events());
        assertDevelopmentDatabaseSafe();
        assertFalse(Files.exists(dump), "the downloaded dump is removed afterwards");
        assertFalse(Files.exists(pgRestore.errorFile()), "and pg_restore's errors");
        assertTrue(r.err.contains("kept as " + PREVIOUS) && r.err.contains("development restore --undo"), r.err);
        assertTrue(r.err.contains("parity: verified 1 table, as listed in the dump"), r.err);
        assertFalse(r.err.contains("s3cr3t-signature"), r.err);
    }

    @Test
    void parallelRestoresBuildEachIndexInOneProcessBySettingTheTemporaryDatabaseWhichTheSwapResets() {
        env.put("PGOPTIONS", "-c work_mem=64MB");
        Run r = parity("development", "restore", "production", "--jobs", "2");
        assertEquals(0, r.exitCode, r.toString());
        assertFalse(restoreCommand().env().containsKey("PGOPTIONS"),
                "nothing in the connection's options (a pooler such as PgBouncer refuses them): " + restoreCommand().display());
        List<String> events = pg.events();
        int set = events.indexOf("set " + TMP + ": max_parallel_maintenance_workers = 0");
        int verified = events.indexOf("catalog " + TMP);
        int reset = events.indexOf("reset " + TMP);
        int renamed = events.indexOf("rename " + TMP + " to " + DB);
        assertTrue(events.indexOf("create " + TMP) < set && set < verified && verified < reset && reset < renamed,
                "set on the new temporary database, reset in the swap's transaction before the renames: " + events);
        assertFalse(events.stream().anyMatch(e -> e.startsWith("set " + DB + ":") || e.startsWith("set " + PREVIOUS + ":")), events.toString());
        Run plan = parity("development", "restore", "production", "--jobs", "2", "--dry-run");
        assertTrue(plan.out.contains("ALTER DATABASE " + TMP + " SET max_parallel_maintenance_workers = 0"), plan.out);
        assertTrue(plan.out.contains("reset " + TMP + "'s own settings"), plan.out);
        assertFalse(plan.out.contains("PGOPTIONS") || plan.out.contains("work_mem"), plan.out);

        int from = pg.events().size();
        Run one = parity("development", "restore", "production", "--jobs", "1");
        assertEquals(0, one.exitCode, one.toString());
        List<String> these = pg.events().subList(from, pg.events().size());
        assertFalse(these.stream().anyMatch(e -> e.startsWith("set ")), "one job: the server's own parallel index builds: " + these);
        assertTrue(these.contains("reset " + TMP), these.toString());
        assertFalse(parity("development", "restore", "production", "--jobs", "1", "--dry-run").out.contains("ALTER DATABASE"));
    }

    @Test
    void aLocalServerOlderThan13IsRefusedBeforeAnythingIsCreated() {
        pg.version("120017"); // no DROP DATABASE ... WITH (FORCE), which every clean-up of a restore relies on
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.err.contains("development restore needs a local PostgreSQL server 13 or newer; this one is 12."), r.err);
        assertTrue(r.err.contains("nothing was changed"), r.err);
        assertTrue(pg.events().isEmpty(), "nothing created, dropped or renamed: " + pg.events());
        assertEquals(Map.of(DB, DB), pg.databases());
        assertEquals(0, server.requests(), "nothing downloaded");
    }

    /**
     * Without a scrub: section the verify step also reads the temporary database's columns, and the
     * restore's last line counts the personal-looking ones; no step is added for it.
     */
    @Test
    void withoutScrubRulesTheLastLineCountsThePersonalColumnsReadFromTheRestoredCopy() {
        pg.columns("public\tusers\tid\npublic\tusers\temail\npublic\tusers\tfirst_name\npublic\tnotes\tbody\nbilling\tcards\tholder_name\n");
        Run r = parity("development", "restore", "production");
        assertEquals(0, r.exitCode, r.toString());
        int columns = indexOf(p -> p.contains("FROM pg_attribute a"));
        assertTrue(indexOf(p -> p.contains("pg_proc")) < columns && columns < indexOf(p -> p.contains("RENAME TO \"" + DB + "\"")), programs().toString());
        Command read = runner.commands().stream().filter(c -> String.join(" ", c.argv()).contains("FROM pg_attribute a")).findFirst().orElseThrow();
        assertEquals(TMP, FakeLocalPostgres.database(read), "counted in the restored copy, before the swap");
        assertEquals("parity: 3 personal-looking columns (in 2 tables) arrived unscrubbed; `parity scrub init` writes a starting scrub: section for them",
                r.err.strip().lines().reduce((a, b) -> b).orElse(""), r.err);
        assertTrue(r.err.contains("parity: [9/9] swap it in as " + DB + "\n"), "the restore keeps its 9 steps: " + r.err);
    }

    @Test
    void withoutScrubRulesTheDryRunSaysTheLineWillComeButNoCount() {
        Run plan = parity("development", "--dry-run", "restore", "production");
        assertEquals(0, plan.exitCode, plan.toString());
        assertTrue(plan.out.contains("; then one line: how many personal-looking columns arrived unscrubbed, and that `parity scrub init`"
                + " writes a starting scrub: section for them"), plan.out);
        assertFalse(plan.out.matches("(?s).*\\d+ personal-looking column.*"), plan.out);
        assertFalse(ran("pg_attribute"), "a dry run reads nothing");
    }

    @Test
    void withoutADevelopmentDatabaseYetTheRestoredCopySimplyTakesItsName() {
        pg = new FakeLocalPostgres().catalog(CATALOG);
        pg.installOn(runner);
        Run r = parity("development", "restore", "production");
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(Map.of(DB, "created#1"), pg.databases());
        assertFalse(r.err.contains("kept as"), r.err);
    }

    @Test
    void downloadedDumpIsPrivateToItsOwner() {
        List<String> seen = new ArrayList<>();
        runner.answerWith(startsWith("pg_restore", "--list"), c -> {
            try {
                Path dump = Path.of(c.argv().get(2));
                seen.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(dump)));
                seen.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(dump.getParent())));
                seen.add(String.valueOf(dump.startsWith(repo)));
            } catch (IOException e) {
                seen.add(e.toString());
            }
            return new Result(0, TOC);
        });
        assertEquals(0, parity("development", "restore", "production").exitCode);
        assertEquals(List.of("rw-------", "rwx------", "false"), seen, "0600 file in a 0700 directory, not in the repository");
    }

    /** A dump directory others could write to (and so swap the dump) is refused before anything is downloaded. */
    @Test
    void aDumpDirectoryOthersCanWriteToIsRefused() throws IOException {
        Path dumps = Files.createDirectories(home.resolve(".cache/parity/dumps"));
        Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
        Run r = parity("development", "restore", "production");
        assertEquals(3, r.exitCode, r.toString());
        assertTrue(r.err.contains(dumps.toString()), r.err);
        assertEquals(0, server.requests(), "nothing downloaded");
        assertDevelopmentDatabaseUnchanged();
    }

    @Test
    void xdgCacheHomeDecidesWhereTheDumpGoes() throws IOException {
        Path cache = Files.createDirectories(home.resolve("elsewhere"));
        env.put("XDG_CACHE_HOME", cache.toString());
        assertEquals(0, parity("development", "restore", "production").exitCode);
        assertEquals(cache.resolve("parity/dumps"), dumpFile().getParent());
    }

    @Test
    void herokuExtSchemaIsCreatedWhenTheDumpUsesItWithoutCreatingIt() {
        runner.answer(startsWith("pg_restore", "--list"), 0, "215; 1255 16400 FUNCTION heroku_ext gen_random_uuid() postgres\n");
        pg.catalog("FUNCTION\theroku_ext\tgen_random_uuid\n");
        assertEquals(0, parity("development", "restore", "production").exitCode);
        int schema = indexOf("psql CREATE SCHEMA IF NOT EXISTS heroku_ext");
        assertTrue(indexOf(p -> p.contains("CREATE DATABASE")) < schema && schema < indexOf("pg_restore --no-acl"), programs().toString());
        assertTrue(pg.events().contains("create schema in " + TMP), "in the temporary database: " + pg.events());
    }

    @Test
    void herokuExtSchemaIsLeftToTheDumpWhenItCreatesIt() {
        runner.answer(startsWith("pg_restore", "--list"), 0, "12; 2615 2200 SCHEMA - heroku_ext postgres\n"
                + "215; 1255 16400 FUNCTION heroku_ext gen_random_uuid() postgres\n");
        pg.catalog("FUNCTION\theroku_ext\tgen_random_uuid\n");
        Run r = parity("development", "restore", "production");
        assertEquals(0, r.exitCode, r.toString());
        assertFalse(ran("CREATE SCHEMA"), programs().toString());
    }

    /** pg_restore --list shows "EXTENSION - citext" without its schema: the pre-data SQL says where it goes. */
    @Test
    void herokuExtSchemaIsCreatedWhenAnExtensionInTheDumpGoesThere() {
        runner.answer(startsWith("pg_restore", "--list"), 0, TOC + "2; 3079 16385 EXTENSION - citext \n")
                .answer(startsWith("pg_restore", "--section=pre-data"), 0, "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA heroku_ext;\n");
        Run r = parity("development", "restore", "production");
        assertEquals(0, r.exitCode, r.toString());
        int schema = indexOf("psql CREATE SCHEMA IF NOT EXISTS heroku_ext");
        assertTrue(schema > 0 && schema < indexOf("pg_restore --no-acl"), programs().toString());

        runner.answer(startsWith("pg_restore", "--section=pre-data"), 0, "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;\n");
        Run without = parity("development", "restore", "production");
        assertEquals(0, without.exitCode, without.toString());
        assertTrue(without.err.contains("skipped: the dump does not need heroku_ext created"), without.err);

        runner.fail(startsWith("pg_restore", "--section=pre-data"), 6);
        Run unreadable = parity("development", "restore", "production");
        assertEquals(6, unreadable.exitCode, unreadable.toString());
        assertTrue(unreadable.err.contains("'create schema heroku_ext' failed"), unreadable.err);
        assertEquals(Map.of(DB, "created#2", PREVIOUS, "created#1"), pg.databases(), "the third restore changed nothing");
        assertDevelopmentDatabaseSafe();
    }

    @Test
    void aTableOfContentsWithoutEntriesIsRefusedBeforeAnyDatabaseIsMade() {
        runner.answer(startsWith("pg_restore", "--list"), 0, ";\n; Archive created at 2026-01-01\n;     TOC Entries: 0\n;\n");
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.err.contains("'check the dump' failed") && r.err.contains("claims 0 entries"), r.err);
        assertFalse(ran("CREATE DATABASE"), programs().toString());
        assertDevelopmentDatabaseUnchanged();
    }

    @Test
    void railsProjectsMarkTheRestoredDatabaseAsDevelopment() throws IOException {
        Files.writeString(repo.resolve("Gemfile"), "gem 'rails'\n");
        Files.createDirectories(repo.resolve("config"));
        Files.writeString(repo.resolve("config/database.yml"), "development:\n  database: " + DB + "\n");
        runner.answer(startsWith("pg_restore", "--list"), 0, TOC + "216; 1259 16390 TABLE public ar_internal_metadata app\n");
        pg.catalog(CATALOG + "TABLE\tpublic\tar_internal_metadata\n");
        assertEquals(0, parity("development", "restore", "production").exitCode);
        int mark = indexOf(p -> p.contains("UPDATE ar_internal_metadata SET value = 'development' WHERE key = 'environment'"));
        assertTrue(indexOf(p -> p.contains("pg_proc")) < mark && mark < indexOf(p -> p.contains("RENAME")), programs().toString());
        assertTrue(pg.events().contains("update ar_internal_metadata in " + TMP), pg.events().toString());

        runner.answer(startsWith("pg_restore", "--list"), 0, TOC);
        Run without = parity("development", "restore", "production");
        assertEquals(0, without.exitCode, without.toString());
        assertTrue(without.err.contains("skipped: the dump has no ar_internal_metadata"), without.err);
    }

    @Test
    void otherProjectsLeaveArInternalMetadataAlone() {
        runner.answer(startsWith("pg_restore", "--list"), 0, TOC + "216; 1259 16390 TABLE public ar_internal_metadata app\n");
        pg.catalog(CATALOG + "TABLE\tpublic\tar_internal_metadata\n");
        Run r = parity("development", "restore", "production");
        assertEquals(0, r.exitCode, r.toString());
        assertFalse(ran("ar_internal_metadata"), programs().toString());
        assertFalse(parity("development", "restore", "production", "--dry-run").out.contains("ar_internal_metadata"));
    }

    @Test
    void failedDownloadNeverTouchesAnyDatabase() {
        server.failWith(500);
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("'download the backup' failed") && r.err.contains("HTTP 500"), r.err);
        assertTrue(r.err.contains("not run: check the dump, create the temporary database " + TMP), r.err);
        assertFalse(r.err.contains("s3cr3t-signature"), "signed URL stays secret: " + r.err);
        assertEquals(programs().size() - 1, indexOf("heroku pg:backups:url"), "nothing ran after the download: " + programs());
        assertDevelopmentDatabaseUnchanged();
    }

    @Test
    void downloadCutShortNeverTouchesAnyDatabase() {
        server.cutAfter(10);
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("'download the backup' failed") && r.err.contains("cut short"), r.err);
        assertFalse(ran("pg_restore --list") || ran("pg_restore --no-acl"), programs().toString());
        assertDevelopmentDatabaseUnchanged();
        try (var files = Files.list(home.resolve(".cache/parity/dumps"))) {
            assertEquals(List.of(), files.toList(), "no half dump is left behind");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void errorPageInsteadOfABackupNeverTouchesAnyDatabase() {
        server.serve("<html>NoSuchKey</html>".getBytes());
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("does not serve a PostgreSQL custom-format dump"), r.err);
        assertEquals(1, server.requests(), "rejected on its first bytes");
        assertFalse(ran("pg_restore --list") || ran("pg_restore --no-acl"), programs().toString());
        assertDevelopmentDatabaseUnchanged();
    }

    @Test
    void dumpPgRestoreCannotReadNeverTouchesAnyDatabase() {
        runner.answer(startsWith("pg_restore", "--list"), 1, "")
                .answer(startsWith("pg_restore", "--version"), 0, "pg_restore (PostgreSQL) 15.18\n");
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("corrupt or incomplete"), r.err);
        assertFalse(ran("CREATE DATABASE"), programs().toString());
        assertDevelopmentDatabaseUnchanged();
    }

    @Test
    void dumpNewerThanLocalPgRestoreIsRefusedBeforeItIsDownloaded() {
        server.serve(Dumps.header(16, "17.2"));
        runner.answer(startsWith("pg_restore", "--list"), 1, "")
                .answer(startsWith("pg_restore", "--version"), 0, "pg_restore (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n");
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("'download the backup' failed"), r.err);
        assertTrue(r.err.contains("PostgreSQL 17 client"), r.err);
        assertTrue(r.err.contains("15.18"), r.err);
        assertEquals(1, server.requests(), "only the first bytes were fetched");
        assertFalse(ran("pg_restore --list") || ran("CREATE DATABASE"), programs().toString());
        assertDevelopmentDatabaseUnchanged();
    }

    @Test
    void dumpFromTheSameMajorVersionIsDownloaded() {
        server.serve(Dumps.header(14, "15.4"));
        runner.answer(startsWith("pg_restore", "--version"), 0, "pg_restore (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n");
        assertEquals(0, parity("development", "restore", "production").exitCode);
        server.serve(Dumps.header(14, "14.9"));
        assertEquals(0, parity("development", "restore", "production").exitCode, "older dumps are fine");
    }

    @Test
    void failingBackupUrlStopsBeforeAnyDownload() {
        runner.fail(startsWith("heroku", "pg:backups:url"), 2);
        Run r = parity("development", "restore", "production");
        assertEquals(2, r.exitCode);
        assertEquals(0, server.requests());
        assertEquals(programs().size() - 1, indexOf("heroku pg:backups:url"), programs().toString());
        assertDevelopmentDatabaseUnchanged();
        // without a token the CLI cannot log in here (no terminal input): the line says how
        assertTrue(r.err.contains("parity found no Heroku credentials: run `heroku login`, or set HEROKU_API_KEY"), r.err);
        assertTrue(runner.commands().stream().anyMatch(c -> c.argv().contains("pg:backups:url") && c.redactOutput()), "and never shows the URL");
    }

    @Test
    void noBackupYetSaysHowToCaptureOne() {
        runner.answer(startsWith("heroku", "pg:backups:url"), 0, "\n");
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("production backup"), r.err);
        assertDevelopmentDatabaseUnchanged();
    }

    @Test
    void localServerThatDoesNotAnswerStopsBeforeTheBackupIsLookedUp() {
        runner.fail(c -> c.program().equals("psql"), 2);
        Run r = parity("development", "restore", "production");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("'check the local PostgreSQL' failed"), r.err);
        assertEquals(List.of(), heroku());
        assertEquals(0, server.requests());
    }

    @Test
    void missingClientProgramsAreNamedBeforeAnythingRuns() {
        runner.without("pg_restore");
        Run r = parity("development", "restore", "production");
        assertEquals(127, r.exitCode);
        assertTrue(r.err.contains("pg_restore is not installed"), r.err);
        assertEquals(List.of(), programs());
    }

    @Test
    void failingTemporaryDatabaseStopsBeforeTheRestore() {
        runner.fail(c -> c.program().equals("psql") && FakeLocalPostgres.statements(c).stream().anyMatch(s -> s.startsWith("CREATE DATABASE")), 1);
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("'create the temporary database " + TMP + "' failed"), r.err);
        assertFalse(ran("pg_restore --no-acl"));
        assertDevelopmentDatabaseUnchanged();
    }

    @Test
    void failingRestoreKeepsItsExitCodeDropsTheTemporaryDatabaseAndLeavesTheDevelopmentDatabase() {
        runner.fail(startsWith("pg_restore", "--no-acl"), 4);
        Run r = parity("development", "restore", "production");
        assertEquals(4, r.exitCode);
        assertTrue(r.err.contains("'restore into " + TMP + "' failed: pg_restore exited with status 4"), r.err);
        assertTrue(r.err.contains(DB + " was not changed"), r.err);
        assertFalse(ran("pg_proc"), "not verified, not swapped");
        assertTrue(pg.events().indexOf("drop " + TMP) > pg.events().indexOf("create " + TMP), "the temporary database is dropped: " + pg.events());
        assertDevelopmentDatabaseUnchanged();
    }

    /** pg_restore writes its complaints to the file the command names; here a test does. */
    void pgRestoreComplains(int exitCode, String stderr) {
        runner.answerWith(startsWith("pg_restore", "--no-acl"), c -> {
            try {
                Files.writeString(c.errorFile(), stderr);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Result(exitCode, "");
        });
    }

    @Test
    void seriousRestoreErrorsFailTheRestoreEvenWhenItsExitStatusIsZero() {
        pgRestoreComplains(0, "pg_restore: error: could not execute query: ERROR:  type \"public.citext\" does not exist\n"
                + "Command was: CREATE TABLE public.users (\n");
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.err.contains("pg_restore reported 1 error: could not execute query: ERROR:  type \"public.citext\" does not exist"
                + " (Command was: CREATE TABLE public.users ()"), r.err);
        assertDevelopmentDatabaseUnchanged();
    }

    @Test
    void manySeriousErrorsAreCutToTheFirstFive() {
        StringBuilder stderr = new StringBuilder();
        for (int i = 1; i <= 7; i++) stderr.append("pg_restore: error: could not execute query: ERROR:  relation \"t").append(i)
                .append("\" already exists\n");
        pgRestoreComplains(1, stderr.toString());
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.err.contains("pg_restore reported 7 errors: ") && r.err.contains("\"t5\" already exists; …"), r.err);
        assertFalse(r.err.contains("\"t6\""), r.err);
    }

    @Test
    void harmlessRestoreErrorsAreReportedAndTheRestoreGoesOn() {
        pgRestoreComplains(1, "pg_restore: error: could not execute query: ERROR:  must be owner of extension plpgsql\n"
                + "Command was: COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';\n"
                + "pg_restore: warning: errors ignored on restore: 1\n");
        Run r = parity("development", "restore", "production");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.err.contains("ignored a harmless pg_restore error: could not execute query: ERROR:  must be owner of extension plpgsql"), r.err);
        assertEquals(Map.of(DB, "created#1", PREVIOUS, DB), pg.databases());
    }

    @Test
    void aRestoreMissingObjectsIsNeverSwappedIn() {
        runner.answer(startsWith("pg_restore", "--list"), 0, TOC + "3441; 1259 16644 INDEX public index_users_on_email app\n"
                + "3460; 2606 16639 FK CONSTRAINT public posts posts_user_id_fkey app\n");
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.err.contains("'verify the restored database' failed: the restored database is missing 1 of 1 index: "
                + "public.index_users_on_email; 1 of 1 foreign key: public.posts posts_user_id_fkey. " + DB + " was not changed"), r.err);
        assertFalse(ran("RENAME"), programs().toString());
        assertTrue(pg.events().contains("drop " + TMP), pg.events().toString());
        assertDevelopmentDatabaseUnchanged();
    }

    @Test
    void otherConnectionsAreNamedBeforeAnythingIsDownloaded() {
        pg.session(DB, 4242, "rails server");
        Run r = parity("development", "restore", "production");
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.err.contains("1 other connection to " + DB + ": rails server (pid 4242, 127.0.0.1, user dev)"), r.err);
        assertTrue(r.err.contains("--force"), r.err);
        assertEquals(List.of(), heroku());
        assertEquals(0, server.requests());
        assertDevelopmentDatabaseUnchanged();
    }

    @Test
    void forceEndsOtherConnectionsOnlyAtTheSwap() {
        pg.session(DB, 4242, "rails server");
        Run r = parity("development", "restore", "production", "--force");
        assertEquals(0, r.exitCode, r.toString());
        List<String> events = pg.events();
        int terminate = events.indexOf("terminate " + DB);
        assertTrue(events.indexOf("catalog " + TMP) < terminate && terminate < events.indexOf("rename " + DB + " to " + PREVIOUS),
                "ended after verification, right before the renames: " + events);
        assertEquals(Map.of(DB, "created#1", PREVIOUS, DB), pg.databases());
        assertDevelopmentDatabaseSafe();
    }

    @Test
    void anOlderPreviousCopyIsReplaced() {
        pg.with(PREVIOUS);
        assertEquals(0, parity("development", "restore", "production").exitCode);
        assertEquals(Map.of(DB, "created#1", PREVIOUS, DB), pg.databases());
        assertDevelopmentDatabaseSafe();
    }

    @Test
    void undoPutsThePreviousCopyBackAndCanItselfBeUndone() {
        pg.with(PREVIOUS);
        Run r = parity("development", "restore", "--undo");
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(Map.of(DB, PREVIOUS, PREVIOUS, DB), pg.databases());
        assertTrue(r.err.contains("run --undo again to switch back"), r.err);
        assertEquals(0, parity("development", "restore", "--undo").exitCode);
        assertEquals(Map.of(DB, DB, PREVIOUS, PREVIOUS), pg.databases());
        assertEquals(List.of(), heroku());
        assertFalse(pg.events().contains("drop " + DB) || pg.events().contains("drop " + PREVIOUS), pg.events().toString());
    }

    @Test
    void undoWithoutAPreviousCopyChangesNothing() {
        Run r = parity("development", "restore", "--undo");
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.err.contains("no previous copy of " + DB), r.err);
        assertEquals(Map.of(DB, DB), pg.databases());
    }

    @Test
    void undoStopsAtOtherConnectionsUnlessForced() {
        pg.with(PREVIOUS).session(DB, 77, "rails console");
        Run r = parity("development", "restore", "--undo");
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.err.contains("rails console (pid 77"), r.err);
        assertEquals(Map.of(DB, DB, PREVIOUS, PREVIOUS), pg.databases());
        assertEquals(0, parity("development", "restore", "--undo", "--force").exitCode);
        assertEquals(Map.of(DB, PREVIOUS, PREVIOUS, DB), pg.databases());
    }

    @Test
    void undoTakesNoSourceAndIntoAnAppNeedsABackupRecordedBeforeARestore() {
        assertEquals(1, parity("staging", "restore", "--undo").exitCode, "no backup from before a restore is recorded for staging");
        assertEquals(2, parity("development", "restore", "production", "--undo").exitCode);
        assertEquals(2, parity("staging", "restore", "production", "--undo").exitCode);
        assertEquals(List.of(), programs());
    }

    @Test
    void keepDumpKeepsItAndTheNextRestoreReusesIt() {
        Run first = parity("development", "restore", "production", "--keep-dump");
        assertEquals(0, first.exitCode, first.toString());
        Path dump = dumpFile();
        assertTrue(Files.exists(dump), "kept");
        assertTrue(first.err.contains("kept the dump: " + dump), first.err);

        long sent = server.bytesSent();
        int requests = server.requests();
        Run second = parity("development", "restore", "production", "--keep-dump");
        assertEquals(0, second.exitCode, second.toString());
        assertTrue(second.err.contains("reusing the kept dump " + dump), second.err);
        assertEquals(requests + 1, server.requests(), "only the probe that identifies the backup");
        assertTrue(server.bytesSent() - sent <= 4096, "not downloaded again");

        Run third = parity("development", "restore", "production");
        assertEquals(0, third.exitCode, third.toString());
        assertTrue(third.err.contains("reusing the kept dump"), third.err);
        assertFalse(Files.exists(dump), "without --keep-dump it is removed afterwards");
    }

    @Test
    void parallelizeBeforeTheSourceIsStillAFlag() {
        Run r = parity("development", "restore", "--parallelize", "production");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(restoreCommand().argv().contains("--jobs=" + CORES), restoreCommand().toString());
        assertEquals(List.of("heroku", "pg:backups:url", "--app", PROD),
                runner.commands().stream().filter(startsWith("heroku")).findFirst().orElseThrow().argv());
    }

    @Test
    void jobsAndExtraArgumentsReachPgRestore() {
        Run r = parity("development", "restore-from", "production", "--jobs", "3", "--", "--no-comments", "-v");
        assertEquals(0, r.exitCode, r.toString());
        Path dump = dumpFile();
        assertEquals(List.of("pg_restore", "--no-acl", "--no-owner", "--jobs=3", "--dbname", TMP, "--no-comments", "-v", dump.toString()),
                restoreCommand().argv());
        assertTrue(runner.commands().stream().anyMatch(c -> c.argv().equals(List.of("pg_restore", "--list", "--no-comments", "-v",
                dump.toString()))), "the dump's contents as selected by the same options are what is verified");
    }

    @Test
    void jobsMustBeAtLeastOne() {
        assertEquals(2, parity("development", "restore", "production", "--jobs", "0").exitCode);
        assertEquals(List.of(), programs());
    }

    @Test
    void jobsAreCapped() {
        Run r = parity("development", "restore", "production", "--jobs", "1000");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("--jobs must be between 1 and 64"), r.err);
        assertEquals(List.of(), programs());
    }

    /** What follows -- may narrow the restore, never send it elsewhere: refused before anything runs. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"-- -d " + DB, "-- --dbname=" + DB, "-d " + DB, "-- -n public -c",
            "-- -C", "-- -1", "-- -f out.sql", "-- --list", "-- -h otherhost", "-- -j 1000", "-- -- -d x"})
    void pgRestoreOptionsThatChooseTheTargetAreRefused(String extra) {
        List<String> args = new ArrayList<>(List.of("development", "restore", "production"));
        args.addAll(List.of(extra.split(" ")));
        Run r = parity(args.toArray(String[]::new));
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("parity chooses pg_restore's target and mode itself") && r.err.contains("refused: "), r.err);
        assertEquals(List.of(), programs(), "nothing ran, nothing was downloaded");
        assertDevelopmentDatabaseUnchanged();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"-- --app " + PROD, "-- -a " + PROD, "-- -a" + PROD, "-- --app=" + PROD,
            "-- --remote production", "-- -r production", "-- --confirm " + STAGING})
    void herokuOptionsThatChooseTheAppAreRefused(String extra) {
        for (String source : List.of("production", "development")) {
            runner.commands().clear();
            List<String> args = new ArrayList<>(List.of("staging", "restore", source));
            args.addAll(List.of(extra.split(" ")));
            Run r = parity(args.toArray(String[]::new));
            assertEquals(2, r.exitCode, r.toString());
            assertTrue(r.err.contains("the app is the target environment's"), r.err);
            assertFalse(ran("pg:reset"), programs().toString());
        }
    }

    /**
     * pg:backups:restore's -c is its --confirm, and the CLI reads bundled short flags (-va APP is
     * -v -a APP): given along with parity's own, the CLI fails after the reset, leaving the target empty.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"-- -c " + PROD, "-- -c" + PROD, "-- -vc " + PROD, "-- -va " + PROD,
            "-- -vr production"})
    void herokusShortConfirmAndBundledAppFlagsAreRefusedBeforeTheReset(String extra) {
        List<String> args = new ArrayList<>(List.of("staging", "restore", "production"));
        args.addAll(List.of(extra.split(" ")));
        Run r = parity(args.toArray(String[]::new));
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("the app is the target environment's"), r.err);
        assertFalse(ran("pg:reset"), programs().toString());
    }

    // ---- remote → remote -----------------------------------------------------------------------

    @Test
    void stagingFromProductionChecksTheBackupAndCountsItsTablesBeforeResetting() {
        List<Integer> requestsAtReset = new ArrayList<>();
        List<Path> listed = new ArrayList<>();
        runner.answerWith(startsWith("heroku", "pg:reset"), c -> {
            requestsAtReset.add(server.requests());
            return new Result(0, "");
        }).answerWith(startsWith("pg_restore", "--list"), c -> {
            listed.add(Path.of(c.argv().get(c.argv().size() - 1)));
            return new Result(0, TOC + "216; 1259 16390 TABLE public posts app\n");
        }).answer(startsWith("heroku", "pg:psql"), 0, tables(2));
        Run r = parity("staging", "restore", "production");
        assertEquals(0, r.exitCode, r.toString());
        int whole = WHOLE_DUMP.length;
        assertEquals(List.of(4), requestsAtReset, "the backup was proven whole and its tables counted before the reset");
        assertEquals(List.of("bytes=0-4095", "bytes=0-" + (whole - 1), "bytes=" + (whole - 23) + "-" /* its one data block: type, id, one chunk of 7 bytes, end */, "bytes=0-262143"), server.ranges(),
                "its head, its table of contents, its last data block, then the prefix pg_restore lists");
        assertEquals(1, listed.size());
        assertFalse(Files.exists(listed.get(0)), "the fetched start is removed afterwards");
        assertEquals(List.of(
                List.of("heroku", "pg:backups:url", "--app", PROD),
                List.of("pg_restore", "--list", listed.get(0).toString()),
                List.of("heroku", "pg:backups:capture", "--app", STAGING),
                List.of("heroku", "pg:reset", "--confirm", STAGING, "--app", STAGING),
                List.of("heroku", "pg:backups:restore", server.url(), "DATABASE", "--confirm", STAGING, "--app", STAGING),
                List.of("heroku", "pg:psql", "-c", dev.parity.db.TableCount.SQL, "--app", STAGING)),
                runner.actions());
        assertTrue(r.err.contains("staging (" + STAGING + ") has 2 tables, as the backup of production (" + PROD + ") has"), r.err);
        assertFalse(r.err.contains("s3cr3t-signature"), r.err);
    }

    @Test
    void aBackupThisPgRestoreCannotListIsRestoredWithoutComparingTables() {
        runner.fail(startsWith("pg_restore", "--list"), 1);
        Run r = parity("staging", "restore", "production");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.err.contains("its tables will not be compared"), r.err);
        assertEquals(List.of("heroku pg:backups:url", "heroku pg:backups:capture", "heroku pg:reset", "heroku pg:backups:restore"), heroku());
    }

    @Test
    void stagingIsNeverResetWhenTheSourceFails() {
        server.failWith(404);
        Run r = parity("staging", "restore", "production");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("'check the backup is whole' failed"), r.err);
        assertEquals(List.of("heroku pg:backups:url"), heroku());

        server.serve(Dumps.header(14, "15.4")).failDownloadsWith(403); // the first bytes, then no table of contents
        Run expired = parity("staging", "restore", "production");
        assertEquals(1, expired.exitCode, expired.toString());
        assertTrue(expired.err.contains("HTTP 403"), expired.err);
        assertFalse(expired.err.contains("s3cr3t"), expired.err);
        assertFalse(heroku().contains("heroku pg:reset"), heroku().toString());

        runner.fail(startsWith("heroku", "pg:backups:url"), 2);
        assertEquals(2, parity("staging", "restore", "production").exitCode);
        assertFalse(heroku().contains("heroku pg:reset"));
    }

    @Test
    void aTargetWithOtherTablesThanTheSourceFailsAfterTheRestore() {
        runner.answer(startsWith("heroku", "pg:psql").and(c -> c.argv().contains(STAGING)), 0, tables(2));
        Run r = parity("staging", "restore", "production");
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.err.contains("'compare table counts' failed: the restore finished, but staging (" + STAGING + ") has 2 tables "
                + "where the backup of production (" + PROD + ") has 1"), r.err);
    }

    /** A reset that fails may have happened all the same: the safety backup goes back. */
    @Test
    void failingResetStopsBeforeTheRestoreAndPutsTheSafetyBackupBack() {
        runner.fail(startsWith("heroku", "pg:reset"), 2);
        Run r = parity("staging", "restore", "production");
        assertEquals(2, r.exitCode, r.toString());
        assertEquals(List.of("heroku pg:backups:url", "heroku pg:backups:capture", "heroku pg:reset", "heroku pg:backups:restore"), heroku());
        assertEquals(List.of("heroku", "pg:backups:restore", STAGING + "::b007", "DATABASE", "--confirm", STAGING, "--app", STAGING),
                runner.actions().get(runner.actions().size() - 1));
        assertTrue(r.err.contains("parity: staging (" + STAGING + ") has its database from before the restore again (backup b007)"), r.err);
    }

    @Test
    void aSafetyBackupThatCannotBeCapturedStopsBeforeTheReset() {
        runner.fail(startsWith("heroku", "pg:backups:capture"), 5);
        Run r = parity("staging", "restore", "production");
        assertEquals(5, r.exitCode, r.toString());
        assertTrue(r.err.contains("could not back up staging (" + STAGING + ") before resetting it: `heroku pg:backups:capture --app "
                + STAGING + "` exited with status 5; nothing was changed (to restore without a safety backup: --no-backup)"), r.err);
        assertEquals(List.of("heroku pg:backups:url", "heroku pg:backups:capture"), heroku());
    }

    @Test
    void aCaptureThatDoesNotNameItsBackupStopsBeforeTheReset() {
        runner.answer(startsWith("heroku", "pg:backups:capture"), 0, "Use Ctrl-C at any time to stop monitoring progress\n");
        Run r = parity("staging", "restore", "development");
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.err.contains("did not say the backup's name"), r.err);
        assertEquals(List.of("heroku pg:backups:capture"), heroku());
    }

    @Test
    void noBackupRestoresWithoutASafetyBackupAndPutsNothingBack() {
        runner.fail(startsWith("heroku", "pg:backups:restore"), 4);
        Run r = parity("staging", "restore", "production", "--no-backup");
        assertEquals(4, r.exitCode, r.toString());
        assertEquals(List.of("heroku pg:backups:url", "heroku pg:reset", "heroku pg:backups:restore"), heroku());
        assertFalse(r.err.contains("putting back"), r.err);
    }

    /** The restore fails after the reset, and so does putting the safety backup back: the user gets the command. */
    @Test
    void whenThePutBackFailsTooTheCommandIsPrinted() {
        runner.fail(startsWith("heroku", "pg:backups:restore"), 4);
        Run r = parity("staging", "restore", "production");
        assertEquals(4, r.exitCode, r.toString());
        assertEquals(List.of("heroku pg:backups:url", "heroku pg:backups:capture", "heroku pg:reset", "heroku pg:backups:restore",
                "heroku pg:backups:restore"), heroku());
        assertTrue(r.err.contains("'restore the backup into staging (" + STAGING + ")' failed"), r.err);
        assertTrue(r.err.contains("putting back backup b007 failed too (status 4); staging (" + STAGING + ") may be empty. Put it back with: "
                + "heroku pg:backups:restore " + STAGING + "::b007 DATABASE --confirm " + STAGING + " --app " + STAGING), r.err);
        assertFalse(r.err.contains("s3cr3t-signature"), r.err);
    }

    @Test
    void aChosenBackupIsComparedWithItsOwnTableOfContents() {
        assertEquals(0, parity("staging", "restore", "production", "--backup-id", "b042").exitCode);
        assertEquals(List.of("heroku pg:backups:url", "heroku pg:backups:capture", "heroku pg:reset", "heroku pg:backups:restore",
                "heroku pg:psql"), heroku());
        assertEquals(List.of("heroku", "pg:backups:url", "b042", "--app", PROD), runner.actions().get(0));
    }

    @Test
    void remoteRestoresNeedTheirTools() {
        for (String tool : List.of("psql", "pg_restore", "heroku")) {
            RecordingRunner without = new RecordingRunner().withRemote("production", "https://git.heroku.com/" + PROD + ".git")
                    .withRemote("staging", "https://git.heroku.com/" + STAGING + ".git").without(tool);
            Run r = Run.parity(repo, without, env, "", "staging", "restore", "production");
            assertEquals(127, r.exitCode, r.toString());
            assertTrue(r.err.contains(tool + " is not installed"), r.err);
            assertTrue(without.commands().stream().noneMatch(startsWith("heroku")), tool);
        }
    }

    // ---- development → remote -----------------------------------------------------------------

    @Test
    void stagingFromDevelopmentChecksTheLocalDatabaseThenPushesAndCompares() {
        Run r = parity("staging", "restore", "development");
        assertEquals(0, r.exitCode, r.toString());
        int count = indexOf(p -> p.startsWith("psql SELECT 'parity-tables:'"));
        int reset = indexOf("heroku pg:reset");
        assertTrue(indexOf("psql SHOW server_version_num") < count && indexOf("pg_dump") < count && count < reset, programs().toString());
        List<List<String>> heroku = runner.commands().stream().filter(startsWith("heroku")).map(Command::argv).toList();
        assertEquals(List.of(
                List.of("heroku", "pg:backups:capture", "--app", STAGING),
                List.of("heroku", "pg:reset", "--confirm", STAGING, "--app", STAGING),
                List.of("heroku", "pg:push", DB, "DATABASE_URL", "--app", STAGING),
                List.of("heroku", "pg:psql", "-c", dev.parity.db.TableCount.SQL, "--app", STAGING)), heroku);
        assertTrue(r.err.contains("staging (" + STAGING + ") has 1 table, as the local database has"), r.err);
        assertEquals(Map.of(DB, DB), pg.databases(), "the local database is only read");
    }

    @Test
    void unreadableLocalDatabaseNeverResetsTheTarget() {
        runner.fail(c -> c.program().equals("psql"), 2);
        Run r = parity("staging", "restore", "development");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("'check the local database " + DB + "' failed"), r.err);
        assertEquals(List.of(), heroku());
    }

    @Test
    void missingLocalDatabaseNeverResetsTheTarget() {
        pg = new FakeLocalPostgres();
        pg.installOn(runner);
        Run r = parity("staging", "restore", "development");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("the local database " + DB + " does not exist; nothing was changed"), r.err);
        assertEquals(List.of(), heroku());
    }

    @Test
    void pgDumpOlderThanTheLocalServerIsNamedBeforeTheReset() {
        pg.version("170002");
        runner.answer(startsWith("pg_dump", "--version"), 0, "pg_dump (PostgreSQL) 15.4\n");
        Run r = parity("staging", "restore", "development");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("Install the PostgreSQL 17 client"), r.err);
        assertEquals(List.of(), heroku());
    }

    @Test
    void aPushThatLostTablesFailsTheRestore() {
        pg.tables(3);
        Run r = parity("staging", "restore", "development");
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.err.contains("has 1 table where the local database has 3"), r.err);
    }

    // ---- production ------------------------------------------------------------------------------

    @Test
    void productionIsRefusedWithoutForce() {
        Run r = parity("production", "restore", "staging");
        assertEquals(3, r.exitCode);
        assertTrue(r.err.contains("--force"), r.err);
        assertTrue(runner.actions().isEmpty());
    }

    /** A dry run is never refused: it shows what --force would do, the confirmation included, and does nothing. */
    @Test
    void productionDryRunShowsThePlanWithItsConfirmation() {
        for (String[] args : new String[][] {{"production", "--dry-run", "restore", "staging"}, {"production", "restore", "staging", "--dry-run"}}) {
            Run r = parity(args);
            assertEquals(0, r.exitCode, r.toString());
            assertTrue(r.out.contains(". confirm overwriting production (" + PROD + ")\n"), r.out);
            assertTrue(r.out.contains("ask to type " + PROD + " to confirm"), r.out);
            assertTrue(r.out.indexOf("confirm overwriting") < r.out.indexOf("reset the database of production"), r.out);
            assertTrue(r.out.contains("into production: running this needs --force, then the app name typed at the prompt (or --confirm "
                    + PROD + "); without --force it is refused and nothing changes"), r.out);
        }
        Run confirmed = parity("production", "--dry-run", "restore", "staging", "--force", "--confirm", PROD);
        assertEquals(0, confirmed.exitCode, confirmed.toString());
        assertTrue(confirmed.out.contains("check --confirm " + PROD + " matches " + PROD), confirmed.out);
        assertFalse(confirmed.out.contains("running this needs --force"), confirmed.out);
        assertEquals(List.of(), runner.actions(), "a dry run changes nothing");
    }

    @Test
    void productionUndoDryRunShowsThePlanWithItsConfirmation() {
        assertEquals(0, parity("production", "restore", "staging", "--force", "--confirm", PROD).exitCode, "records a safety backup");
        int before = runner.actions().size();
        Run r = parity("production", "--dry-run", "restore", "--undo");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains(". confirm overwriting production (" + PROD + ")\n     ask to type " + PROD + " to confirm"), r.out);
        assertTrue(r.out.contains("running this needs --force"), r.out);
        assertEquals(ExitCodes.REFUSED, parity("production", "restore", "--undo").exitCode, "without --dry-run: refused");
        assertEquals(before, runner.actions().size(), "neither ran anything");
    }

    @Test
    void productionWithForceNeedsTheAppNameTyped() {
        Run wrong = Run.parity(repo, runner, env, "myapp-staging\n", "production", "restore", "staging", "--force");
        assertEquals(3, wrong.exitCode);
        assertTrue(wrong.err.contains("did not match " + PROD), wrong.err);
        assertFalse(heroku().contains("heroku pg:reset"));

        Run right = Run.parity(repo, runner, env, PROD + "\n", "production", "restore", "staging", "--force");
        assertEquals(0, right.exitCode, right.toString());
        assertTrue(right.err.contains("Type " + PROD), right.err);
        assertTrue(runner.actions().contains(List.of("heroku", "pg:reset", "--confirm", PROD, "--app", PROD)));
    }

    @Test
    void productionWithForceAndNoTerminalNeedsConfirm() {
        Run r = parity("production", "restore", "staging", "--force");
        assertEquals(3, r.exitCode);
        assertTrue(r.err.contains("--confirm " + PROD), r.err);
        assertFalse(heroku().contains("heroku pg:reset"));

        assertEquals(3, parity("production", "restore", "staging", "--force", "--confirm", "wrong").exitCode);
        assertFalse(heroku().contains("heroku pg:reset"));
        assertEquals(0, parity("production", "restore", "staging", "--force", "--confirm", PROD).exitCode);
        assertTrue(heroku().contains("heroku pg:reset"));
    }

    @Test
    void restoreFromItselfIsAUsageError() {
        assertEquals(2, parity("staging", "restore", "staging").exitCode);
        assertEquals(2, parity("development", "restore", "development").exitCode);
        assertTrue(runner.actions().isEmpty());
    }

    // ---- plans -------------------------------------------------------------------------------------

    @Test
    void dryRunPrintsEveryStepAndRunsNothing() throws IOException {
        Files.writeString(repo.resolve("Gemfile"), "gem 'rails'\n");
        Run r = parity("development", "restore", "production", "--dry-run");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(runner.actions().isEmpty(), runner.actions().toString());
        assertEquals(0, server.requests());
        String[] steps = {"check the local PostgreSQL", "find the latest backup of production (" + PROD + ")", "download the backup",
            "check the dump", "create the temporary database " + TMP, "create schema heroku_ext", "restore into " + TMP,
            "verify the restored database", "mark the database as development (Rails)", "swap it in as " + DB};
        for (int i = 0; i < steps.length; i++) {
            assertTrue(r.out.contains("  " + (i + 1) + ". " + steps[i] + "\n"), (i + 1) + ". " + steps[i] + "\n" + r.out);
        }
        assertFalse(r.out.contains("  " + (steps.length + 1) + ". "), r.out);
        for (String expected : new String[] {"$ heroku pg:backups:url --app " + PROD, "download <backup URL> into "
                + home.resolve(".cache/parity/dumps"), "$ pg_restore --list <dump file>", "CREATE DATABASE " + TMP,
            CORES >= 2 ? "ALTER DATABASE " + TMP + " SET max_parallel_maintenance_workers = 0" : "CREATE DATABASE " + TMP,
            "$ pg_restore --no-acl --no-owner --jobs="
                    + CORES + " --dbname " + TMP + " '<dump file>'",
            "rename " + DB + " to " + PREVIOUS, "local database: " + DB}) {
            assertTrue(r.out.contains(expected), expected + "\n" + r.out);
        }
        assertFalse(r.out.contains("DROP DATABASE"), r.out);
    }

    @Test
    void dryRunsOfRemoteRestoresShowTheChecksBeforeTheReset() {
        Run r = parity("staging", "restore", "production", "--dry-run");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.indexOf("check the backup is whole") < r.out.indexOf("back up the database of staging")
                && r.out.indexOf("back up the database of staging") < r.out.indexOf("reset the database of staging")
                && r.out.indexOf("reset the database of staging") < r.out.indexOf("compare table counts"), r.out);
        assertTrue(r.out.contains("Count the tables it lists"), r.out);
        assertTrue(r.out.contains("$ heroku pg:backups:capture --app " + STAGING), r.out);
        assertTrue(r.out.contains("if a later step fails it is put back at once: $ heroku pg:backups:restore '" + STAGING
                + "::<backup>' DATABASE --confirm " + STAGING + " --app " + STAGING), r.out);
        Run noBackup = parity("staging", "restore", "production", "--dry-run", "--no-backup");
        assertFalse(noBackup.out.contains("pg:backups:capture"), noBackup.out);
        Run push = parity("staging", "restore", "development", "--dry-run");
        assertTrue(push.out.indexOf("check the local database " + DB) < push.out.indexOf("back up the database of staging")
                && push.out.indexOf("back up the database of staging") < push.out.indexOf("reset the database of staging")
                && push.out.contains("compare table counts"), push.out);
        // the check runs the dump pg:push will start, from the same source: the bare name
        assertTrue(push.out.contains("($ pg_dump --schema-only --no-sync --file=/dev/null -F c -N _heroku " + DB + ")"), push.out);
        assertTrue(push.out.contains("$ heroku pg:push " + DB + " DATABASE_URL --app " + STAGING), push.out);
        assertTrue(runner.actions().isEmpty());
        assertEquals(0, server.requests());
    }

    @Test
    void backupIdPicksThatBackup() {
        assertEquals(0, parity("development", "restore", "production", "--backup-id", "b042").exitCode);
        assertEquals(List.of("heroku", "pg:backups:url", "b042", "--app", PROD),
                runner.commands().stream().filter(startsWith("heroku")).findFirst().orElseThrow().argv());
        assertEquals(2, parity("development", "restore", "production", "--backup-id", "latest; rm -rf /").exitCode);
    }

    @Test
    void backupUrlSkipsTheLookupAndStaysSecret() {
        Run r = parity("staging", "restore", "production", "--backup-url", server.url());
        assertEquals(0, r.exitCode, r.toString());
        assertFalse(heroku().contains("heroku pg:backups:url"), programs().toString());
        assertTrue(runner.actions().contains(
                List.of("heroku", "pg:backups:restore", server.url(), "DATABASE", "--confirm", STAGING, "--app", STAGING)), programs().toString());
        assertFalse((r.out + r.err).contains("s3cr3t-signature"), r.toString());

        Run plan = parity("development", "restore", "production", "--backup-url", server.url(), "--dry-run");
        assertEquals(0, plan.exitCode);
        assertFalse(plan.out.contains("s3cr3t-signature"), plan.out);
        assertEquals(2, parity("development", "restore", "production", "--backup-url", server.url(), "--backup-id", "b1").exitCode);

        Run dev = parity("development", "restore", "production", "--backup-url", server.url());
        assertEquals(0, dev.exitCode, dev.toString());
        assertFalse((dev.out + dev.err).contains("s3cr3t-signature"), dev.toString());
    }

    @Test
    void badBackupUrlFailsBeforeAnythingIsTouched() {
        Run r = parity("development", "restore", "production", "--backup-url", "file:///etc/passwd");
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("--backup-url must be an http(s) URL"), r.err);
        assertEquals(List.of(), heroku());
        assertFalse(ran("pg_restore --list") || ran("CREATE DATABASE"), programs().toString());
        assertDevelopmentDatabaseUnchanged();
    }

    /**
     * The server's template databases are never a development database: a restore would rename
     * template1 aside and put production's data in its place, copied into every database made later.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"template1", "template0"})
    void aTemplateDatabaseIsRefusedAsTheDevelopmentDatabase(String name) throws IOException {
        Files.writeString(repo.resolve(".parity.yml"), "development: {database: " + name + "}\n");
        pg.with(name);
        for (String[] args : List.of(new String[] {"development", "restore", "production"}, new String[] {"development", "restore", "--undo"})) {
            Run r = parity(args);
            assertEquals(2, r.exitCode, r.toString());
            assertTrue(r.err.contains("'" + name + "' is one of the server's template databases"), r.err);
        }
        assertEquals(List.of(), runner.actions(), "nothing ran");
        assertFalse(pg.events().stream().anyMatch(e -> e.contains("rename") || e.contains("create") || e.contains("drop")), pg.events().toString());
    }
}
