package dev.parity.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.RecordingRunner;
import dev.parity.ui.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shutdown hook does when Ctrl-C or SIGTERM arrives in the middle of a sequence; the
 * hook's work is run directly here (the launcher tests deliver real signals).
 */
class InterruptionTest {
    @TempDir
    Path tmp;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final List<String> happened = new ArrayList<>();

    @AfterEach
    void forgetTheInterrupt() {
        Interruption.reset();
    }

    StepContext context() {
        Io io = new Io(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), Map.of(), tmp, false);
        return new StepContext(new RecordingRunner(), io);
    }

    /** A sequence whose second step is interrupted while it runs. */
    int runInterruptedInStepTwo(StepContext ctx, Path temporary) throws InterruptedException {
        return new Sequence("test", List.of(
                new Action("make something", "-", c -> {
                    c.atEnd(() -> happened.add("taken back"));
                    c.onInterruptSay(() -> "nothing was changed");
                }),
                new Action("wait for it", "-", c -> {
                    Interruption.temporary(temporary);
                    Interruption.interruptNow(); // the hook, as Ctrl-C would run it now
                    throw new StepFailed(130, "pg_restore exited with status 130");
                }),
                new Action("never", "-", c -> happened.add("ran after the interrupt"))))
                .execute(ctx, false);
    }

    @Test
    void anInterruptTakesBackWhatTheStepsStartedRemovesTemporaryFilesAndSaysSoInOneLine() throws Exception {
        Path temporary = Files.createDirectory(tmp.resolve("parity-head"));
        Files.write(temporary.resolve("head.dump"), new byte[128 * 1024]);
        int code = runInterruptedInStepTwo(context(), temporary);
        assertEquals(130, code);
        assertEquals(List.of("taken back"), happened, "undone once, and nothing ran after the interrupt");
        assertFalse(Files.exists(temporary), "the temporary prefix is removed");
        assertFalse(Interruption.temporaryPaths().contains(temporary));
        String text = err.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().filter(l -> !l.startsWith("parity: [")).toList();
        assertEquals(List.of("parity: interrupted during step 2/3 'wait for it'; nothing was changed"), lines, text);
        assertFalse(text.contains("failed"), "the step's failure is the interrupt's, said once: " + text);
    }

    @Test
    void withoutARunningSequenceTheLineStillSaysInterrupted() {
        ByteArrayOutputStream mainErr = new ByteArrayOutputStream();
        Interruption.install(new PrintStream(mainErr, true, StandardCharsets.UTF_8));
        Interruption.interruptNow();
        assertEquals("parity: interrupted\n", mainErr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRunThatEndedByItselfIsNotInterrupted() throws Exception {
        StepContext ctx = context();
        int code = new Sequence("test", List.of(new Action("one", "-", c -> c.atEnd(() -> happened.add("taken back")))))
                .execute(ctx, false);
        assertEquals(0, code);
        assertEquals(List.of("taken back"), happened);
        assertFalse(Interruption.interrupted());
        assertTrue(err.toString(StandardCharsets.UTF_8).isEmpty(), err.toString(StandardCharsets.UTF_8));
    }
}
