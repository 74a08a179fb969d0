package ossidecar.db.sql;

import java.util.Locale;

/**
 * A small fixed set of upper-case ASCII words, matched against token text without making a
 * string: names are bucketed by length, so a lookup compares only names of the right length.
 */
final class KeywordSet {
    private static final int MAX_LENGTH = 32;

    private final String[][] byLength = new String[MAX_LENGTH + 1][];

    KeywordSet(String... words) {
        int[] counts = new int[MAX_LENGTH + 1];
        for (String word : words) {
            if (word.length() > MAX_LENGTH || !word.equals(word.toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("keyword: " + word + " (expected: upper case, <= "
                        + MAX_LENGTH + " characters)");
            }
            counts[word.length()]++;
        }
        for (int n = 0; n <= MAX_LENGTH; n++) {
            byLength[n] = new String[counts[n]];
        }
        for (String word : words) {
            byLength[word.length()][--counts[word.length()]] = word;
        }
    }

    /** Whether {@code source[start, end)} is one of the words, in any case. */
    boolean contains(String source, int start, int end) {
        int length = end - start;
        if (length <= 0 || length > MAX_LENGTH) {
            return false;
        }
        for (String word : byLength[length]) {
            if (SqlTokens.equalsUpper(source, start, end, word)) {
                return true;
            }
        }
        return false;
    }

    /** Whether token {@code i} is a {@link TokenType#WORD} in this set. */
    boolean containsWord(SqlTokens tokens, int i) {
        return tokens.is(i, TokenType.WORD) && contains(tokens.source(), tokens.start(i), tokens.end(i));
    }
}
