package dev.parity.cli;

import static dev.parity.support.RecordingRunner.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.db.DownloadPauses;
import dev.parity.process.Command;
import dev.parity.steps.ShutdownHook;
import dev.parity.support.DumpServer;
import dev.parity.support.Dumps;
import dev.parity.support.FakeLocalPostgres;
import dev.parity.support.RecordingRunner;
import dev.parity.support.Run;
import dev.parity.ui.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code staging restore production} and {@code staging restore development} interrupted at every
 * boundary between their steps and after the last (PARITY_TEST_PAUSE), on a recording runner: the
 * one last line says where and what is true of staging (nothing said before the safety backup,
 * "was not changed" up to the reset, the command that puts its backup back after it, "has the
 * restored database" at the end), and no program runs after the interrupt. The sandbox's
 * RestoreIntoAppInterruptMatrixTest delivers real signals at representative boundaries of each kind
 * and checks staging's data; this test covers every boundary.
 */
class RestoreIntoAppInterruptedAtEachBoundaryTest {
    static final String PROD = "myapp-production";
    static final String STAGING = "myapp-staging";
    static final String DB = "myapp_development";
    static final String TOC = "; Archive created at ...\n215; 1259 16386 TABLE public users app\n";
    static final String RESET = "reset the database of staging (" + STAGING + ")";
    static final String PUT_BACK = "heroku pg:backups:restore " + STAGING + "::b007 DATABASE --confirm " + STAGING + " --app " + STAGING;
    /** The steps of each plan, as the sandbox matrix counts them. */
    static final Map<String, Integer> STEPS = Map.of("production", 7, "development", 5);

    @TempDir
    Path repo;
    @TempDir
    Path home;
    RecordingRunner runner;
    DumpServer server;
    long pause;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectory(repo.resolve(".git"));
        Files.writeString(repo.resolve(".parity.yml"), "development: {database: " + DB + "}\n");
        server = new DumpServer().serve(Dumps.whole(14, "15.4", "1\n2\n\\.\n"));
        runner = new FakeLocalPostgres().with(DB).catalog("TABLE\tpublic\tusers\n").tables(1).installOn(new RecordingRunner()
                .withRemote("production", "https://git.heroku.com/" + PROD + ".git")
                .withRemote("staging", "https://git.heroku.com/" + STAGING + ".git"))
                .answer(startsWith("heroku", "pg:backups:url"), 0, server.url() + "\n\n")
                .answer(startsWith("pg_restore", "--list"), 0, TOC)
                .answer(startsWith("heroku", "pg:psql"), 0, " ?column?\n-----------------\n parity-tables:1\n(1 row)\n\n")
                .answer(startsWith("heroku", "pg:backups:capture"), 0, "Backing up DATABASE to b007... done\n");
        pause = DownloadPauses.set(1);
    }

    @AfterEach
    void tearDown() {
        ShutdownHook.forget();
        server.close();
        DownloadPauses.set(pause);
    }

    static Stream<Arguments> boundaries() {
        List<Arguments> all = new ArrayList<>();
        for (String source : List.of("production", "development")) {
            for (int i = 1; i <= STEPS.get(source); i++) all.add(Arguments.of(source, "step:" + i));
            all.add(Arguments.of(source, "end"));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "from {0}: interrupted at {1}")
    @MethodSource("boundaries")
    void theLastLineSaysWhatIsTrueOfStaging(String source, String point) throws Exception {
        List<String> steps = plan(source);
        assertEquals(STEPS.get(source), steps.size(), "the boundaries are those of this plan: " + steps);
        int reset = steps.indexOf(RESET) + 1;
        assertTrue(reset > 1, steps.toString());
        int capture = reset - 1; // the safety backup is taken right before the reset
        int step = point.equals("end") ? steps.size() + 1 : Integer.parseInt(point.substring("step:".length()));

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HOME", home.toString(), "PARITY_TEST_PAUSE", point));
        Io io = new Io(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), env, repo, false);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> new Parity(io, runner).run(new String[] {"staging", "restore", source}));
        for (int i = 0; i < 1000 && !said(err).contains("parity: test pause at " + point) && !run.isDone(); i++) Thread.sleep(10);
        assertTrue(said(err).contains("parity: test pause at " + point), said(err));
        int ranBefore = runner.commands().size();
        ShutdownHook.runNow(); // what SIGINT or SIGTERM does: the JVM's hook, while the run waits at the boundary
        run.get(30, TimeUnit.SECONDS);

        String text = said(err);
        List<Command> after = runner.commands().subList(ranBefore, runner.commands().size());
        assertEquals(List.of(), after.stream().map(Command::argv).toList(), "nothing ran after the interrupt (no put-back either)\n" + text);
        String last = text.strip().lines().reduce((a, b) -> b).orElse("");
        String prefix = "parity: interrupted " + (step <= steps.size() ? "before step " + step + "/" + steps.size() + " '" + steps.get(step - 1) + "'"
                : "after the last step");
        String staging = "staging (" + STAGING + ")";
        if (step <= capture) {
            assertEquals(prefix, last, text);
        } else if (step <= reset) {
            assertEquals(prefix + "; " + staging + " was not changed", last, text);
        } else if (step <= steps.size()) {
            assertTrue(text.contains(staging + "'s database before this restore is backup b007"), text);
            assertEquals(prefix + "; " + staging + " was reset and may be empty: put back its backup from before the restore with: "
                    + PUT_BACK + "   (or: staging restore --undo)", last, text);
        } else {
            assertEquals(prefix + "; " + staging + " has the restored database; what it had is backup b007", last, text);
        }
        List<String> heroku = runner.commands().stream().filter(startsWith("heroku")).map(c -> c.argv().get(1)).toList();
        assertEquals(step > reset, heroku.contains("pg:reset"), "staging is reset only from the reset step on: " + heroku);
    }

    private List<String> plan(String source) {
        Run plan = Run.parity(repo, new RecordingRunner().withRemote("production", "https://git.heroku.com/" + PROD + ".git")
                .withRemote("staging", "https://git.heroku.com/" + STAGING + ".git"), Map.of("HOME", home.toString()), "",
                "staging", "--dry-run", "restore", source);
        assertEquals(0, plan.exitCode, plan.toString());
        List<String> names = new ArrayList<>();
        for (String line : plan.out.lines().toList()) {
            Matcher m = Pattern.compile("^  \\d+\\. (.*)$").matcher(line);
            if (m.matches()) names.add(m.group(1));
        }
        return names;
    }

    private static String said(ByteArrayOutputStream err) {
        return err.toString(StandardCharsets.UTF_8);
    }
}
