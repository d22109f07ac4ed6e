package dev.parity.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version and commit Maven stamped into the jar (see version.properties). */
public final class Version implements IVersionProvider {
    private static Properties stamped() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/dev/parity/version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // fall through to "unknown"
        }
        return p;
    }

    /** A property the build filled in, or null: unfiltered ones still read "${...}". */
    private static String filled(Properties p, String key) {
        String value = p.getProperty(key, "").trim();
        return value.isEmpty() || value.startsWith("${") ? null : value;
    }

    /** The release, "0.2.0". */
    public static String number() {
        return number(stamped());
    }

    static String number(Properties p) {
        String version = filled(p, "version");
        return version == null ? "unknown" : version;
    }

    /**
     * What {@code --version} prints after "parity ": "0.2.0 (commit 1a2b3c4d5e6f)", or
     * "0.2.0 (unknown commit)" when built outside a git checkout. Also a valid User-Agent product
     * version with a comment, as the API clients send it.
     */
    public static String get() {
        return describe(stamped());
    }

    static String describe(Properties p) {
        String commit = filled(p, "commit");
        return number(p) + (commit == null ? " (unknown commit)" : " (commit " + commit + ")");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"parity " + get()};
    }
}
