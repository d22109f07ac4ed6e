package dev.parity.scrub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.process.Command;
import dev.parity.process.ProcessRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The psql that scrubs an app's database: its connection from DATABASE_URL, the password only in the secret PGPASSWORD. */
class AppDatabaseSqlTest {
    static final String PASSWORD = "p4ss-w0rd-from-heroku";

    /** A runner that must not be asked to run anything here. */
    static final ProcessRunner NONE = new ProcessRunner() {
        @Override
        public dev.parity.process.Result run(Command c) {
            throw new AssertionError("nothing runs in this test: " + c.display());
        }

        @Override
        public boolean available(String program) {
            return true;
        }
    };

    @Test
    void thePasswordIsNeverInArgvNorInWhatIsShown() {
        AppDatabaseSql sql = AppDatabaseSql.of(NONE, "shop-staging", "postgres://u5er:" + PASSWORD + "@ec2-1-2-3-4.compute.example:5432/d8abc").orElseThrow();
        Command c = sql.command("BEGIN", "SELECT 1", "COMMIT");
        assertFalse(String.join(" ", c.argv()).contains(PASSWORD), c.argv().toString());
        assertFalse(c.display().contains(PASSWORD), c.display());
        assertTrue(c.display().contains("PGPASSWORD=<redacted>"), c.display());
        assertEquals(PASSWORD, c.env().get("PGPASSWORD"));
        assertEquals(List.of("ec2-1-2-3-4.compute.example", "5432", "u5er", "d8abc"),
                List.of(c.env().get("PGHOST"), c.env().get("PGPORT"), c.env().get("PGUSER"), c.env().get("PGDATABASE")));
        // one session: the statements are psql's -c commands in order, stopping at the first error
        assertEquals(List.of("-c", "BEGIN", "-c", "SELECT 1", "-c", "COMMIT"), c.argv().subList(c.argv().size() - 6, c.argv().size()));
        assertTrue(c.argv().contains("ON_ERROR_STOP=1"), c.argv().toString());
    }

    @Test
    void aUrlThatIsNotPostgresGivesNoClient() {
        assertTrue(AppDatabaseSql.of(NONE, "shop-staging", "mysql2://u:p@host/db").isEmpty());
    }
}
