package dev.parity.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a snapshot holds, written on it as its comment: which backup (name, uuid, creation time and
 * size, as the data API lists them), digests of what shaped the data (the subset with pg_restore's
 * own selections; the scrub rules), and the digest of the listing its copies are verified against.
 * A snapshot is reused only when the backup and both digests are the same.
 */
public record SnapshotContents(String backup, String subset, String scrub, String listing) {

    /** {@code backup B; subset S; scrub R; listing L}: one line, readable in {@code psql -l+}. */
    public String format() {
        return "backup " + backup + "; subset " + subset + "; scrub " + scrub + "; listing " + listing;
    }

    public static Optional<SnapshotContents> parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : text.split("; ")) {
            int space = part.indexOf(' ');
            if (space > 0) fields.put(part.substring(0, space), part.substring(space + 1));
        }
        if (!fields.keySet().containsAll(List.of("backup", "subset", "scrub", "listing"))) return Optional.empty();
        return Optional.of(new SnapshotContents(fields.get("backup"), fields.get("subset"), fields.get("scrub"), fields.get("listing")));
    }

    /** Why this snapshot cannot stand for {@code wanted} (whose listing is not known yet), empty when it can. */
    public Optional<String> whyNot(SnapshotContents wanted) {
        if (!backup.equals(wanted.backup)) return Optional.of("it holds " + backup + ", not " + wanted.backup);
        if (!scrub.equals(wanted.scrub)) return Optional.of("it was made with other scrub rules");
        if (!subset.equals(wanted.subset)) return Optional.of("it was made from another subset (--only, --exclude, --exclude-data,"
                + " --profile or pg_restore's selections)");
        return Optional.empty();
    }

    /** A short digest of {@code lines} (the first 16 hex digits of their SHA-256). */
    public static String digest(List<String> lines) {
        return sha256(String.join("\n", lines)).substring(0, 16);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}
