package dev.parity.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which heroku CLI the demo runs, and what it says when it has to provide one or cannot. */
class PinnedHerokuCliTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream said = new ByteArrayOutputStream();

    private PinnedHerokuCli cli(Map<String, String> env) {
        return new PinnedHerokuCli(env, new PrintStream(said, true, StandardCharsets.UTF_8));
    }

    private Path program(String dir, String name, String script) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(dir));
        Path p = d.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return d;
    }

    @Test
    void theCacheIsXdgCacheHomeElseHomeDotCache() {
        assertEquals(tmp.resolve("xdg/parity/heroku-cli"),
                cli(Map.of("HOME", tmp.toString(), "XDG_CACHE_HOME", tmp.resolve("xdg").toString())).cacheDirectory());
        assertEquals(tmp.resolve(".cache/parity/heroku-cli"), cli(Map.of("HOME", tmp.toString())).cacheDirectory());
    }

    @Test
    void aHerokuOnPathIsUsedAsItIsAndNothingIsSaid() throws Exception {
        Path bin = program("bin", "heroku", "exit 0");
        PinnedHerokuCli.Found found = cli(Map.of("HOME", tmp.toString(), "PATH", bin.toString())).find(Optional.empty());
        assertTrue(found.available());
        assertEquals(Optional.empty(), found.binDir());
        assertEquals("", said.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aClonesInstalledCliRunsThroughItsNodeChoosingWrapper() throws Exception {
        program("clone/tools/heroku-cli/node_modules/.bin", "heroku", "exit 0");
        Path wrapper = program("clone/tools/heroku-cli/bin", "heroku", "exit 0");
        Path bin = Files.createDirectories(tmp.resolve("empty-bin"));
        PinnedHerokuCli.Found found = cli(Map.of("HOME", tmp.toString(), "PATH", bin.toString())).find(Optional.of(tmp.resolve("clone")));
        assertTrue(found.available());
        assertEquals(Optional.of(wrapper), found.binDir());
        assertEquals("", said.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutNpmItNamesThePackageAndFindsNothing() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("empty-bin"));
        PinnedHerokuCli.Found found = cli(Map.of("HOME", tmp.toString(), "PATH", bin.toString())).find(Optional.empty());
        assertFalse(found.available());
        String text = said.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("no npm to install the pinned one (heroku " + PinnedHerokuCli.pinnedVersion() + ")"), text);
        assertTrue(text.contains("apt install npm"), text);
        assertFalse(Files.exists(tmp.resolve(".cache/parity/heroku-cli")), "nothing written");
    }

    @Test
    void anNpmThatFailsIsSaidWithItsExitAndFindsNothing() throws Exception {
        Path bin = program("npm-bin", "npm", "exit 7");
        PinnedHerokuCli.Found found = cli(Map.of("HOME", tmp.toString(), "PATH", bin + ":/usr/bin:/bin")).find(Optional.empty());
        assertFalse(found.available());
        String text = said.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("installing the pinned one"), text);
        assertTrue(text.contains("npm could not install heroku " + PinnedHerokuCli.pinnedVersion() + " (npm "), text);
        assertTrue(text.contains(" exited 7 in " + tmp.resolve(".cache/parity/heroku-cli") + "). The steps that need heroku are skipped."), text);
    }

    @Test
    void anInstallOfAnotherVersionInTheCacheIsNotUsed() throws Exception {
        Path cache = tmp.resolve(".cache/parity/heroku-cli");
        Files.createDirectories(cache.resolve("node_modules/heroku"));
        Files.writeString(cache.resolve("node_modules/heroku/package.json"), "{\"name\": \"heroku\", \"version\": \"8.0.0\"}");
        program(".cache/parity/heroku-cli/node_modules/.bin", "heroku", "exit 0");
        Path bin = Files.createDirectories(tmp.resolve("empty-bin"));
        PinnedHerokuCli.Found found = cli(Map.of("HOME", tmp.toString(), "PATH", bin.toString())).find(Optional.empty());
        assertFalse(found.available(), "8.0.0 is not the pinned version");
    }
}
