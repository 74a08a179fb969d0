package ossidecar.db.sql;

/** Reads {@code name} or {@code schema.name} table references out of tokens. */
final class TableNames {
    private TableNames() {
    }

    /** Whether token {@code i} can be (part of) a name: an unquoted word or a quoted identifier. */
    static boolean isName(SqlTokens t, int i) {
        return t.is(i, TokenType.WORD) || t.is(i, TokenType.QUOTED_IDENTIFIER);
    }

    /** Index just past a {@code [schema.]name} starting at {@code i}, or -1 if none starts there. */
    static int end(SqlTokens t, int i, int limit) {
        if (i >= limit || !isName(t, i)) {
            return -1;
        }
        if (i + 2 < limit && t.isSymbol(i + 1, '.') && isName(t, i + 2)) {
            return i + 3;
        }
        return i + 1;
    }

    /** The name spanning tokens {@code [i, end)}, as found by {@link #end}. */
    static TableName at(SqlTokens t, int i, int end) {
        return end - i == 3 ? new TableName(t.name(i), t.name(i + 2)) : TableName.of(t.name(i));
    }
}
