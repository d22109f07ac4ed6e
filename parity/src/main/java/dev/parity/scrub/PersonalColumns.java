package dev.parity.scrub;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which column names look personal: built-in patterns plus the project's {@code scrub: personal:}
 * list. A pattern matches the whole column name, case-insensitively; {@code *} matches anything.
 */
public final class PersonalColumns {
    /** Names that usually hold a person's data; a false alarm costs one {@code keep} line. */
    public static final List<String> BUILT_IN = List.of("*email*", "*phone*", "*_name", "*address*", "*ssn*", "*birth*",
            "*_ip", "*token*", "*password*");

    private final List<Pattern> patterns = new ArrayList<>();

    public PersonalColumns(List<String> extra) {
        for (String p : BUILT_IN) patterns.add(glob(p));
        for (String p : extra) patterns.add(glob(p));
    }

    public boolean looksPersonal(String column) {
        String c = column.toLowerCase(Locale.ROOT);
        return patterns.stream().anyMatch(p -> p.matcher(c).matches());
    }

    /** The rule suggested for a column nobody has decided on: fakes where a value is likely needed, NULL otherwise. */
    static ScrubRule suggestion(String column) {
        String c = column.toLowerCase(Locale.ROOT);
        if (c.contains("email")) return new ScrubRule.Email();
        if (c.endsWith("_name")) return new ScrubRule.Name();
        return new ScrubRule.Nullify();
    }

    private static Pattern glob(String glob) {
        List<String> parts = new ArrayList<>();
        for (String part : glob.toLowerCase(Locale.ROOT).split("\\*", -1)) parts.add(part.isEmpty() ? "" : Pattern.quote(part));
        return Pattern.compile(String.join(".*", parts), Pattern.DOTALL);
    }
}
