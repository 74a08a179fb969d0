package ossidecar.db.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ossidecar.db.sql.SessionChange.Scope;

/**
 * Takes a {@code SET} statement apart into {@link SessionChange}s (MariaDB manual, "SET",
 * "SET NAMES", "SET CHARACTER SET", "SET TRANSACTION", "SET ROLE"):
 * <pre>
 * SET [GLOBAL | SESSION | LOCAL] TRANSACTION characteristics
 * SET ROLE role
 * SET item [, item] ...
 *   item: NAMES charset [COLLATE collation] | CHARACTER SET charset | CHARSET charset
 *       | [GLOBAL | SESSION | LOCAL] name = expr
 *       | @@[global. | session. | local.]name = expr
 *       | @user_var {= | :=} expr
 * </pre>
 * A scope keyword holds for the bare names after it until the next keyword, as the MySQL
 * manual documents for SET with several assignments. Anything else becomes one
 * {@link SessionChange.Unrecognized} holding the whole statement.
 */
final class SetStatementParser {
    private final SqlTokens t;
    private final int setToken;
    private final int end;
    private final ClassificationBuilder out;
    private final List<SessionChange> changes = new ArrayList<>(2);
    private Boolean autocommit;

    private SetStatementParser(SqlTokens tokens, int setToken, int end, ClassificationBuilder out) {
        this.t = tokens;
        this.setToken = setToken;
        this.end = end;
        this.out = out;
    }

    /** Parses tokens {@code [setToken, end)}, {@code setToken} being the {@code SET} keyword. */
    static void parse(SqlTokens tokens, int setToken, int end, ClassificationBuilder out) {
        new SetStatementParser(tokens, setToken, end, out).run();
    }

    private void run() {
        if (!parseAll()) {
            out.sessionChange(new SessionChange.Unrecognized(text(setToken, end)));
            return;
        }
        for (SessionChange change : changes) {
            out.sessionChange(change);
        }
        if (autocommit != null) {
            out.autocommit(autocommit);
            if (autocommit) {
                out.endsTransaction(); // manual: SET autocommit=1 commits if it was 0
            }
        }
    }

    private boolean parseAll() {
        int i = setToken + 1;
        Scope keyword = scopeKeyword(i);
        int afterScope = keyword == null ? i : i + 1;
        if (t.isWord(afterScope, "TRANSACTION")) {
            if (afterScope + 1 >= end) {
                return false;
            }
            changes.add(new SessionChange.TransactionCharacteristics(
                    keyword == null ? Scope.NEXT_TRANSACTION : keyword, text(afterScope + 1, end)));
            return true;
        }
        if (t.isWord(i, "ROLE")) {
            if (i + 1 >= end) {
                return false;
            }
            changes.add(new SessionChange.SetRole(text(i + 1, end)));
            return true;
        }
        Scope sticky = Scope.SESSION;
        while (true) {
            Scope explicit = scopeKeyword(i);
            if (explicit != null) {
                sticky = explicit;
                i++;
            }
            int next;
            if (t.isWord(i, "NAMES")) {
                next = names(i + 1);
            } else if (t.isWord(i, "CHARACTER") && t.isWord(i + 1, "SET")) {
                next = characterSet(i + 2);
            } else if (t.isWord(i, "CHARSET")) {
                next = characterSet(i + 1);
            } else if (t.is(i, TokenType.USER_VARIABLE)) {
                next = userVariable(i);
            } else if (t.is(i, TokenType.SYSTEM_VARIABLE)) {
                next = systemVariable(i);
            } else if (TableNames.isName(t, i)) {
                next = namedVariable(i, sticky);
            } else {
                return false;
            }
            if (next < 0) {
                return false;
            }
            if (next >= end) {
                return true;
            }
            if (!t.isSymbol(next, ',')) {
                return false;
            }
            i = next + 1;
        }
    }

    private Scope scopeKeyword(int i) {
        if (i >= end) {
            return null;
        }
        if (t.isWord(i, "GLOBAL")) {
            return Scope.GLOBAL;
        }
        if (t.isWord(i, "SESSION") || t.isWord(i, "LOCAL")) {
            return Scope.SESSION;
        }
        return null;
    }

    private int names(int i) {
        String charset = charsetName(i);
        if (charset == null) {
            return -1;
        }
        String collation = null;
        int next = i + 1;
        if (t.isWord(next, "COLLATE")) {
            collation = charsetName(next + 1);
            if (collation == null) {
                return -1;
            }
            next += 2;
        }
        changes.add(new SessionChange.SetNames(charset, collation));
        return next;
    }

