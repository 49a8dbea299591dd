package io.wasmesh.config.internal;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for a misspelt field, enum value or name. */
public final class Suggestions {

    private Suggestions() {}

    /**
     * {@code " (did you mean 'prefix'?)"} when one of {@code known} is close to {@code given}, else
     * {@code ""}. Close: the same once case, '-' and '_' are ignored ({@code max_retries} for
     * {@code maxRetries}), or a few typos away.
     */
    public static String didYouMean(String given, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String g = fold(given);
        for (String candidate : known) {
            String c = fold(candidate);
            int distance = c.equals(g) ? 0 : editDistance(g, c);
            // A third of the name may be wrong, at most two characters: "nme" is "name", "port"
            // is not "path".
            boolean close = distance <= Math.min(2, c.length() / 3);
            if (close && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static String fold(String s) {
        return s.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance with adjacent transpositions (optimal string alignment). */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] =
                        Math.min(
                                Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1
                        && j > 1
                        && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
