package dev.parity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.GitRepo;
import dev.parity.support.Launcher;
import dev.parity.support.Launcher.Outcome;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code production migrate} through the real launcher against a sandbox server whose answer to
 * {@code POST /apps/APP/dynos} is lost after the dyno was made: the migration runs exactly once
 * (it appends a line to a file), or parity stops, starts nothing and says what may be running.
 */
class MigrateLostAnswerIT {
    /** One sandbox server for the class (started and stopped by the launcher); each test has its own app. */
    @TempDir
    static Path shared;
    static Path dir;
    static Map<String, String> sandbox;
    static String token;
    static int apps;

    @TempDir
    Path tmp;
    String app;
    Path ran;
    Map<String, String> env;
    GitRepo repo;

    @BeforeAll
    static void startTheSandbox() throws Exception {
        dir = shared.resolve("sandbox");
        Map<String, String> env = Launcher.env(shared.resolve("home"));
        Outcome start = Launcher.run(shared, env, "parity", "sandbox", "start", "--dir", dir.toString(), "--boot-delay", "200");
        assertEquals(0, start.exitCode(), start.toString());
        token = Files.readString(dir.resolve("token")).strip();
        sandbox = exports(start.out());
    }

    @AfterAll
    static void stopTheSandbox() throws Exception {
        if (sandbox == null) return;
        Map<String, String> env = Launcher.env(shared.resolve("home"));
        env.putAll(sandbox);
        Launcher.run(shared, env, "parity", "sandbox", "stop", "--dir", dir.toString());
    }

    @BeforeEach
    void setUp() throws Exception {
        env = Launcher.env(tmp.resolve("home")); // parity's own records (migrations, locks) start empty for each test
        env.putAll(sandbox);
        fault("{\"clear\": true}");
        app = "shop-production-" + ++apps;
        Outcome create = Launcher.run(tmp, env, "parity", "sandbox", "create", app, "--formation", "web=1", "--dir", dir.toString());
        assertEquals(0, create.exitCode(), create.toString());
        repo = GitRepo.init(tmp.resolve("shop"), "main");
        repo.git("remote", "add", "production", env.get("HEROKU_HOST") + "/" + app + ".git");
        ran = tmp.resolve("migrations-ran.txt");
        Files.writeString(repo.dir().resolve(".parity.yml"), "migrate: \"echo ran >> '" + ran + "'; echo migrated\"\n");
    }

    /** The export lines as values; the token line reads the token file, as a shell would. */
    static Map<String, String> exports(String lines) {
        Map<String, String> vars = new HashMap<>();
        for (String line : lines.split("\n")) {
            if (!line.startsWith("export ")) continue;
            String[] kv = line.substring(7).split("=", 2);
            String v = kv[1];
            if (kv[0].equals("HEROKU_API_KEY")) v = token;
            else if (v.startsWith("'") && v.endsWith("'")) v = v.substring(1, v.length() - 1).replace("'\\''", "'");
            vars.put(kv[0], v);
        }
        return vars;
    }

    void fault(String json) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(env.get("HEROKU_HOST") + "/sandbox/faults").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setRequestProperty("Authorization", "Bearer " + token);
        c.setRequestProperty("Content-Type", "application/json");
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(200, c.getResponseCode());
    }

    int migrationsRun() throws Exception {
        return Files.exists(ran) ? Files.readAllLines(ran).size() : 0;
    }

    Outcome migrate() throws Exception {
        Outcome o = Launcher.run(repo.dir(), env, "production", "migrate");
        assertFalse(o.out().contains(token) || o.err().contains(token), "the token is never printed\n" + o);
        return o;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"method\": \"POST\", \"after\": 503}", "{\"method\": \"POST\", \"after\": 500}",
            "{\"method\": \"POST\", \"drop_after\": true}"})
    void aLostAnswerRunsTheMigrationOnceAndRestarts(String lostAnswer) throws Exception {
        fault(lostAnswer);
        Outcome o = migrate();
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals("migrated\n", o.out(), o.toString());
        assertEquals(1, migrationsRun(), o.toString());
        assertTrue(o.err().matches("(?s).*found run\\.\\d+, started by that request: continuing with it.*"), o.err());
        assertTrue(o.err().contains("all 1 dyno up after the migration"), o.err());
    }

    @Test
    void anAnswerLaterThanTheApiTimeoutRunsTheMigrationOnce() throws Exception {
        env.put("PARITY_API_TIMEOUT", "1");
        fault("{\"method\": \"POST\", \"delay_answer_ms\": 4000}");
        Outcome o = migrate();
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals(1, migrationsRun(), o.toString());
        assertTrue(o.err().contains("no answer to POST /apps/" + app + "/dynos within 1 s"), o.err());
    }

    @Test
    void aFailureParityCannotTellFromALostAnswerStartsNothingAndExitsTwo() throws Exception {
        fault("{\"method\": \"POST\", \"before\": 503}");
        Outcome o = migrate();
        assertEquals(2, o.exitCode(), o.toString());
        assertTrue(o.err().contains("the migration dyno may be running; check `heroku ps --app " + app + "` before trying again; "
                + "no dyno was restarted"), o.err());
        assertTrue(o.err().contains("not run: restart every dyno of " + app), o.err());
        assertEquals(0, migrationsRun());
    }
}
