package dev.parity.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One release of an app, as {@code GET /apps/APP/releases} gives it.
 *
 * @param slugId          the slug the release runs, empty for releases without code (the first one)
 * @param outputStreamUrl where the release phase's output streams from, when the release has one
 */
public record Release(String id, int version, String status, boolean current, String description,
                      Instant createdAt, Optional<String> slugId, Optional<String> outputStreamUrl,
                      boolean eligibleForRollback) {
    private static final Pattern DEPLOY = Pattern.compile("Deploy ([0-9a-f]{7,40})\\b.*");

    public static Release of(JsonNode r) {
        return new Release(r.path("id").asText(""), r.path("version").asInt(0), r.path("status").asText(""),
                r.path("current").asBoolean(false), r.path("description").asText(""), time(r.path("created_at")), text(r.path("slug").path("id")),
                text(r.path("output_stream_url")), r.path("eligible_for_rollback").asBoolean(true));
    }

    private static Instant time(JsonNode n) {
        try {
            return n.isTextual() ? Instant.parse(n.asText()) : null;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static Optional<String> text(JsonNode n) {
        return n.isTextual() && !n.asText().isEmpty() ? Optional.of(n.asText()) : Optional.empty();
    }

    /** The same release with the API's {@code current} mark set or cleared. */
    public Release withCurrent(boolean current) {
        return new Release(id, version, status, current, description, createdAt, slugId, outputStreamUrl, eligibleForRollback);
    }

    public boolean succeeded() {
        return "succeeded".equals(status);
    }

    public boolean pending() {
        return "pending".equals(status);
    }

    public boolean failed() {
        return "failed".equals(status);
    }

    /** {@code v42}, as Heroku prints versions. */
    public String label() {
        return "v" + version;
    }

    /** The short commit a {@code Deploy <sha7>} description names (the slug's commit is exact). */
    public Optional<String> describedCommit() {
        Matcher m = DEPLOY.matcher(description);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * The live release among {@code releases} (any order): the one the API marks current, else the
     * newest that succeeded (a newer pending or failed release never runs).
     */
    public static Optional<Release> current(List<Release> releases) {
        for (Release r : releases) if (r.current()) return Optional.of(r);
        return releases.stream().filter(Release::succeeded).max(java.util.Comparator.comparingInt(Release::version));
    }
}
