package dev.parity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.process.Command;
import dev.parity.steps.StepFailed;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * What {@code heroku pg:push} is given for each shape of local connection: always the bare name
 * (which its parser reads back unchanged), the rest in the environment it passes to pg_dump. The
 * check runs that pg_dump with the same source and environment. End to end (socket directory,
 * host and port, refused names) on the sandbox: RestoreFromDevelopmentTest.
 */
class PushSourceTest {
    static DevDatabase db(String name, String host, String port, String user, String password) {
        return new DevDatabase(name, Optional.ofNullable(host), Optional.ofNullable(port), Optional.ofNullable(user),
                Optional.ofNullable(password), "test");
    }

    @Test
    void aSocketDirectoryTravelsInPghost() throws Exception {
        PushSource p = PushSource.of(db("shop_development", "/var/run/postgresql", null, null, null));
        assertEquals("shop_development", p.argument());
        assertEquals(Map.of("PGHOST", "/var/run/postgresql"), p.env());
        assertEquals(List.of("shop_development"), p.pgDumpConnection(Map.of()));
    }

    @Test
    void hostPortUserAndPasswordTravelInTheEnvironmentThePasswordAsASecret() throws Exception {
        PushSource p = PushSource.of(db("shop_development", "db.internal", "5433", "app", "hunter2"));
        assertEquals("shop_development", p.argument());
        Command push = p.applyTo(Command.of("heroku", "pg:push", p.argument(), "DATABASE_URL"));
        assertEquals(Map.of("PGHOST", "db.internal", "PGPORT", "5433", "PGUSER", "app", "PGPASSWORD", "hunter2"), push.env());
        assertFalse(push.display().contains("hunter2"), push.display());
        // pg:push reads PGPORT for a source without a port: the same -p as the check's
        assertEquals(List.of("-p", "5433", "shop_development"), p.pgDumpConnection(Map.of("PGPORT", "1")));
    }

    @Test
    void noHostLeavesLibpqsDefaultsAsPgPushDoes() throws Exception {
        PushSource p = PushSource.of(db("shop_development", null, null, null, null));
        assertEquals(Map.of(), p.env());
        assertEquals(List.of("-p", "6543", "shop_development"), p.pgDumpConnection(Map.of("PGPORT", "6543")));
        Command check = p.check(Map.of());
        assertEquals(List.of("pg_dump", "--schema-only", "--no-sync", "--file=/dev/null", "-F", "c", "-N", "_heroku", "shop_development"),
                check.argv());
    }

    /** Each would reach pg_dump changed: percent-encoded, split at ? or #, or read by the shell pg:push runs it in. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"shop dev", "shop#1", "shop?x", "shop;rm -rf ~", "$(id)", "shop'dev", "..", "shöp"})
    void namesPgPushWouldChangeAreRefused(String name) {
        StepFailed e = assertThrows(StepFailed.class, () -> PushSource.of(db(name, null, null, null, null)));
        assertTrue(e.getMessage().contains("heroku pg:push cannot push the database"), e.getMessage());
        assertTrue(e.getMessage().endsWith("nothing was changed"), e.getMessage());
    }
}
