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
import org.junit.jupiter.api.AfterEach;
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
    static final String APP = "shop-production";

    @TempDir
    Path tmp;
    Path dir;
    Path ran;
    Map<String, String> env;
    GitRepo repo;
    String token;

    @BeforeEach
    void setUp() throws Exception {
        dir = tmp.resolve("sandbox");
        env = Launcher.env(tmp.resolve("home"));
        Outcome start = Launcher.run(tmp, env, "parity", "sandbox", "start", "--dir", dir.toString(), "--boot-delay", "200");
        assertEquals(0, start.exitCode(), start.toString());
        token = Files.readString(dir.resolve("token")).strip();
        env.putAll(exports(start.out()));
        Outcome create = Launcher.run(tmp, env, "parity", "sandbox", "create", APP, "--formation", "web=1", "--dir", dir.toString());
        assertEquals(0, create.exitCode(), create.toString());
        repo = GitRepo.init(tmp.resolve("shop"), "main");
        repo.git("remote", "add", "production", env.get("HEROKU_HOST") + "/" + APP + ".git");
        ran = tmp.resolve("migrations-ran.txt");
        Files.writeString(repo.dir().resolve(".parity.yml"), "migrate: \"echo ran >> '" + ran + "'; echo migrated\"\n");
    }

    @AfterEach
    void stop() throws Exception {
        Launcher.run(tmp, env, "parity", "sandbox", "stop", "--dir", dir.toString());
    }

    /** The export lines as values; the token line reads the token file, as a shell would. */
    Map<String, String> exports(String lines) {
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
        assertTrue(o.err().contains("no answer to POST /apps/" + APP + "/dynos within 1 s"), o.err());
    }

    @Test
    void aFailureParityCannotTellFromALostAnswerStartsNothingAndExitsTwo() throws Exception {
        fault("{\"method\": \"POST\", \"before\": 503}");
        Outcome o = migrate();
        assertEquals(2, o.exitCode(), o.toString());
        assertTrue(o.err().contains("the migration dyno may be running; check `heroku ps --app " + APP + "` before trying again; "
                + "no dyno was restarted"), o.err());
        assertTrue(o.err().contains("not run: restart every dyno of " + APP), o.err());
        assertEquals(0, migrationsRun());
    }
}
