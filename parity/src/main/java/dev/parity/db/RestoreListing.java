package dev.parity.db;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code pg_restore --list} listing as {@code --use-list} reads it: one entry a line, led by its
 * dump id ({@code 3352; 0 16385 TABLE DATA public orders owner}); lines starting with {@code ;} are
 * comments. Parts of it are written out to restore those entries alone.
 */
public record RestoreListing(List<String> lines) {
    private static final Pattern ENTRY = Pattern.compile("^\\s*(\\d+);");

    public static RestoreListing parse(String text) {
        return new RestoreListing(text.lines().toList());
    }

    /** The dump ids of the entries the listing restores. */
    public Set<Integer> ids() {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher m = ENTRY.matcher(line);
            if (m.find()) ids.add(Integer.parseInt(m.group(1)));
        }
        return ids;
    }

    /** A listing of only the entries whose dump id {@code keep} accepts (comments are left out). */
    public String only(IntPredicate keep) {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            Matcher m = ENTRY.matcher(line);
            if (m.find() && keep.test(Integer.parseInt(m.group(1)))) out.append(line).append('\n');
        }
        return out.toString();
    }
}
