package dev.parity.deploys;

import dev.parity.heroku.Release;
import java.util.List;
import java.util.Optional;

/**
 * Which release a rollback goes back to when none is named: the newest release older than the
 * current one that succeeded, has code (a slug: the first release has none) and that Heroku marks
 * {@code eligible_for_rollback}, from the newest
 * page of releases ({@code heroku releases:rollback} takes the second eligible one of that page,
 * which is the same release when the newest one is current).
 */
public final class RollbackTarget {
    private RollbackTarget() {}

    /** The release before {@code current} a rollback goes back to, if the page holds one. */
    public static Optional<Release> before(List<Release> releases, Release current) {
        return releases.stream()
                .filter(r -> r.version() < current.version() && r.succeeded() && r.eligibleForRollback()
                        && r.slugId().isPresent())
                .max(java.util.Comparator.comparingInt(Release::version));
    }

    /** Why {@code target} cannot be rolled back to while {@code current} runs, if it cannot. */
    public static Optional<String> refusal(Release target, Release current) {
        if (target.version() == current.version()) return Optional.of(target.label() + " is the current release: nothing to roll back to");
        if (!target.succeeded()) return Optional.of(target.label() + " did not succeed (status " + target.status() + "): its code never ran");
        if (!target.eligibleForRollback()) return Optional.of("Heroku marks " + target.label() + " as not eligible for rollback");
        if (target.slugId().isEmpty()) return Optional.of(target.label() + " has no code (no slug) to roll back to");
        return Optional.empty();
    }
}
