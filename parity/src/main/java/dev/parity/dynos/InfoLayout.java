package dev.parity.dynos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code heroku info} ({@code apps:info}) as the official CLI prints it: {@code === APP}, a blank
 * line, then {@code hux.styledObject}: every key padded to the longest shown key plus two, rows
 * with no value left out, lists continued on following lines under the first value.
 */
public final class InfoLayout {
    private static final java.time.format.DateTimeFormatter ISO =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", java.util.Locale.ROOT);

    private InfoLayout() {}

    /** The rows, in the CLI's order; a value is a String or a List of Strings. */
    public static Map<String, Object> rows(JsonNode app, JsonNode addons, JsonNode dynos, JsonNode collaborators, JsonNode pipelineCoupling) {
        Map<String, Object> data = new LinkedHashMap<>();
        List<String> plans = new ArrayList<>();
        for (JsonNode a : addons) {
            JsonNode plan = a.path("plan").path("name");
            plans.add(plan.isTextual() ? plan.asText() : "undefined");
        }
        plans.sort(null);
        data.put("Addons", plans);
        String owner = app.path("owner").path("email").asText(null);
        List<String> people = new ArrayList<>();
        for (JsonNode c : collaborators) {
            String email = c.path("user").path("email").asText(null);
            if (email != null && !email.equals(owner)) people.add(email);
        }
        people.sort(null);
        data.put("Collaborators", people);
        date(data, "Archived At", app.path("archived_at"));
        date(data, "Cron Finished At", app.path("cron_finished_at"));
        date(data, "Cron Next Run", app.path("cron_next_run"));
        if (truthy(app.path("database_size"))) data.put("Database Size", size(app.path("database_size")));
        if (app.hasNonNull("create_status") && !app.path("create_status").asText().equals("complete")) {
            data.put("Create Status", app.path("create_status").asText());
        }
        if (truthy(app.path("space"))) data.put("Space", app.path("space").path("name").asText());
        if (truthy(app.path("space")) && truthy(app.path("internal_routing"))) {
            data.put("Internal Routing", app.path("internal_routing").asText());
        }
        if (truthy(pipelineCoupling)) {
            data.put("Pipeline", pipelineCoupling.path("pipeline").path("name").asText() + " - "
                    + pipelineCoupling.path("stage").asText());
        }
        data.put("Auto Cert Mgmt", app.has("acm") ? scalar(app.get("acm")) : null);
        data.put("Git URL", scalar(app.get("git_url")));
        data.put("Web URL", scalar(app.get("web_url")));
        data.put("Repo Size", size(app.path("repo_size")));
        if (!"fir".equals(app.path("generation").path("name").asText(null))) data.put("Slug Size", size(app.path("slug_size")));
        data.put("Owner", owner);
        data.put("Region", app.path("region").path("name").asText(null));
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (JsonNode d : dynos) counts.merge(d.path("type").asText(), 1, Integer::sum);
        StringBuilder dynoText = new StringBuilder();
        counts.forEach((type, n) -> dynoText.append(dynoText.length() == 0 ? "" : ", ").append(type).append(": ").append(n));
        data.put("Dynos", dynoText.toString());
        String stack = app.path("stack").path("name").asText(null);
        String build = app.path("build_stack").path("name").asText(null);
        if (stack != null && build != null && !stack.equals(build)) stack += " (next build will use " + build + ")";
        data.put("Stack", stack);
        return data;
    }

    /** The whole {@code heroku info} text: {@code === } the app's name (else {@code app}), then its rows. */
    public static String render(String app, JsonNode appJson, JsonNode addons, JsonNode dynos, JsonNode collaborators,
                                JsonNode pipelineCoupling) {
        return render(appJson.path("name").asText(app), rows(appJson, addons, dynos, collaborators, pipelineCoupling));
    }

    /** {@code heroku info --json}: the five answers under the CLI's keys, as it prints them. */
    public static String json(JsonNode appJson, JsonNode addons, JsonNode dynos, JsonNode collaborators, JsonNode pipelineCoupling) {
        ObjectNode all = JsonNodeFactory.instance.objectNode();
        all.set("addons", addons);
        all.set("app", appJson);
        all.set("collaborators", collaborators);
        all.set("dynos", dynos);
        all.set("pipeline_coupling", pipelineCoupling);
        return JsJson.stringify(all);
    }

    public static String render(String name, Map<String, Object> data) {
        StringBuilder out = new StringBuilder("=== ").append(name).append("\n\n");
        int max = 0;
        for (Map.Entry<String, Object> e : data.entrySet()) {
            if (shown(e.getValue())) max = Math.max(max, e.getKey().length());
        }
        int pad = max == 0 ? 0 : max + 2;
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Object> e : data.entrySet()) {
            if (!shown(e.getValue())) continue;
            String key = e.getKey() + ":" + " ".repeat(Math.max(0, pad - e.getKey().length() - 1));
            if (e.getValue() instanceof List<?> list) {
                lines.add(key + list.get(0));
                for (Object more : list.subList(1, list.size())) lines.add(" ".repeat(pad) + more);
            } else {
                lines.add(key + e.getValue());
            }
        }
        return out.append(String.join("\n", lines)).append('\n').toString();
    }

    private static boolean shown(Object v) {
        return v != null && !(v instanceof List<?> l && l.isEmpty());
    }

    private static void date(Map<String, Object> data, String key, JsonNode v) {
        if (truthy(v)) data.put(key, ISO.format(Instant.parse(v.asText()).atZone(java.time.ZoneOffset.UTC)));
    }

    private static boolean truthy(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return false;
        if (v.isTextual()) return !v.asText().isEmpty();
        if (v.isNumber()) return v.asDouble() != 0;
        if (v.isBoolean()) return v.asBoolean();
        return true;
    }

    private static String scalar(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return null;
        return v.asText();
    }

    /** {@code filesize(n, {round: 0, standard: 'jedec'})}: 0 B, 512 B, 50 MB, 1 GB. */
    public static String size(JsonNode v) {
        double n = v == null || !v.isNumber() ? 0 : v.asDouble();
        return size((long) n);
    }

    public static String size(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
        boolean negative = bytes < 0;
        double n = Math.abs((double) bytes);
        int e = n == 0 ? 0 : (int) Math.floor(Math.log(n) / Math.log(1024));
        if (e > 8) e = 8;
        if (e < 0) e = 0;
        long value = Math.round(n / Math.pow(1024, e));
        if (value == 1024 && e < 8) {
            value = 1;
            e++;
        }
        return (negative ? "-" : "") + value + " " + units[e];
    }
}
