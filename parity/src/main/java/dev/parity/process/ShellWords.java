package dev.parity.process;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * POSIX single-quoting, used only to <em>show</em> commands to people and to build the one
 * command string a Heroku one-off dyno runs (Heroku runs it through a shell on the dyno).
 * Nothing local is ever run through a shell.
 */
public final class ShellWords {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellWords() {}

    public static String quote(String word) {
        if (!word.isEmpty() && SAFE.matcher(word).matches()) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> words) {
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }
}
