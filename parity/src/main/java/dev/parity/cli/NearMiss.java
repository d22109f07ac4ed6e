package dev.parity.cli;

import java.util.Collection;
import java.util.Optional;

/**
 * A word that is one slip away from a parity verb ({@code migarte}, {@code restor}): a swapped,
 * missing, extra or wrong letter; two for longer verbs. Short verbs allow one, so {@code pg}
 * is not taken for {@code ps} (it is a heroku command anyway).
 */
final class NearMiss {
    private NearMiss() {}

    static Optional<String> closest(String word, Collection<String> verbs) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String verb : verbs) {
            int d = distance(word, verb);
            int allowed = verb.length() <= 4 ? 1 : 2;
            if (!word.equals(verb) && d <= allowed && d < bestDistance) {
                best = verb;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = Character.toLowerCase(a.charAt(i - 1)) == Character.toLowerCase(b.charAt(j - 1)) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
