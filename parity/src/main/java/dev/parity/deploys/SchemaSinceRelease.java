package dev.parity.deploys;

import dev.parity.heroku.Release;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether the schema moved on after a release was made, so that release's code would run against
 * migrations it does not know. Each source answers for itself (found migrations, found none, or
 * cannot tell, and why); the verdict names what was found and where.
 */
public final class SchemaSinceRelease {

    public enum Answer { FOUND, NONE, UNKNOWN }

    /** What one source said: its name ("parity's migrate record"), its answer, the migrations it names, and the detail. */
    public record Source(String name, Answer answer, List<String> migrations, String detail) {
        public static Source found(String name, List<String> migrations, String detail) {
            return new Source(name, Answer.FOUND, List.copyOf(migrations), detail);
        }

        public static Source none(String name, String detail) {
            return new Source(name, Answer.NONE, List.of(), detail);
        }

        public static Source unknown(String name, String why) {
            return new Source(name, Answer.UNKNOWN, List.of(), why);
        }

        public String line() {
            String what = switch (answer) {
                case FOUND -> "found";
                case NONE -> "none";
                case UNKNOWN -> "cannot tell";
            };
            return name + ": " + what + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /** Every source's answer about migrations after {@code target} was made. */
    public record Verdict(Release target, List<Source> sources) {
        /** A source found a migration after the target. */
        public boolean migrationsSince() {
            return sources.stream().anyMatch(s -> s.answer() == Answer.FOUND);
        }

        /** No source could tell: the rollback would be blind. */
        public boolean nothingKnown() {
            return sources.stream().allMatch(s -> s.answer() == Answer.UNKNOWN);
        }

        /** The migrations found, each once, in the order the sources named them. */
        public List<String> migrations() {
            Set<String> all = new LinkedHashSet<>();
            for (Source s : sources) all.addAll(s.migrations());
            return new ArrayList<>(all);
        }

        /** Why a rollback to the target is unsafe (a migration found, or nothing known), or null when it may go ahead. */
        public String concern() {
            if (migrationsSince()) {
                return "migrations ran or were deployed after " + target.label() + " was made (" + target.createdAt() + "), and "
                        + target.label() + "'s code does not know them: " + Printable.line(String.join(", ", migrations()))
                        + ". Rolling back would run old code on the newer schema";
            }
            if (nothingKnown()) {
                return "cannot tell whether a migration ran after " + target.label() + " was made: no source could answer ("
                        + Printable.line(String.join("; ", sources.stream().map(Source::line).toList())) + ")";
            }
            return null;
        }
    }
}
