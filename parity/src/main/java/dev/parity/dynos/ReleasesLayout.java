package dev.parity.dynos;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code heroku releases} as the official CLI prints it when stdout is not a terminal: the header
 * {@code === APP Releases - Current: vN}, then {@code @oclif/table}'s "headers-only-with-underline"
 * table: rows indented two spaces, columns three spaces apart, a rule of U+2500 under the header
 * row, trailing blanks trimmed, a blank line at the end. Descriptions are not truncated off a
 * terminal; a release that did not succeed gets its status text after the description.
 */
public final class ReleasesLayout {
    private static final String[] HEADINGS = {"v", "description", "user", "created_at"};

    private ReleasesLayout() {}

    public static String render(String app, List<JsonNode> releases, Instant now, ZoneId zone) {
        if (releases.isEmpty()) return app + " has no releases.\n";
        StringBuilder out = new StringBuilder("=== ").append(app).append(" Releases");
        for (JsonNode r : releases) {
            if (r.path("current").asBoolean(false) && r.path("current").isBoolean()) {
                out.append(" - Current: v").append(r.path("version").asText());
                break;
            }
        }
        out.append("\n\n");
        List<JsonNode> sorted = new ArrayList<>(releases);
        sorted.sort(Comparator.comparingLong((JsonNode r) -> r.path("version").asLong(0)).reversed());
        List<String[]> rows = new ArrayList<>();
        for (JsonNode r : sorted) rows.add(row(r, now, zone));
        int[] width = new int[HEADINGS.length];
        for (int c = 0; c < HEADINGS.length; c++) {
            width[c] = HEADINGS[c].length();
            for (String[] row : rows) width[c] = Math.max(width[c], row[c].codePointCount(0, row[c].length()));
        }
        out.append(line(HEADINGS, width)).append('\n');
        int rule = HEADINGS.length - 1;
        for (int w : width) rule += w + 2;
        out.append(' ').append("\u2500".repeat(rule)).append('\n');
        for (String[] row : rows) out.append(line(row, width)).append('\n');
        return out.append('\n').toString();
    }

    static String[] row(JsonNode r, Instant now, ZoneId zone) {
        String description = r.path("description").asText("");
        String status = statusText(r.path("status").asText(""));
        if (!status.isEmpty()) description = description + " " + status;
        String created = r.path("created_at").asText(null);
        String when = created == null ? "NaN/NaN/NaN NaN:NaN:NaN +NaN" : Ago.format(Instant.parse(created), now, zone);
        return new String[] {"v" + r.path("version").asText(), description, r.path("user").path("email").asText(""), when};
    }

    /** The CLI's status-helper: what a non-succeeded release adds to its description. */
    public static String statusText(String status) {
        return switch (status) {
            case "expired" -> "release expired";
            case "failed" -> "release command failed";
            case "pending" -> "release command executing";
            default -> "";
        };
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder(" ");
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) sb.append(' ');
            sb.append(' ').append(cells[c]).append(" ".repeat(width[c] - cells[c].codePointCount(0, cells[c].length()))).append(' ');
        }
        return sb.toString().stripTrailing();
    }
}
