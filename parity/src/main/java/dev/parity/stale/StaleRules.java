package dev.parity.stale;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a formation dyno is stale: it runs a release older than the current one, it booted before
 * the newest known schema change (it may cache the old schema: a "stuck dyno"), or it crashed.
 * One-off dynos are never stale.
 */
public final class StaleRules {
    private StaleRules() {}

    public static List<Finding> find(List<DynoView> dynos, int currentRelease, Optional<SchemaChange> lastSchemaChange) {
        List<Finding> findings = new ArrayList<>();
        for (DynoView d : dynos) {
            reason(d, currentRelease, lastSchemaChange).ifPresent(r -> findings.add(new Finding(d.name(), r)));
        }
        return findings;
    }

    public static Optional<String> reason(DynoView d, int currentRelease, Optional<SchemaChange> lastSchemaChange) {
        if (d.oneOff()) return Optional.empty();
        if (d.state().equals("crashed")) return Optional.of("crashed");
        if (currentRelease > 0 && d.releaseVersion() > 0 && d.releaseVersion() < currentRelease) {
            return Optional.of("runs v" + d.releaseVersion() + ", current is v" + currentRelease);
        }
        // the API's updated_at has whole seconds: a dyno booted in the second the schema changed is not known to be older
        if (lastSchemaChange.isPresent() && d.updatedAt() != null
                && d.updatedAt().isBefore(lastSchemaChange.get().at().truncatedTo(ChronoUnit.SECONDS))) {
            return Optional.of("booted before the schema changed at " + lastSchemaChange.get().at() + " ("
                    + lastSchemaChange.get().source() + ")");
        }
        return Optional.empty();
    }
}
