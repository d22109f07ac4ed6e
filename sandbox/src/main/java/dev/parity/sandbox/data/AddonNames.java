package dev.parity.sandbox.data;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** Names as Heroku gives them: add-ons {@code postgresql-shaped-12345}, databases after their app. */
public final class AddonNames {
    /** Heroku draws these from a list of shape words. */
    private static final List<String> ADJECTIVES = List.of("angular", "asymmetrical", "clean", "concave", "convex",
            "cubed", "curly", "cylindrical", "flat", "horizontal", "octagonal", "opaque", "rectangular", "regular",
            "rigid", "round", "shaped", "sinuous", "slippery", "solid", "spherical", "symmetrical", "tetrahedral",
            "triangular", "vertical");

    private AddonNames() {}

    public static String addon() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "postgresql-" + ADJECTIVES.get(r.nextInt(ADJECTIVES.size())) + "-" + r.nextInt(10000, 100000);
    }

    /** App names are {@code [a-z][a-z0-9-]*}: with dashes turned into underscores, a plain SQL identifier. */
    public static String database(String appName) {
        return appName.toLowerCase(Locale.ROOT).replace('-', '_');
    }
}
