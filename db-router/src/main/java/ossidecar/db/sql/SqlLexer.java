package ossidecar.db.sql;

/**
 * Splits MariaDB statement text into {@link SqlTokens} in one pass, without regular expressions
 * and without throwing on bad input.
 *
 * <p>What it knows, after the MariaDB manual ("Comment Syntax", "String Literals", "Identifier
 * Names", "User-Defined Variables") and the server's own lexer ({@code sql_lex.cc}):
 * <ul>
 *   <li>Comments are dropped: {@code #} and {@code -- } (two dashes and a space or control
 *       character, so {@code 1--1} stays arithmetic) to the end of the line, and
 *       {@code /* ... *&#47;}, which do not nest.
 *   <li>Executable comments {@code /*! ... *&#47;}, {@code /*!50100 ... *&#47;} and
 *       {@code /*M!100500 ... *&#47;} hold code that the server runs, so their content is lexed
 *       as code; a versioned one the server would skip (see {@link SqlDialect}) is a comment.
 *   <li>Optimizer hints {@code /*+ ... *&#47;} are comments to MariaDB 10.11 and are dropped.
 *   <li>Routing hints {@code sidecar:route=writer} or {@code sidecar:route=reader} inside any
 *       comment, anywhere in the text, are collected into {@link SqlTokens#hint()}.
 *   <li>Strings in single or double quotes with doubled quotes and backslash escapes (unless
 *       NO_BACKSLASH_ESCAPES), identifiers in backquotes with doubled backquotes.
 *   <li>{@code @var}, {@code @'var'}, {@code @@var}, {@code @@session.var}; the {@code @} of
 *       {@code 'user'@'host'} is an operator, as in the server's lexer.
 * </ul>
 * An unterminated string, identifier or comment runs to the end of the text and marks the
 * tokens {@link SqlTokens#unterminated()}.
 */
public final class SqlLexer {
    private static final String HINT_MARKER = "SIDECAR:ROUTE";

    private final String sql;
    private final int length;
    private final SqlDialect dialect;
    private final SqlTokens.Builder out;
    private boolean inExecutableComment;
    private boolean unterminated;
    private RouteHint hint = RouteHint.NONE;

    private SqlLexer(String sql, SqlDialect dialect) {
        this.sql = sql;
        this.length = sql.length();
        this.dialect = dialect;
        this.out = new SqlTokens.Builder(sql);
    }

    /** Tokens of {@code sql} under MariaDB 10.11's default {@code sql_mode}. */
    public static SqlTokens tokenize(String sql) {
        return tokenize(sql, SqlDialect.DEFAULT);
    }

    /** Tokens of {@code sql} under {@code dialect}. */
    public static SqlTokens tokenize(String sql, SqlDialect dialect) {
        return new SqlLexer(sql, dialect).run();
    }

