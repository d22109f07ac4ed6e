package dev.parity.sandbox.native_.watch;

import static dev.parity.sandbox.native_.rollback.RollbackBed.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.sandbox.api.LogApi;
import dev.parity.sandbox.logs.LineInjector;
import dev.parity.sandbox.logs.RawLine;
import dev.parity.sandbox.native_.rollback.RollbackBed;
import dev.parity.sandbox.native_.rollback.RollbackBed.Result;
import dev.parity.sandbox.support.SandboxFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy --watch} on the sandbox: a real push, then the app's log followed for the window,
 * with router errors injected into the log after the deploy (or not).
 */
class DeployWatchTest {
    static final String ERROR = "heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=\"/\" "
            + "host=rollback-prod.herokuapp.com status=503 bytes=0";
    static final String OK = "heroku[router]: at=info method=GET path=\"/\" host=rollback-prod.herokuapp.com status=200 bytes=10";

    @TempDir
    Path tmp;
    RollbackBed bed;
    LineInjector injector;

    @BeforeEach
    void setUp() throws Exception {
        bed = new RollbackBed(tmp);
        bed.deploy("the shop", Map.of("app.rb", "puts 'shop'\n"));
        injector = bed.f.sandbox().part(LogApi.class).injector();
        bed.commit("prices", Map.of("app.rb", "puts 'prices'\n"));
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    static Iterator<RawLine> lines(String line, int count) {
        return Stream.generate(() -> RawLine.parse(line)).limit(count).iterator();
    }

    @Test
    void routerErrorsAfterTheDeployFailTheWatchWithTheRollbackCommand() throws Exception {
        injector.appendNow(APP, List.of(RawLine.parse(ERROR), RawLine.parse(OK)).iterator()); // one error in the window before
        CompletableFuture<Result> deploy = CompletableFuture.supplyAsync(() -> bed.parity("production", "deploy", "--watch", "4s"));
        SandboxFixture.await(Duration.ofSeconds(20), () -> bed.app.currentVersion() == 3);
        injector.appendPaced(APP, Stream.generate(() -> RawLine.parse(ERROR)).iterator(), 25); // until the sandbox closes
        Result r = deploy.get();
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: errors before the deploy: 15.0/min (1 error in 4s)"), r.err());
        assertTrue(r.err().matches("(?s).*'watch the errors of " + APP + " for 4s' failed: the error rate after the deploy is clearly "
                + "worse: [0-9.]+/min \\(\\d+ errors in 4s\\) against 15\\.0/min \\(1 error in 4s\\) before it\\. To roll back: "
                + "production rollback v2\n.*"), r.err());
        assertEquals(3, bed.app.currentVersion(), "the watch reports; it rolls nothing back itself");
        assertEquals(0, bed.rollbacksPosted());
    }

    @Test
    void withoutErrorsAfterTheDeployTheWatchSucceeds() throws Exception {
        CompletableFuture<Result> deploy = CompletableFuture.supplyAsync(() -> bed.parity("production", "deploy", "--watch", "2s"));
        SandboxFixture.await(Duration.ofSeconds(20), () -> bed.app.currentVersion() == 3);
        injector.appendNow(APP, lines(OK, 20));
        Result r = deploy.get();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("parity: errors per minute: before the deploy 0.0/min (0 errors in 2s), after it 0.0/min "
                + "(0 errors in 2s)"), r.err());
        assertTrue(r.err().contains("the error rate after the deploy is not clearly worse (that needs at least 3 errors and more "
                + "than twice the rate before)"), r.err());
        assertFalse(r.err().contains("To roll back"), r.err());
    }

    @Test
    void theDryRunShowsTheWatchAsTheLastStep() throws Exception {
        Result r = bed.parity("production", "--dry-run", "deploy", "--watch", "2m");
        assertEquals(0, r.exitCode(), r.toString());
        String plan = r.out();
        List<String> lines = plan.strip().lines().toList();
        assertTrue(lines.get(lines.size() - 2).matches("  \\d+\\. watch the errors of " + APP + " for 2m"), plan);
        assertTrue(plan.contains("count error lines (router at=error or status >= 500, H/R/L codes) timed in the 2m before the "
                + "deploy began"), plan);
        assertTrue(plan.contains("fail with the command `production rollback vN`"), plan);
        assertEquals(2, bed.app.currentVersion(), "nothing pushed");
    }

    @Test
    void aWatchDurationThatIsNotOneIsAUsageErrorAndNothingIsPushed() throws Exception {
        Result r = bed.parity("production", "deploy", "--watch", "soon");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("parity: --watch must be a duration such as 90s or 2m, not 'soon'\n", r.err());
        assertEquals(2, bed.app.currentVersion(), "nothing pushed");
    }
}
