package dev.parity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What --version says, from what the build stamped into version.properties. */
class VersionTest {
    static Properties stamped(String version, String commit) {
        Properties p = new Properties();
        p.setProperty("version", version);
        p.setProperty("commit", commit);
        return p;
    }

    @Test
    void namesTheCommitTheBuildWasMadeFrom() {
        assertEquals("0.2.0 (commit 1a2b3c4d5e6f)", Version.describe(stamped("0.2.0", "1a2b3c4d5e6f")));
    }

    @Test
    void aBuildOutsideGitSaysUnknownCommit() {
        // git rev-parse failed: the property is empty; git missing: Maven left the placeholder
        assertEquals("0.2.0 (unknown commit)", Version.describe(stamped("0.2.0", "")));
        assertEquals("0.2.0 (unknown commit)", Version.describe(stamped("0.2.0", "${parity.commit}")));
        assertEquals("unknown (unknown commit)", Version.describe(new Properties()));
    }

    @Test
    void thisBuildIsAReleaseWithACommit() {
        // the jar under test: the one version set in the parent pom, and the checkout's commit
        assertTrue(Version.get().matches("\\d+\\.\\d+\\.\\d+ \\((commit [0-9a-f]{7,}|unknown commit)\\)"), Version.get());
        assertEquals("parity " + Version.get(), new Version().getVersion()[0]);
    }
}
