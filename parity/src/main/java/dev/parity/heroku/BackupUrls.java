package dev.parity.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.env.HerokuHosts;
import java.util.Map;
import java.util.Optional;

/**
 * A backup's download URL straight from the Postgres data API, as {@code heroku pg:backups:url}
 * gets it (two requests instead of a second of Node start-up): the app's transfers, the newest
 * succeeded backup (or the one named), then its public URL. The URL is a secret.
 */
public final class BackupUrls {
    private final HerokuApi data;

    BackupUrls(HerokuApi data) {
        this.data = data;
    }

    /** The data API client, or empty when no token is found (the official CLI is used instead). */
    public static Optional<BackupUrls> from(Map<String, String> env) {
        String apiBase = HerokuHosts.from(env).apiBase();
        return HerokuToken.find(env, apiBase).map(t -> new BackupUrls(new HerokuApi(HerokuHosts.dataBase(env, apiBase), t, Thread::sleep, HerokuApi.readTimeout(env))));
    }

    /** Thrown when the app has no (such) backup; the message says how to capture one. */
    public static final class NoBackup extends Exception {
        NoBackup(String message) {
            super(message);
        }
    }

    /**
     * A backup by name ({@code b042}, what {@code APP::b042} names) and its download URL (a secret);
     * {@code identity} tells this backup from any other of the app, also one given the same name
     * after a deletion: its name, uuid, creation time and size, as the data API lists them.
     */
    public record Backup(String name, String url, String identity) {}

    /** Which backup {@code id} (or the newest succeeded one when null) is, without asking for its URL. */
    public record Found(long num, String name, String identity) {}

    /** Backup {@code id} (b042, a042, 42), or the newest succeeded backup when null. */
    public Backup find(String app, String id) throws InterruptedException, NoBackup {
        Found found = which(app, id);
        String path = "/client/v11/apps/" + app + "/transfers";
        JsonNode answer;
        try {
            answer = data.postRepeatable(path + "/" + found.num() + "/actions/public-url", null); // a fresh signed URL each time: harmless to repeat
        } catch (HerokuApiException e) {
            if (e.notFound() && id != null) throw new NoBackup("no backup " + id + " on " + app);
            throw e;
        }
        String url = answer.path("url").asText("");
        if (!url.startsWith("https://") && !url.startsWith("http://")) throw new NoBackup("the data API gave no URL for backup " + found.num() + " of " + app);
        return new Backup(found.name(), url, found.identity());
    }

    /** Only GET requests: which backup {@code id} (or the newest succeeded one when null) is. */
    public Found which(String app, String id) throws InterruptedException, NoBackup {
        String path = "/client/v11/apps/" + app + "/transfers";
        JsonNode transfer;
        if (id == null) {
            JsonNode newest = null;
            for (JsonNode t : data.get(path)) {
                if (!t.path("succeeded").asBoolean() || !"gof3r".equals(t.path("to_type").asText())) continue;
                if (newest == null || t.path("created_at").asText().compareTo(newest.path("created_at").asText()) > 0) newest = t;
            }
            if (newest == null) throw new NoBackup("no backups on " + app);
            transfer = newest;
        } else {
            long num = Long.parseLong(id.replaceFirst("^[a-z]", ""));
            try {
                transfer = data.get(path + "/" + num);
            } catch (HerokuApiException e) {
                if (e.notFound()) throw new NoBackup("no backup " + id + " on " + app);
                throw e;
            }
        }
        long num = transfer.path("num").asLong();
        String name = id == null ? (transfer.path("schedule").isObject() ? "a" : "b") + String.format("%03d", num)
                : id.matches("[a-z].*") ? id : String.format("b%03d", num);
        String identity = app + "::" + name + " " + transfer.path("uuid").asText("?") + " created " + transfer.path("created_at").asText("?")
                + " " + transfer.path("processed_bytes").asText("?") + " bytes";
        return new Found(num, name, identity);
    }
}
