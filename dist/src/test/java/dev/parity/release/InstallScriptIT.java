package dev.parity.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.GitRepo;
import dev.parity.support.Launcher;
import dev.parity.support.Launcher.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** install.sh: a release copied into a prefix, independent of where it came from, and removed again exactly. */
class InstallScriptIT {
    @TempDir
    Path tmp;

    Outcome install(Map<String, String> env, String... args) throws Exception {
        return Launcher.run(tmp, env, Launcher.HOME.resolve("install.sh").toString(), args);
    }

    static List<String> tree(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }

    @Test
    void installsACopyThatOutlivesTheTarballAndUninstallsWithoutATrace() throws Exception {
        Map<String, String> env = Release.env(tmp.resolve("home"), Release.path(true));
        Path download = Files.copy(Release.TARBALL, Files.createDirectories(tmp.resolve("downloads")).resolve(Release.TARBALL.getFileName()));
        Path prefix = tmp.resolve("prefix");
        Outcome installed = install(env, "--from", download.toString(), prefix.toString());
        assertEquals(0, installed.exitCode(), installed.toString());
        Files.delete(download);

        for (String name : Release.LAUNCHERS) {
            assertTrue(Files.isSymbolicLink(prefix.resolve("bin/" + name)), name);
            assertEquals(Path.of("../lib/parity/bin/" + name), Files.readSymbolicLink(prefix.resolve("bin/" + name)));
        }
        GitRepo repo = Release.repository(tmp.resolve("myapp"));
        Outcome help = Launcher.run(repo.dir(), env, prefix.resolve("bin/production").toString(), "--help");
        assertEquals(0, help.exitCode(), help.toString());
        Outcome plan = Launcher.run(repo.dir(), env, prefix.resolve("bin/production").toString(), "migrate", "--dry-run");
        assertEquals(0, plan.exitCode(), plan.toString());
        Outcome version = Launcher.run(repo.dir(), env, prefix.resolve("bin/parity").toString(), "--version");
        assertEquals(Release.expectedVersion(), version.out().strip(), version.toString());
        assertTrue(Files.exists(prefix.resolve("lib/parity/lib/parity.jsa")), "the launcher made its archive in the install");

        Outcome removed = Launcher.run(tmp, env, prefix.resolve("lib/parity/install.sh").toString(), "--uninstall", prefix.toString());
        assertEquals(0, removed.exitCode(), removed.toString());
        assertFalse(Files.exists(prefix), "the prefix the install created is gone: " + (Files.exists(prefix) ? tree(prefix) : ""));
    }

    @Test
    void uninstallKeepsWhatWasThereBefore() throws Exception {
        Map<String, String> env = Release.env(tmp.resolve("home"), Release.path(true));
        Path prefix = tmp.resolve("prefix");
        Files.createDirectories(prefix.resolve("bin"));
        Files.writeString(prefix.resolve("bin/other-tool"), "#!/bin/sh\n");
        Files.createDirectories(prefix.resolve("share/doc"));
        List<String> before = tree(prefix);

        assertEquals(0, install(env, "--from", Release.TARBALL.toString(), prefix.toString()).exitCode());
        // installing again (an upgrade) replaces the install instead of failing or doubling it
        Outcome again = install(env, "--from", Release.TARBALL.toString(), prefix.toString());
        assertEquals(0, again.exitCode(), again.toString());
        Outcome removed = install(env, "--uninstall", prefix.toString());
        assertEquals(0, removed.exitCode(), removed.toString());
        assertEquals(before, tree(prefix));
    }

    @Test
    void refusesToReplaceAProgramThatIsNotParitys() throws Exception {
        Map<String, String> env = Release.env(tmp.resolve("home"), Release.path(true));
        Path prefix = tmp.resolve("prefix");
        Files.createDirectories(prefix.resolve("bin"));
        Files.writeString(prefix.resolve("bin/production"), "#!/bin/sh\necho someone else's production\n");
        List<String> before = tree(prefix);

        Outcome o = install(env, "--from", Release.TARBALL.toString(), prefix.toString());
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains(prefix.resolve("bin/production") + " exists and is not parity's"), o.err());
        assertEquals(before, tree(prefix), "nothing was installed");
        assertEquals("#!/bin/sh\necho someone else's production\n", Files.readString(prefix.resolve("bin/production")));
    }

    @Test
    void uninstallWithoutAnInstallSaysSoAndRemovesNothing() throws Exception {
        Map<String, String> env = Release.env(tmp.resolve("home"), Release.path(true));
        Path prefix = Files.createDirectories(tmp.resolve("prefix/bin"));
        Files.writeString(prefix.resolve("parity"), "mine\n");
        Outcome o = install(env, "--uninstall", tmp.resolve("prefix").toString());
        assertEquals(1, o.exitCode(), o.toString());
        assertTrue(o.err().contains("nothing installed by install.sh"), o.err());
        assertEquals("mine\n", Files.readString(prefix.resolve("parity")));
    }
}
