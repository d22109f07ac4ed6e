package dev.parity.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.GitRepo;
import dev.parity.support.Launcher;
import dev.parity.support.Launcher.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb installed for real with dpkg and removed again. This touches /usr, so it runs only as
 * root, only where no parity package or program of the same names is already installed, and
 * always removes the package again.
 */
class DebianPackageIT {
    @TempDir
    Path tmp;

    /** Why this machine cannot run the test, or null. */
    private String whyNot() throws InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/dpkg"))) return "no dpkg here";
        try {
            if (!"0".equals(GitRepo.run(tmp, "id", "-u"))) return "dpkg -i needs root";
        } catch (IOException e) {
            return "id -u failed: " + e.getMessage();
        }
        for (String name : Release.LAUNCHERS) {
            Path existing = Path.of("/usr/bin", name);
            if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) return existing + " exists; it is not touched";
        }
        if (Files.exists(Path.of("/usr/lib/parity"))) return "/usr/lib/parity exists; it is not touched";
        try {
            GitRepo.run(tmp, "dpkg-query", "-W", "parity");
            return "a parity package is installed; it is not touched";
        } catch (IOException notInstalled) {
            return null;
        }
    }

    @Test
    void installsRunsAndRemovesWithoutATrace() throws Exception {
        String why = whyNot();
        if (why != null) {
            System.out.println("DebianPackageIT skipped: " + why);
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        List<Path> shipped = new ArrayList<>();
        for (String line : GitRepo.run(tmp, "dpkg-deb", "-c", Release.DEB.toString()).split("\n")) {
            String path = line.replaceFirst("^.*? \\./", "/").replaceFirst(" -> .*$", "");
            if (!path.endsWith("/")) shipped.add(Path.of(path));
        }
        assertTrue(shipped.contains(Path.of("/usr/bin/production")), shipped.toString());
        try {
            GitRepo.run(tmp, "dpkg", "-i", Release.DEB.toString());
            // the user's PATH: /usr/bin and /bin, without Maven; the system's Java
            Map<String, String> env = Release.env(Files.createDirectories(tmp.resolve("home")), Release.path(true));
            GitRepo repo = Release.repository(tmp.resolve("myapp"));
            Outcome help = Launcher.run(repo.dir(), env, "/usr/bin/production", "--help");
            assertEquals(0, help.exitCode(), help.toString());
            assertTrue(help.out().contains("Usage: production"), help.out());
            Outcome plan = Launcher.run(repo.dir(), env, "/usr/bin/staging", "deploy", "--dry-run");
            assertEquals(0, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("git push staging HEAD:main --force"), plan.out());
            Outcome version = Launcher.run(repo.dir(), env, "/usr/bin/parity", "--version");
            assertEquals(Release.expectedVersion(), version.out().strip(), version.toString());
            assertTrue(Files.isRegularFile(Path.of("/usr/share/bash-completion/completions/parity")));
        } finally {
            GitRepo.run(tmp, "dpkg", "-r", "parity");
        }
        // no configuration files either: dpkg -r leaves the package not installed, not "config-files"
        String status;
        try {
            status = GitRepo.run(tmp, "dpkg-query", "-W", "-f", "${db:Status-Abbrev}", "parity").strip();
        } catch (IOException unknownToDpkg) {
            status = "un (unknown to dpkg)";
        }
        if (!status.startsWith("un")) GitRepo.run(tmp, "dpkg", "--purge", "parity");
        assertTrue(status.startsWith("un"), "dpkg -r left the package as '" + status + "'");
        for (Path path : shipped) assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), path + " is left behind");
        assertFalse(Files.exists(Path.of("/usr/lib/parity")), "/usr/lib/parity is left behind");
        try (var cached = Files.list(tmp.resolve("home/.cache/parity"))) {
            assertTrue(cached.anyMatch(f -> f.getFileName().toString().endsWith(".jsa")), "the class-data archive went to the user's cache, not /usr");
        }
    }
}
