package ossidecar.db.sql;

import java.util.Arrays;

/**
 * Finds the statements of a multi-statement text: token ranges between {@code ;} separators,
 * empty statements dropped.
 *
 * <p>A stored program body sent as one statement ({@code CREATE PROCEDURE ... BEGIN ...; ...;
 * END}, {@code CREATE TRIGGER}, {@code BEGIN NOT ATOMIC ... END}, as the {@code mariadb} client
 * sends it after {@code DELIMITER}) has semicolons inside {@code BEGIN ... END}. Within such a
 * statement, {@code BEGIN} and {@code CASE} open a block and a bare {@code END} or
 * {@code END CASE} closes one ({@code END IF}, {@code END LOOP}... close constructs that were
 * not counted); a semicolon splits only outside every block.
 */
final class StatementSplitter {
    private static final KeywordSet STORED_PROGRAMS = new KeywordSet(
            "PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "PACKAGE");
    private static final KeywordSet NOT_STORED_PROGRAMS = new KeywordSet(
            "TABLE", "VIEW", "INDEX", "DATABASE", "SCHEMA", "USER", "ROLE", "SEQUENCE", "SERVER");
    private static final KeywordSet ENDS_UNCOUNTED = new KeywordSet(
            "IF", "LOOP", "WHILE", "REPEAT", "FOR");

    private StatementSplitter() {
    }

    /** {@code [start0, end0, start1, end1, ...]}: token ranges of the non-empty statements. */
    static int[] split(SqlTokens t) {
        int[] ranges = new int[4];
        int count = 0;
        int n = t.size();
        int i = 0;
        while (i < n) {
            if (t.is(i, TokenType.SEMICOLON)) {
                i++;
                continue;
            }
            int end = isCompound(t, i) ? endOfCompound(t, i) : nextSemicolon(t, i);
            if (count + 2 > ranges.length) {
                ranges = Arrays.copyOf(ranges, ranges.length * 2);
            }
            ranges[count++] = i;
            ranges[count++] = end;
            i = end;
        }
        return count == ranges.length ? ranges : Arrays.copyOf(ranges, count);
    }

    private static int nextSemicolon(SqlTokens t, int from) {
        int n = t.size();
        for (int i = from; i < n; i++) {
            if (t.is(i, TokenType.SEMICOLON)) {
                return i;
            }
        }
        return n;
    }

    /** Whether the statement at {@code i} may hold a {@code BEGIN ... END} block. */
    private static boolean isCompound(SqlTokens t, int i) {
        if (t.isWord(i, "BEGIN")) {
            return t.isWord(i + 1, "NOT") && t.isWord(i + 2, "ATOMIC");
        }
        if (t.is(i, TokenType.WORD) && t.isSymbol(i + 1, ':') && t.isWord(i + 2, "BEGIN")) {
            return true; // label: BEGIN ... END label
        }
        if (!t.isWord(i, "CREATE")) {
            return false;
        }
        // CREATE [OR REPLACE] [DEFINER = user] [SQL SECURITY ...] [AGGREGATE] PROCEDURE|FUNCTION|...
        int n = t.size();
        for (int j = i + 1; j < n && j < i + 16; j++) {
            if (t.is(j, TokenType.SEMICOLON) || t.isSymbol(j, '(') || NOT_STORED_PROGRAMS.containsWord(t, j)) {
                return false;
            }
            if (STORED_PROGRAMS.containsWord(t, j)) {
                return true;
            }
        }
        return false;
    }

    private static int endOfCompound(SqlTokens t, int from) {
        int n = t.size();
        int depth = 0;
        for (int i = from; i < n; i++) {
            if (t.is(i, TokenType.SEMICOLON)) {
                if (depth <= 0) {
                    return i;
                }
            } else if (t.isWord(i, "BEGIN") || t.isWord(i, "CASE")) {
                depth++;
            } else if (t.isWord(i, "END")) {
                if (t.isWord(i + 1, "CASE")) {
                    depth--;
                    i++;
                } else if (ENDS_UNCOUNTED.containsWord(t, i + 1)) {
                    i++;
                } else {
                    depth--;
                }
            }
        }
        return n;
    }
}
