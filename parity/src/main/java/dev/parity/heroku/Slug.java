package dev.parity.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What a release's code is: the pushed commit and the Procfile's process types (with {@code release}). */
public record Slug(String id, Optional<String> commit, Map<String, String> processTypes) {

    public static Slug of(JsonNode s) {
        Map<String, String> types = new LinkedHashMap<>();
        s.path("process_types").fields().forEachRemaining(e -> types.put(e.getKey(), e.getValue().asText()));
        String commit = s.path("commit").asText(null);
        return new Slug(s.path("id").asText(""), commit == null || commit.isEmpty() ? Optional.empty() : Optional.of(commit), types);
    }

    /** The release phase's command, when the Procfile has a {@code release:} line. */
    public Optional<String> releaseCommand() {
        return Optional.ofNullable(processTypes.get("release"));
    }
}
