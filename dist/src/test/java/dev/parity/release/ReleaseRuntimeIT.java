package dev.parity.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.support.GitRepo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The linux-x64 release's jlink runtime holds what the jars need, and no more than the pom says. */
class ReleaseRuntimeIT {
    /** Modules jdeps finds that the runtime leaves out on purpose (see jlink.modules in dist/pom.xml). */
    static final Set<String> LEFT_OUT = Set.of("java.desktop");

    static Set<String> split(String modules) {
        return Arrays.stream(modules.strip().split(",")).map(String::strip).filter(m -> !m.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyModuleTheJarsUseIsInTheRuntime() throws Exception {
        Set<String> runtime = split(System.getProperty("parity.jlink.modules", ""));
        Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
        Assumptions.assumeTrue(jdeps.toFile().canExecute(), "jdeps comes with a JDK");
        // a module a new dependency brings must be added to jlink.modules (or to LEFT_OUT, saying why)
        Set<String> used = split(GitRepo.run(Release.TARGET, jdeps.toString(), "--multi-release", "17", "--ignore-missing-deps",
                "--print-module-deps", "-cp", Release.TARGET.resolve("parity.jar").toString(),
                Release.TARGET.resolve("parity.jar").toString(), Release.TARGET.resolve("parity-sandbox.jar").toString()));
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(runtime);
        missing.removeAll(LEFT_OUT);
        assertEquals(Set.of(), missing, "used by the jars but not in the runtime");
        // TLS to api.heroku.com negotiates elliptic curves: no class names this module
        assertTrue(runtime.contains("jdk.crypto.ec"), runtime.toString());
    }

    @Test
    void theRuntimeHasExactlyTheseModules() throws Exception {
        Assumptions.assumeTrue(Release.linuxX64(), "the linux-x64 runtime is made on linux-x64 only");
        Set<String> listed = new TreeSet<>();
        for (String line : GitRepo.run(Release.TARGET, Release.TARGET.resolve("runtime/bin/java").toString(), "--list-modules").split("\n")) {
            listed.add(line.strip().replaceFirst("@.*", ""));
        }
        Set<String> wanted = split(System.getProperty("parity.jlink.modules", ""));
        assertTrue(listed.containsAll(wanted), "runtime " + listed + " lacks some of " + wanted);
        assertTrue(!listed.contains("java.desktop"), listed.toString());
    }
}
