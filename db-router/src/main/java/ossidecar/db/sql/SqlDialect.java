package ossidecar.db.sql;

/**
 * What, besides the text, decides how a statement splits into tokens.
 *
 * <p>With {@code NO_BACKSLASH_ESCAPES} in {@code sql_mode} a backslash inside a string is an
 * ordinary character, so {@code 'a\'} is a complete string; with {@code ANSI_QUOTES} a
 * double-quoted word is an identifier, not a string (MariaDB manual, "SQL_MODE"). The router
 * learns both from the server status flags ({@code SERVER_STATUS_NO_BACKSLASH_ESCAPES},
 * {@code SERVER_STATUS_ANSI_QUOTES}).
 *
 * <p>The server version decides which versioned executable comments ({@code /*!50100 ...*&#47;})
 * are code: MariaDB runs the content only when the version is not above its own, and skips
 * MySQL 5.7+ versions 50700-99999 unless the comment is MariaDB's own {@code /*M!...*&#47;}
 * (MariaDB manual, "Comment Syntax"; {@code sql_lex.cc}, {@code MY_LEX_LONG_COMMENT}).
 *
 * @param noBackslashEscapes {@code sql_mode} contains NO_BACKSLASH_ESCAPES
 * @param ansiQuotes {@code sql_mode} contains ANSI_QUOTES
 * @param serverVersion the backend's version as MariaDB writes it in comments, e.g. 101100 for 10.11.0
 */
public record SqlDialect(boolean noBackslashEscapes, boolean ansiQuotes, int serverVersion) {
    /** MariaDB 10.11 with its default {@code sql_mode}. */
    public static final SqlDialect DEFAULT = new SqlDialect(false, false, 101100);

    public SqlDialect {
        if (serverVersion < 0) {
            throw new IllegalArgumentException("serverVersion: " + serverVersion + " (expected: >= 0)");
        }
    }
}
