package dev.parity.dynos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code heroku ps} as the official CLI prints it (colours off), from {@code commands/ps/index.js}:
 * one-off dynos first under {@code === run: one-off processes (N)}, then one group per distinct
 * command in the order first seen after sorting by name, each line sorted by the name's number.
 *
 * <p>parity's additions go at the end of formation dyno lines only, so the official text stays a
 * byte-identical prefix of every line (scripts that match {@code ^web.1: up} keep working, and
 * stripping the suffix gives back exactly what {@code heroku ps} prints): {@code  v42} (the dyno's
 * release) and, when the dyno is stale, {@code  stale: <reason>}. A separate section would have
 * put the reason far from the dyno it is about; one-off lines end with their command, where a
 * suffix would read as part of it, so they get none.
 */
public final class PsLayout {
    private static final Pattern NUMBERED = Pattern.compile("^([^.]+)\\.(.*)$", Pattern.DOTALL);

    private PsLayout() {}

    /** The dynos of these process types, in their order. */
    public static List<JsonNode> ofTypes(List<JsonNode> dynos, Collection<String> types) {
        List<JsonNode> selected = new ArrayList<>();
        for (JsonNode d : dynos) if (types.contains(type(d))) selected.add(d);
        return selected;
    }

    /** parity's addition to a formation dyno's line: {@code  v42} (its release), then {@code  stale: REASON} when stale. */
    public static String suffix(JsonNode d, Optional<String> stale) {
        StringBuilder s = new StringBuilder();
        int version = d.path("release").path("version").asInt(0);
        if (version > 0) s.append(" v").append(version);
        if (stale.isPresent()) s.append(" stale: ").append(stale.get());
        return s.toString();
    }

    /** {@code ps --json}: each dyno field for field plus {@code stale} (null, or why), as {@code JSON.stringify} prints it. */
    public static String json(List<JsonNode> dynos, Function<JsonNode, Optional<String>> stale) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode d : dynos) {
            ObjectNode copy = ((ObjectNode) d).deepCopy();
            Optional<String> reason = stale.apply(d);
            if (reason.isPresent()) copy.put("stale", reason.get());
            else copy.putNull("stale");
            out.add(copy);
        }
        return JsJson.stringify(out);
    }

    /** The CLI's first sort: by name, plain string order. */
    public static List<JsonNode> sortByName(List<JsonNode> dynos) {
        List<JsonNode> sorted = new ArrayList<>(dynos);
        sorted.sort(Comparator.comparing(d -> d.path("name").asText()));
        return sorted;
    }

    /** The text for dynos already sorted by name; {@code suffix} gives parity's addition for a formation dyno ("" for none). */
    public static String render(List<JsonNode> sortedDynos, Function<JsonNode, String> suffix, Instant now, ZoneId zone) {
        StringBuilder out = new StringBuilder();
        List<JsonNode> oneOffs = new ArrayList<>();
        Set<String> commands = new LinkedHashSet<>();
        for (JsonNode d : sortedDynos) {
            if (type(d).equals("run")) oneOffs.add(d);
            else commands.add(d.path("command").asText());
        }
        oneOffs.sort(Comparator.comparingLong(PsLayout::number));
        if (!oneOffs.isEmpty()) {
            out.append("=== run: one-off processes (").append(oneOffs.size()).append(")\n\n");
            for (JsonNode d : oneOffs) {
                String size = d.path("size").asText("");
                out.append(d.path("name").asText()).append(" (").append(size.isEmpty() ? "1X" : size).append("): ")
                        .append(d.path("state").asText()).append(' ').append(time(d, now, zone)).append(": ")
                        .append(d.path("command").asText()).append('\n');
            }
            out.append('\n');
        }
        for (String command : commands) {
            List<JsonNode> group = new ArrayList<>();
            for (JsonNode d : sortedDynos) if (d.path("command").asText().equals(command)) group.add(d);
            group.sort(Comparator.comparingLong(PsLayout::number));
            JsonNode first = group.get(0);
            String size = first.has("size") ? (first.get("size").isNull() ? "null" : first.get("size").asText()) : "1X";
            out.append("=== ").append(type(first)).append(" (").append(size).append("): ").append(command)
                    .append(" (").append(group.size()).append(")\n\n");
            for (JsonNode d : group) {
                out.append(d.path("name").asText()).append(": ").append(d.path("state").asText()).append(' ')
                        .append(time(d, now, zone)).append(suffix.apply(d)).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String type(JsonNode d) {
        return d.path("type").asText();
    }

    private static String time(JsonNode d, Instant now, ZoneId zone) {
        String updated = d.path("updated_at").asText(null);
        if (updated == null) return "NaN/NaN/NaN NaN:NaN:NaN +NaN";
        return Ago.format(Instant.parse(updated), now, zone);
    }

    /** web.12 → 12; anything else (Fir names, run.x) → 0, as the CLI's getProcessNumber. */
    static long number(JsonNode d) {
        Matcher m = NUMBERED.matcher(d.path("name").asText());
        if (!m.matches() || m.group(1).isEmpty() || !m.group(2).matches("\\d+")) return 0;
        try {
            return Long.parseLong(m.group(2));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
