package dev.parity.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandTest {

    @Test
    void displayQuotesArguments() {
        assertEquals("heroku run --app myapp 'rails console' 'it'\\''s' '$(id)' ''",
                Command.of("heroku", "run", "--app", "myapp", "rails console", "it's", "$(id)", "").display());
    }

    @Test
    void displayShowsEnvironmentSortedAndQuotedBeforeTheProgram() {
        Command c = Command.of("psql").withEnv("PGUSER", "me").withEnv("PGHOST", "/var/run/postgresql").withEnv("X", "a b");
        assertEquals("PGHOST=/var/run/postgresql PGUSER=me X='a b' psql", c.display());
    }

    @Test
    void displayRedactsSecretEnvironmentValues() {
        Command c = Command.of("pg_restore", "--list", "dump").withEnv("PGUSER", "me").withSecretEnv("PGPASSWORD", "s3cr3t");
        String shown = c.display();
        assertTrue(shown.contains("PGPASSWORD=<redacted>"), shown);
        assertTrue(shown.contains("PGUSER=me"), shown);
        assertFalse(shown.contains("s3cr3t"), shown);
        assertEquals("s3cr3t", c.env().get("PGPASSWORD"), "the child still gets the real value");
    }

    @Test
    void toStringIsTheRedactedDisplay() {
        Command c = Command.of("psql").withSecretEnv("PGPASSWORD", "s3cr3t");
        assertEquals(c.display(), c.toString());
        assertFalse(c.toString().contains("s3cr3t"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "https://user:s3cr3t@example.com/backup.dump",
        "https://s3cr3t@example.com/backup.dump",
        "https://bucket.s3.amazonaws.com/b042.dump?X-Amz-Signature=s3cr3t&X-Amz-Expires=600",
        "postgres://app:s3cr3t@db.example.com:5432/app",
        "--url=https://u:s3cr3t@example.com/x?sig=s3cr3t",
    })
    void displayRedactsUrlsWithCredentialsOrQueryStrings(String url) {
        String shown = Command.of("curl", "-o", "out.dump", url).display();
        assertFalse(shown.contains("s3cr3t"), shown);
        assertTrue(shown.contains("example.com") || shown.contains("amazonaws.com"), "still says where it points: " + shown);
    }

    @Test
    void displayKeepsPlainUrlsWhole() {
        assertEquals("git push https://git.heroku.com/myapp.git main:main",
                Command.of("git", "push", "https://git.heroku.com/myapp.git", "main:main").display());
    }

    @Test
    void redactionIsOnlyForDisplay() {
        String url = "https://bucket.example.com/b.dump?sig=s3cr3t";
        assertEquals(List.of("curl", url), Command.of("curl", url).argv());
    }

    @Test
    void argvIsCopiedFromTheCallersList() {
        List<String> argv = new ArrayList<>(List.of("git", "push"));
        Command c = Command.of(argv);
        argv.add("--force");
        assertEquals(List.of("git", "push"), c.argv());
    }

    @Test
    void argvIsImmutable() {
        Command c = Command.of("git", "push");
        assertThrows(UnsupportedOperationException.class, () -> c.argv().add("--force"));
        assertThrows(UnsupportedOperationException.class, () -> c.argv().set(0, "rm"));
    }

    @Test
    void envAndSecretsAreCopiedAndImmutable() {
        Map<String, String> env = new HashMap<>(Map.of("A", "1"));
        Command c = new Command(List.of("x"), env, Set.of(), null, false);
        env.put("B", "2");
        assertEquals(Map.of("A", "1"), c.env());
        assertThrows(UnsupportedOperationException.class, () -> c.env().put("C", "3"));
        assertThrows(UnsupportedOperationException.class, () -> c.secretEnv().add("A"));
    }

    @Test
    void emptyArgvIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Command.of(List.of()));
    }

    @Test
    void buildersReturnNewCommandsAndLeaveTheOriginalAlone() {
        Command base = Command.of("pg_restore");
        Command more = base.plus(List.of("--list", "x.dump")).captured().in(Path.of("/tmp")).withEnv("PGUSER", "me");
        assertEquals(List.of("pg_restore"), base.argv());
        assertFalse(base.capture());
        assertEquals(Map.of(), base.env());
        assertEquals(List.of("pg_restore", "--list", "x.dump"), more.argv());
        assertTrue(more.capture());
        assertEquals(Path.of("/tmp"), more.directory());
        assertEquals("pg_restore", more.program());
    }

    @Test
    void secretsSurviveLaterBuilders() {
        Command c = Command.of("psql").withSecretEnv("PGPASSWORD", "s3cr3t").withEnv("PGUSER", "me")
                .plus(List.of("-c", "select 1")).captured().in(Path.of("/tmp"));
        assertFalse(c.display().contains("s3cr3t"), c.display());
    }
}
