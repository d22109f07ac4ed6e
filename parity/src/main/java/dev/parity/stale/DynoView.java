package dev.parity.stale;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** What parity needs of one dyno from {@code GET /apps/{app}/dynos}. */
public record DynoView(String name, String type, String state, Instant updatedAt, int releaseVersion,
                       String command, String size) {

    public static DynoView of(JsonNode d) {
        String updated = d.path("updated_at").asText(null);
        return new DynoView(d.path("name").asText(), d.path("type").asText(), d.path("state").asText(),
                updated == null ? null : Instant.parse(updated), d.path("release").path("version").asInt(0),
                d.path("command").asText(""), d.path("size").asText(null));
    }

    public boolean oneOff() {
        return type.equals("run") || type.equals("release");
    }
}
