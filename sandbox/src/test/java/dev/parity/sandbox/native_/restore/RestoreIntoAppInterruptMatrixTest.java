package dev.parity.sandbox.native_.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.SandboxFixture;
import dev.parity.sandbox.native_.restore.RestoreSandbox.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code staging restore production} and {@code staging restore development} stopped by SIGINT, SIGTERM and SIGKILL at the
 * boundaries between its steps and after the last (PARITY_TEST_PAUSE), on the sandbox. Then the truth: before
 * the reset staging has exactly its own data and the last line says so; after it, the last line
 * gives the command that puts staging's own backup back, and that command works; after SIGKILL,
 * {@code staging restore --undo} does; after the last step staging has the source's data.
 */
class RestoreIntoAppInterruptMatrixTest {
    static final String TABLE = "staging_only";
    static final int ROWS = 7;
    /**
     * From production: check the tools, find the backup, prove it whole, back up staging, reset, restore, compare.
     * From development: check the local database, back up staging, reset, push, compare.
     */
    static final Map<String, Integer> STEPS = Map.of("production", 7, "development", 5);
    static final String DEV_DB = "mint_development";

    @TempDir
    static Path tmp;
    static RestoreSandbox s;
    static App production;
    static App staging;
    static String productionFingerprint;
    static final Map<String, List<String>> steps = new java.util.HashMap<>();