    private SqlTokens run() {
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            if (c <= ' ') {
                i++; // whitespace and control characters separate tokens
                continue;
            }
            i = switch (c) {
                case '\'' -> quoted(i, TokenType.STRING, !dialect.noBackslashEscapes());
                case '"' -> dialect.ansiQuotes()
                        ? quoted(i, TokenType.QUOTED_IDENTIFIER, false)
                        : quoted(i, TokenType.STRING, !dialect.noBackslashEscapes());
                case '`' -> quoted(i, TokenType.QUOTED_IDENTIFIER, false);
                case '#' -> lineComment(i + 1);
                case '-' -> startsDashComment(i) ? lineComment(i + 2) : operator(i);
                case '/' -> charAt(i + 1) == '*' ? blockComment(i) : operator(i);
                case '*' -> closesExecutableComment(i) ? i + 2 : operator(i);
                case ';' -> single(TokenType.SEMICOLON, i);
                case '?' -> single(TokenType.PLACEHOLDER, i);
                case '@' -> variable(i);
                default -> isDigit(c) ? number(i) : isIdentifierChar(c) ? word(i) : operator(i);
            };
        }
        if (inExecutableComment) {
            unterminated = true;
        }
        return out.build(!dialect.noBackslashEscapes(), unterminated, hint);
    }

    private char charAt(int i) {
        return i < length ? sql.charAt(i) : '\0';
    }

    private int single(TokenType type, int i) {
        out.add(type, i, i + 1);
        return i + 1;
    }

    /** {@code --} starts a comment only before whitespace, a control character or the end. */
    private boolean startsDashComment(int i) {
        return charAt(i + 1) == '-' && (i + 2 >= length || sql.charAt(i + 2) <= ' ');
    }

    private int lineComment(int bodyStart) {
        int end = sql.indexOf('\n', bodyStart);
        if (end < 0) {
            end = length;
        }
        findHint(bodyStart, end);
        return end;
    }

    private int blockComment(int i) {
        int body = i + 2;
        if (inExecutableComment) {
            // Inside an executable comment any /* opens an ordinary comment, even /*!.
            return plainComment(body);
        }
        char marker = charAt(body);
        boolean maria = marker == 'M' && charAt(body + 1) == '!';
        if (marker == '!' || maria) {
            int code = body + (maria ? 2 : 1);
            int digits = versionDigits(code);
            if (digits == 0) {
                inExecutableComment = true; // no version: always code
                return code;
            }
            int version = Integer.parseInt(sql, code, code + digits, 10);
            // The server's rule (sql_lex.cc): run it if not newer than the server, and skip
            // MySQL 5.7+ comments (50700-99999) unless written /*M!.
            if (version <= dialect.serverVersion() && (version < 50700 || version > 99999 || maria)) {
                inExecutableComment = true;
                return code + digits;
            }
            return skipComment(code + digits, 1);
        }
        if (marker == '+') {
            return skipComment(body + 1, 0); // optimizer hint: a comment to MariaDB 10.11
        }
        return plainComment(body);
    }

    private int plainComment(int body) {
        int end = skipComment(body, 0);
        boolean closed = end - 2 >= body && sql.charAt(end - 2) == '*' && sql.charAt(end - 1) == '/';
        findHint(body, closed ? end - 2 : end);
        return end;
    }

    /** The 5 or 6 digits of a comment version, or 0 when there are fewer than 5. */
    private int versionDigits(int at) {
        for (int k = 0; k < 5; k++) {
            if (!isDigit(charAt(at + k))) {
                return 0;
            }
        }
        return isDigit(charAt(at + 5)) ? 6 : 5;
    }

    /**
     * Index just past the {@code *&#47;} that closes a comment whose body starts at {@code from};
     * {@code nesting} inner {@code /*} levels are allowed (one inside a skipped versioned comment).
     */
    private int skipComment(int from, int nesting) {
        int depth = 0;
        int k = from;
        while (k + 1 < length) {
            char c = sql.charAt(k);
            if (c == '*' && sql.charAt(k + 1) == '/') {
                if (depth == 0) {
                    return k + 2;
                }
                depth--;
                k += 2;
            } else if (c == '/' && sql.charAt(k + 1) == '*' && depth < nesting) {
                depth++;
                k += 2;
            } else {
                k++;
            }
        }
        unterminated = true;
        return length;
    }

    private boolean closesExecutableComment(int i) {
        if (inExecutableComment && charAt(i + 1) == '/') {
            inExecutableComment = false;
            return true;
        }
        return false;
    }

    /** Looks for {@code sidecar:route = writer|reader} in a comment body. */
    private void findHint(int from, int to) {
        int last = to - HINT_MARKER.length();
        for (int k = from; k <= last; k++) {
            char c = sql.charAt(k);
            if ((c == 's' || c == 'S') && regionEqualsUpper(k, HINT_MARKER)) {
                int v = skipSpaces(k + HINT_MARKER.length(), to);
                if (v < to && sql.charAt(v) == '=') {
                    v = skipSpaces(v + 1, to);
                }
                int w = v;
                while (w < to && isIdentifierChar(sql.charAt(w))) {
                    w++;
                }
                if (SqlTokens.equalsUpper(sql, v, w, "WRITER")) {
                    hint = hint.strongest(RouteHint.WRITER);
                } else if (SqlTokens.equalsUpper(sql, v, w, "READER")) {
                    hint = hint.strongest(RouteHint.READER);
                }
                k = w - 1;
            }
        }
    }

    private boolean regionEqualsUpper(int at, String upper) {
        return at + upper.length() <= length
                && SqlTokens.equalsUpper(sql, at, at + upper.length(), upper);
    }

    private int skipSpaces(int k, int to) {
        while (k < to && sql.charAt(k) <= ' ') {
            k++;
        }
        return k;
    }

    /** A string or quoted identifier starting at the quote {@code i}. */
    private int quoted(int i, TokenType type, boolean backslashEscapes) {
        int end = quotedEnd(i, backslashEscapes);
        out.add(type, i, end);
        return end;
    }

    /** Index just past the closing quote of the quoted text opening at {@code open}. */
    private int quotedEnd(int open, boolean backslashEscapes) {
        char quote = sql.charAt(open);
        int k = open + 1;
        while (k < length) {
            char c = sql.charAt(k);
            if (c == '\\' && backslashEscapes) {
                k += 2;
            } else if (c == quote) {
                if (charAt(k + 1) != quote) {
                    return k + 1;
                }
                k += 2; // a doubled quote stands for one
            } else {
                k++;
            }
        }
        unterminated = true;
        return length;
    }

    private int variable(int i) {
        if (charAt(i + 1) == '@') {
            int k = i + 2;
            if (charAt(k) == '`') {
                k = quotedEnd(k, false);
            } else {
                while (k < length && (isIdentifierChar(sql.charAt(k)) || sql.charAt(k) == '.')) {
                    k++;
                }
            }
            out.add(k == i + 2 ? TokenType.OPERATOR : TokenType.SYSTEM_VARIABLE, i, k);
            return k;
        }
        TokenType previous = out.lastType();
        if (out.lastEnd() == i && (previous == TokenType.STRING || previous == TokenType.WORD
                || previous == TokenType.QUOTED_IDENTIFIER)) {
            return single(TokenType.OPERATOR, i); // the @ of 'user'@'host'
        }
        int k = i + 1;
        char c = charAt(k);
        if (c == '\'' || c == '"') {
            k = quotedEnd(k, !dialect.noBackslashEscapes());
        } else if (c == '`') {
            k = quotedEnd(k, false);
        } else {
            // User variable names: letters, digits, '.', '_' and '$' (manual, "User-Defined Variables").
            while (k < length && (isIdentifierChar(sql.charAt(k)) || sql.charAt(k) == '.')) {
                k++;
            }
        }
        out.add(k == i + 1 ? TokenType.OPERATOR : TokenType.USER_VARIABLE, i, k);
        return k;
    }

    private int number(int i) {
        char second = charAt(i + 1);
        if (sql.charAt(i) == '0' && (second == 'x' || second == 'X' || second == 'b' || second == 'B')) {
            boolean hex = second == 'x' || second == 'X';
            int k = i + 2;
            while (k < length && (hex ? isHexDigit(sql.charAt(k)) : sql.charAt(k) == '0' || sql.charAt(k) == '1')) {
                k++;
            }
            if (k > i + 2 && !isIdentifierChar(charAt(k))) {
                out.add(TokenType.NUMBER, i, k);
                return k;
            }
        }
        int k = i;
        while (isDigit(charAt(k))) {
            k++;
        }
        boolean decimal = false;
        if (charAt(k) == '.') {
            decimal = true;
            k++;
            while (isDigit(charAt(k))) {
                k++;
            }
        }
        char e = charAt(k);
        if (e == 'e' || e == 'E') {
            int m = k + 1;
            if (charAt(m) == '+' || charAt(m) == '-') {
                m++;
            }
            if (isDigit(charAt(m))) {
                decimal = true;
                k = m;
                while (isDigit(charAt(k))) {
                    k++;
                }
            }
        }
        if (!decimal && k < length && isIdentifierChar(sql.charAt(k))) {
            return word(i); // 1abc and 12345_6 are identifiers (Identifier Names)
        }
        out.add(TokenType.NUMBER, i, k);
        return k;
    }

    private int word(int i) {
        int k = i + 1;
        while (k < length && isIdentifierChar(sql.charAt(k))) {
            k++;
        }
        out.add(TokenType.WORD, i, k);
        return k;
    }

    private int operator(int i) {
        char c = sql.charAt(i);
        char d = charAt(i + 1);
        int size = switch (c) {
            case ':', '!' -> d == '=' ? 2 : 1;
            case '<' -> d == '=' ? (charAt(i + 2) == '>' ? 3 : 2) : d == '>' || d == '<' ? 2 : 1;
            case '>' -> d == '=' || d == '>' ? 2 : 1;
            case '|' -> d == '|' ? 2 : 1;
            case '&' -> d == '&' ? 2 : 1;
            case '-' -> d == '>' ? (charAt(i + 2) == '>' ? 3 : 2) : 1;
            default -> 1;
        };
        out.add(TokenType.OPERATOR, i, i + size);
        return i + size;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Unquoted identifier characters: ASCII letters, digits, '_', '$' and anything beyond ASCII. */
    static boolean isIdentifierChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '$'
                || c >= 0x80;
    }
}