    private int characterSet(int i) {
        String charset = charsetName(i);
        if (charset == null) {
            return -1;
        }
        changes.add(new SessionChange.SetCharacterSet(charset));
        return i + 1;
    }

    /** A charset or collation name as a word, string or quoted identifier, lower case. */
    private String charsetName(int i) {
        if (i >= end || !(TableNames.isName(t, i) || t.is(i, TokenType.STRING))) {
            return null;
        }
        return t.name(i).toLowerCase(Locale.ROOT);
    }

    private int userVariable(int i) {
        String source = t.source();
        int start = t.start(i) + 1;
        char first = source.charAt(start);
        String name = first == '\'' || first == '"' || first == '`'
                ? SqlTokens.unquote(source, start, t.end(i), first != '`' && t.backslashEscapes())
                : source.substring(start, t.end(i));
        int valueStart = i + 1;
        if (!t.isSymbol(valueStart, '=') && !t.isSymbol(valueStart, ":=")) {
            return -1;
        }
        int valueEnd = expressionEnd(valueStart + 1);
        if (valueEnd < 0) {
            return -1;
        }
        changes.add(new SessionChange.UserVariable(name.toLowerCase(Locale.ROOT),
                text(valueStart + 1, valueEnd)));
        return valueEnd;
    }

    private int systemVariable(int i) {
        String source = t.source();
        int start = t.start(i) + 2;
        int tokenEnd = t.end(i);
        Scope scope = Scope.SESSION;
        int dot = source.indexOf('.', start);
        if (dot >= 0 && dot < tokenEnd) {
            if (SqlTokens.equalsUpper(source, start, dot, "GLOBAL")) {
                scope = Scope.GLOBAL;
                start = dot + 1;
            } else if (SqlTokens.equalsUpper(source, start, dot, "SESSION")
                    || SqlTokens.equalsUpper(source, start, dot, "LOCAL")) {
                start = dot + 1;
            }
        }
        if (start >= tokenEnd || source.charAt(start) == '`') {
            return -1;
        }
        return assignment(scope, source.substring(start, tokenEnd), i + 1);
    }

    private int namedVariable(int i, Scope scope) {
        String name = t.name(i);
        int next = i + 1;
        if (t.isSymbol(next, '.') && TableNames.isName(t, next + 1)) {
            name = name + "." + t.name(next + 1); // structured variable: hot_cache.key_buffer_size
            next += 2;
        }
        return assignment(scope, name, next);
    }

    private int assignment(Scope scope, String name, int operator) {
        if (!t.isSymbol(operator, '=') && !t.isSymbol(operator, ":=")) {
            return -1;
        }
        int valueEnd = expressionEnd(operator + 1);
        if (valueEnd < 0) {
            return -1;
        }
        String lowerName = name.toLowerCase(Locale.ROOT);
        changes.add(new SessionChange.SystemVariable(scope, lowerName, text(operator + 1, valueEnd)));
        if (scope == Scope.SESSION && lowerName.equals("autocommit")) {
            autocommit = booleanValue(operator + 1, valueEnd);
        }
        return valueEnd;
    }

    /** End of an expression starting at {@code from}: the next comma outside parentheses, or the end. */
    private int expressionEnd(int from) {
        int depth = 0;
        int i = from;
        for (; i < end; i++) {
            if (t.isSymbol(i, '(')) {
                depth++;
            } else if (t.isSymbol(i, ')')) {
                depth--;
            } else if (depth == 0 && t.isSymbol(i, ',')) {
                break;
            }
        }
        return i == from ? -1 : i;
    }

    /** 1/0, ON/OFF, TRUE/FALSE, quoted or not; {@code null} for anything else. */
    private Boolean booleanValue(int from, int to) {
        if (to - from != 1) {
            return null;
        }
        String value = t.name(from);
        if (value.equals("1") || value.equalsIgnoreCase("ON") || value.equalsIgnoreCase("TRUE")) {
            return Boolean.TRUE;
        }
        if (value.equals("0") || value.equalsIgnoreCase("OFF") || value.equalsIgnoreCase("FALSE")) {
            return Boolean.FALSE;
        }
        return null;
    }

    private String text(int from, int to) {
        return t.source().substring(t.start(from), t.end(to - 1));
    }
}