    @BeforeAll
    static void productionWithABackup() throws Exception {
        s = RestoreSandbox.start(tmp);
        production = s.app("production", "mint-production");
        staging = s.app("staging", "mint-staging");
        s.sql(production, RestoreSandbox.SHOP + RestoreSandbox.shopRows(10, 100));
        productionFingerprint = s.fingerprint(production);
        assertEquals("b001", s.capture(production));
        Files.writeString(s.repo.resolve(".parity.yml"), "development:\n  database: " + DEV_DB + "\n");
        s.recreate(DEV_DB);
        s.sql(DEV_DB, "CREATE TABLE drafts (id int PRIMARY KEY, body text); INSERT INTO drafts VALUES (1, 'from the laptop')");
        for (String source : STEPS.keySet()) {
            Outcome plan = s.parity("staging", "--dry-run", "restore", source);
            assertEquals(0, plan.exitCode(), plan.toString());
            List<String> names = plan.out().lines().map(l -> Pattern.compile("^  \\d+\\. (.*)$").matcher(l)).filter(Matcher::matches)
                    .map(m -> m.group(1)).toList();
            assertTrue(names.contains("reset the database of staging (mint-staging)"), names.toString());
            assertEquals(STEPS.get(source), names.size(), "the boundaries below are those of this plan: " + names);
            assertEquals(STEPS.get(source) - 2, names.indexOf("reset the database of staging (mint-staging)") + 1, names.toString());
            steps.put(source, names);
        }
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @BeforeEach
    void stagingHasItsOwnData() {
        s.ownData(staging, TABLE, ROWS);
    }

    /**
     * Every signal at every boundary up to the reset (staging must be untouched whichever it is),
     * and after the reset each boundary once, the three signals taking turns so that each kind of
     * ending (put the backup back, --undo after SIGKILL, the source's data at the end) runs for real
     * from both sources. What each signal says at every boundary after the reset is proven, without
     * restoring anything, by parity's RestoreIntoAppInterruptedAtEachBoundaryTest.
     */
    static Stream<Arguments> boundaries() {
        List<Arguments> all = new ArrayList<>();
        Map<String, List<String>> afterTheReset = Map.of("production", List.of("INT", "KILL", "TERM"), "development", List.of("TERM", "KILL", "INT"));
        for (String source : List.of("production", "development")) {
            int reset = STEPS.get(source) - 2; // the reset is followed by the restore (or push) and the comparison
            for (String signal : List.of("INT", "TERM", "KILL")) {
                for (int i = 1; i <= reset; i++) all.add(Arguments.of(source, "step:" + i, signal));
            }
            List<String> signals = afterTheReset.get(source);
            all.add(Arguments.of(source, "step:" + (reset + 1), signals.get(0)));
            all.add(Arguments.of(source, "step:" + (reset + 2), signals.get(1)));
            all.add(Arguments.of(source, "end", signals.get(2)));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "from {0}: {2} at {1}")
    @MethodSource("boundaries")
    void theTruthAfterASignal(String source, String point, String signal) throws Exception {
        List<String> steps = RestoreIntoAppInterruptMatrixTest.steps.get(source);
        int reset = steps.indexOf("reset the database of staging (mint-staging)") + 1;
        int capture = reset - 1; // the safety backup is taken right before the reset
        int step = point.equals("end") ? steps.size() + 1 : Integer.parseInt(point.substring("step:".length()));

        Path err = Files.createTempFile(tmp, "interrupted", ".err");
        Process p = s.start(Map.of("PARITY_TEST_PAUSE", point), err, "staging", "restore", source);
        try {
            for (int i = 0; i < 1200 && !Files.readString(err).contains("parity: test pause at " + point); i++) Thread.sleep(50);
            assertTrue(Files.readString(err).contains("parity: test pause at " + point), Files.readString(err));
            new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "parity ended");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String said = Files.readString(err);
        assertTrue(!said.contains("s3cr3t") && !said.contains("X-Amz-Signature="), said);
        String last = said.strip().lines().reduce((a, b) -> b).orElse("");
        Matcher backup = Pattern.compile("database before this restore is backup (b\\d+)").matcher(said);
        String where = (step <= steps.size() ? "before step " + step + "/" + steps.size() + " '" + steps.get(step - 1) + "'"
                : "after the last step");

        if (signal.equals("KILL")) {
            assertEquals(137, p.exitValue(), said);
            if (step <= reset) {
                s.assertOwnData(staging, TABLE, ROWS); // never reset
            } else if (step > steps.size()) {
                assertHasTheSourcesData(source);
            } else {
                // reset, maybe half restored: the recorded backup puts staging's own data back
                Outcome undo = s.parity("staging", "restore", "--undo");
                assertEquals(0, undo.exitCode(), undo.toString());
                s.assertOwnData(staging, TABLE, ROWS);
            }
            return;
        }

        assertEquals(signal.equals("INT") ? 130 : 143, p.exitValue(), said);
        String prefix = "parity: interrupted by SIG" + signal + " " + where;
        if (step <= capture) {
            assertEquals(prefix, last, said);
            s.assertOwnData(staging, TABLE, ROWS);
        } else if (step <= reset) {
            assertEquals(prefix + "; staging (mint-staging) was not changed", last, said);
            s.assertOwnData(staging, TABLE, ROWS);
        } else if (step <= steps.size()) {
            assertTrue(backup.find(), said);
            String command = "heroku pg:backups:restore mint-staging::" + backup.group(1) + " DATABASE --confirm mint-staging --app mint-staging";
            assertEquals(prefix + "; staging (mint-staging) was reset and may be empty: put back its backup from before the restore with: "
                    + command + "   (or: staging restore --undo)", last, said);
            SandboxFixture.Outcome fixed = s.f.heroku(command.substring("heroku ".length()).split(" "));
            assertEquals(0, fixed.exitCode(), fixed.toString());
            s.assertOwnData(staging, TABLE, ROWS);
        } else {
            assertTrue(backup.find(), said);
            assertEquals(prefix + "; staging (mint-staging) has the restored database; what it had is backup " + backup.group(1), last, said);
            assertHasTheSourcesData(source);
        }
    }

    private void assertHasTheSourcesData(String source) {
        if (source.equals("production")) assertEquals(productionFingerprint, s.fingerprint(staging));
        else assertEquals("from the laptop", s.sql(staging, "SELECT body FROM drafts"));
    }
}
