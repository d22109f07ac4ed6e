package dev.parity.sandbox.api;

import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.http.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heroku's list paging: {@code Range: version ..; max=15, order=desc}; a truncated page is a 206
 * with {@code Next-Range}. Without a Range header: ascending, 200 items.
 */
final class Ranges {
    private static final Pattern RANGE = Pattern.compile(
            "^\\s*(\\w+)\\s+([\\[\\]])?([^.;\\s]*)\\.\\.([^;\\s]*)\\s*(?:;\\s*(.*))?$");
    static final int DEFAULT_MAX = 200;

    private Ranges() {}

    /** Pages {@code items} (of field {@code field}, with sortable key {@code key}) by the request's Range header. */
    static <T> Response page(List<T> items, String rangeHeader, String field, Function<T, Comparable<?>> key,
                             Function<T, Object> view) {
        String order = "asc";
        int max = DEFAULT_MAX;
        String start = "";
        boolean exclusive = false;
        if (rangeHeader != null && !rangeHeader.isBlank()) {
            Matcher m = RANGE.matcher(rangeHeader);
            if (!m.matches() || !m.group(1).equals(field)) {
                throw ApiError.badRequest("Invalid `Range` header. Please use format like `" + field + " ..; max=10, order=desc`.");
            }
            if (m.group(3).isEmpty() && !m.group(4).isEmpty()) {
                throw new ApiError(416, "requested_range_not_satisfiable", "Requested range not satisfiable.");
            }
            exclusive = "]".equals(m.group(2));
            start = m.group(3);
            if (m.group(5) != null) {
                for (String p : m.group(5).split(",")) {
                    String[] kv = p.trim().split("=");
                    if (kv.length != 2) continue;
                    if (kv[0].equals("max")) max = Math.min(1000, Math.max(1, Integer.parseInt(kv[1].trim())));
                    if (kv[0].equals("order")) order = kv[1].trim();
                }
            }
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Comparator<T> cmp = Comparator.comparing(t -> (Comparable) key.apply(t));
        if (order.equals("desc")) cmp = cmp.reversed();
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(cmp);
        if (!start.isEmpty()) {
            String s = start;
            boolean ex = exclusive;
            boolean desc = order.equals("desc");
            sorted.removeIf(t -> {
                int c = compare(key.apply(t), s);
                return desc ? (ex ? c >= 0 : c > 0) : (ex ? c <= 0 : c < 0);
            });
        }
        List<T> page = sorted.subList(0, Math.min(max, sorted.size()));
        List<Object> body = page.stream().map(view).toList();
        Response r = Response.ok(body).withHeader("Accept-Ranges", field);
        if (!page.isEmpty()) {
            r = r.withHeader("Content-Range", field + " " + key.apply(page.get(0)) + ".." + key.apply(page.get(page.size() - 1)));
        }
        if (sorted.size() > page.size()) {
            r = r.withStatus(206).withHeader("Next-Range",
                    field + " ]" + key.apply(page.get(page.size() - 1)) + "..; max=" + max + ", order=" + order);
        }
        return r;
    }

    private static int compare(Comparable<?> value, String bound) {
        if (value instanceof Integer i) return Integer.compare(i, Integer.parseInt(bound));
        return value.toString().compareTo(bound);
    }

    static Map<String, Object> none() {
        return Map.of();
    }
}
