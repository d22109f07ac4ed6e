package dev.parity.cli;

import dev.parity.cli.restore.Restore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

/**
 * parity's verbs, each with its help group. Names, aliases and the one-line summaries shown in
 * help come from each verb's own {@code @Command}, so help cannot drift from what is registered.
 */
final class Verbs {
    /** One registered verb: its class (for its {@code @Command}), its group, and how to make one. */
    record Entry(Class<? extends Verb> type, VerbGroup group, Supplier<Verb> make) {
        Entry {
            Objects.requireNonNull(group, "every verb names its help group");
        }

        Command command() {
            Command c = type.getAnnotation(Command.class);
            if (c == null) throw new IllegalStateException(type.getSimpleName() + " has no @Command");
            return c;
        }

        String name() {
            return command().name();
        }

        List<String> aliases() {
            return List.of(command().aliases());
        }

        /** The verb's header if it has one, else the first line of its description: what help lists. */
        String summary() {
            Command c = command();
            if (c.header().length > 0) return c.header()[0];
            return c.description().length > 0 ? c.description()[0] : "";
        }
    }

    /** In the order help lists them within each group. */
    static final List<Entry> ALL = List.of(
            new Entry(Ps.class, VerbGroup.EVERYDAY, Ps::new),
            new Entry(Info.class, VerbGroup.EVERYDAY, Info::new),
            new Entry(Releases.class, VerbGroup.EVERYDAY, Releases::new),
            new Entry(Tail.class, VerbGroup.EVERYDAY, Tail::new),
            new Entry(Restart.class, VerbGroup.EVERYDAY, Restart::new),
            new Entry(Open.class, VerbGroup.EVERYDAY, Open::new),
            new Entry(Console.class, VerbGroup.EVERYDAY, Console::new),
            new Entry(Doctor.class, VerbGroup.EVERYDAY, Doctor::new),
            new Entry(Backup.class, VerbGroup.DATA, Backup::new),
            new Entry(Restore.class, VerbGroup.DATA, Restore::new),
            new Entry(Deploy.class, VerbGroup.DEPLOY, Deploy::new),
            new Entry(Migrate.class, VerbGroup.DEPLOY, Migrate::new),
            new Entry(Rollback.class, VerbGroup.DEPLOY, Rollback::new));

    private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

    static {
        for (Entry e : ALL) {
            BY_NAME.put(e.name(), e);
            for (String alias : e.aliases()) BY_NAME.put(alias, e);
        }
    }

    private Verbs() {}

    static Optional<Entry> find(String nameOrAlias) {
        return Optional.ofNullable(BY_NAME.get(nameOrAlias));
    }

    /** Every name and alias a verb answers to (for completion and typo suggestions). */
    static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }
}
