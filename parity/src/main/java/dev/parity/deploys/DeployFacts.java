package dev.parity.deploys;

import dev.parity.heroku.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a deploy starts from and brings, read before the push: the release that runs now and its
 * commit, the commit to push, the migrations it adds or changes, and its release phase.
 *
 * @param current           the live release, empty for an app that never had one
 * @param currentCommit     the commit the live release runs (the slug's, else its {@code Deploy <sha7>} description)
 * @param pushed            the full id of the commit to push
 * @param pendingMigrations migration files added or changed between the two commits; empty when that cannot be told
 * @param releaseCommand    the {@code release:} line of the pushed commit's Procfile
 */
public record DeployFacts(Optional<Release> current, Optional<String> currentCommit, String pushedRef, String pushed,
                          Optional<List<String>> pendingMigrations, Optional<String> releaseCommand) {

    public boolean releasePhase() {
        return releaseCommand.isPresent();
    }

    /** Migrations may be due: some changed, or whether any did cannot be told. */
    public boolean migrationsMaybePending() {
        return pendingMigrations.map(m -> !m.isEmpty()).orElse(true);
    }

    /** The push changes nothing: the live release already runs the pushed commit. */
    public boolean sameCode() {
        return currentCommit.map(c -> pushed.startsWith(c) || c.startsWith(pushed)).orElse(false);
    }

    /** The version the live release has, 0 when there is none. */
    public int currentVersion() {
        return current.map(Release::version).orElse(0);
    }

    /** The preamble: one short block saying what runs, what will, and what the push brings. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("runs now:   " + current.map(r -> r.label() + currentCommit.map(c -> " (commit " + shortId(c) + ")")
                .orElse(" (its commit is unknown)")).orElse("no release yet"));
        lines.add("will run:   commit " + shortId(pushed) + " (" + pushedRef + ")" + (sameCode() ? ", the same code: nothing new to release" : ""));
        lines.add("migrations: " + pendingMigrations.map(m -> m.isEmpty() ? "none pending"
                : m.size() + " pending: " + Printable.line(String.join(", ", m)))
                .orElse("cannot tell (" + currentCommit.map(c -> "commit " + shortId(c) + " is not in this repository")
                        .orElse("the running commit is unknown") + "): treated as pending"));
        lines.add("release phase: " + releaseCommand.map(c -> "yes (release: " + Printable.line(c) + ")").orElse("none in the pushed Procfile"));
        return lines;
    }

    static String shortId(String commit) {
        return commit.length() > 7 ? commit.substring(0, 7) : commit;
    }
}
