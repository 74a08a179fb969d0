package ossidecar.db.sql;

import java.util.Arrays;

/**
 * The tokens of one statement text, as offsets into the text: no token object and no substring
 * is made unless a caller asks for one with {@link #text(int)}. Produced by {@link SqlLexer};
 * immutable once built.
 */
public final class SqlTokens {
    private static final TokenType[] TYPES = TokenType.values();

    private final String source;
    private final byte[] types;
    private final int[] starts;
    private final int[] ends;
    private final int size;
    private final boolean backslashEscapes;
    private final boolean unterminated;
    private final RouteHint hint;

    private SqlTokens(String source, byte[] types, int[] starts, int[] ends, int size,
            boolean backslashEscapes, boolean unterminated, RouteHint hint) {
        this.source = source;
        this.types = types;
        this.starts = starts;
        this.ends = ends;
        this.size = size;
        this.backslashEscapes = backslashEscapes;
        this.unterminated = unterminated;
        this.hint = hint;
    }

    /** The text the tokens point into. */
    public String source() {
        return source;
    }

    /** The number of tokens. */
    public int size() {
        return size;
    }

    public TokenType type(int i) {
        return TYPES[types[check(i)]];
    }

    /** Offset of the token's first character in {@link #source()}. */
    public int start(int i) {
        return starts[check(i)];
    }

    /** Offset just past the token's last character in {@link #source()}. */
    public int end(int i) {
        return ends[check(i)];
    }

    /** The token's text exactly as written, quotes included. */
    public String text(int i) {
        return source.substring(start(i), end(i));
    }

    /**
     * Whether a string, quoted identifier or comment ran to the end of the text without its
     * closing delimiter. The server would reject such text; the classifier sends it to the
     * writer rather than guess what it meant.
     */
    public boolean unterminated() {
        return unterminated;
    }

    /** The routing hint found in the text's comments, {@link RouteHint#NONE} if there is none. */
    public RouteHint hint() {
        return hint;
    }

    /** Whether token {@code i} exists and is the {@link TokenType#WORD} {@code upperKeyword}, in any case. */
    public boolean isWord(int i, String upperKeyword) {
        return i >= 0 && i < size && types[i] == TokenType.WORD.ordinal()
                && equalsUpper(source, starts[i], ends[i], upperKeyword);
    }

    /** Whether token {@code i} exists and is the operator or punctuation {@code symbol}. */
    public boolean isSymbol(int i, char symbol) {
        return i >= 0 && i < size && types[i] == TokenType.OPERATOR.ordinal()
                && ends[i] - starts[i] == 1 && source.charAt(starts[i]) == symbol;
    }

    /** Whether token {@code i} exists and is the (possibly multi-character) operator {@code symbol}. */
    public boolean isSymbol(int i, String symbol) {
        return i >= 0 && i < size && types[i] == TokenType.OPERATOR.ordinal()
                && ends[i] - starts[i] == symbol.length()
                && source.startsWith(symbol, starts[i]);
    }

    /** Whether token {@code i} exists and has type {@code type}. */
    public boolean is(int i, TokenType type) {
        return i >= 0 && i < size && types[i] == type.ordinal();
    }

    /** The token's text in upper case (ASCII letters only: SQL keywords are ASCII). */
    public String upper(int i) {
        int s = start(i);
        int e = end(i);
        char[] out = new char[e - s];
        for (int k = s; k < e; k++) {
            out[k - s] = toUpperAscii(source.charAt(k));
        }
        return new String(out);
    }

    /**
     * The name a token stands for: an unquoted word as written, a quoted identifier or string
     * without its quotes and with doubled quotes (and, in strings, backslash escapes unless
     * NO_BACKSLASH_ESCAPES) undone.
     */
    public String name(int i) {
        TokenType type = type(i);
        int s = start(i);
        int e = end(i);
        if (type == TokenType.QUOTED_IDENTIFIER || type == TokenType.STRING) {
            return unquote(source, s, e, type == TokenType.STRING && backslashEscapes);
        }
        return source.substring(s, e);
    }

    /** Whether a backslash escapes the next character in strings (no NO_BACKSLASH_ESCAPES). */
    boolean backslashEscapes() {
        return backslashEscapes;
    }

    /** Compares {@code source[start, end)} with an upper-case ASCII keyword, ignoring case. */
    static boolean equalsUpper(String source, int start, int end, String upperKeyword) {
        int length = upperKeyword.length();
        if (end - start != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (toUpperAscii(source.charAt(start + k)) != upperKeyword.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static char toUpperAscii(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c;
    }

    /**
     * Strips the quote at each end of {@code source[start, end)}; an unterminated token has no
     * closing quote. Doubled quotes become one; in strings, a backslash keeps the next character
     * (the common escapes are decoded, MariaDB manual "String Literals").
     */
    static String unquote(String source, int start, int end, boolean backslashEscapes) {
        char quote = source.charAt(start);
        int last = end - 1;
        int stop = last > start && source.charAt(last) == quote ? last : end;
        StringBuilder out = new StringBuilder(stop - start);
        for (int k = start + 1; k < stop; k++) {
            char c = source.charAt(k);
            if (c == quote && k + 1 < stop && source.charAt(k + 1) == quote) {
                out.append(c);
                k++;
            } else if (c == '\\' && backslashEscapes && k + 1 < stop) {
                char next = source.charAt(++k);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    case 'b' -> '\b';
                    case 'Z' -> '\u001A';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("token: " + i + " (expected: 0.." + (size - 1) + ")");
        }
        return i;
    }

    /** Appends tokens; {@link SqlLexer} is its only user. */
    static final class Builder {
        private final String source;
        private byte[] types;
        private int[] starts;
        private int[] ends;
        private int size;

        Builder(String source) {
            this.source = source;
            // A token every six characters is typical for SQL; growing is rare and cheap.
            int capacity = Math.max(8, Math.min(source.length() / 6 + 1, 1 << 16));
            types = new byte[capacity];
            starts = new int[capacity];
            ends = new int[capacity];
        }

        void add(TokenType type, int start, int end) {
            if (size == types.length) {
                int capacity = size * 2;
                types = Arrays.copyOf(types, capacity);
                starts = Arrays.copyOf(starts, capacity);
                ends = Arrays.copyOf(ends, capacity);
            }
            types[size] = (byte) type.ordinal();
            starts[size] = start;
            ends[size] = end;
            size++;
        }

        /** Type of the last token added, or {@code null} when none was. */
        TokenType lastType() {
            return size == 0 ? null : TYPES[types[size - 1]];
        }

        /** End offset of the last token added, or -1. */
        int lastEnd() {
            return size == 0 ? -1 : ends[size - 1];
        }

        SqlTokens build(boolean backslashEscapes, boolean unterminated, RouteHint hint) {
            return new SqlTokens(source, types, starts, ends, size, backslashEscapes, unterminated, hint);
        }
    }
}
