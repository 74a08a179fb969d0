package ossidecar.db.sql;

/** What a token produced by {@link SqlLexer} is. Comments never become tokens. */
public enum TokenType {
    /** A keyword or an unquoted identifier; the lexer does not tell them apart. */
    WORD,
    /** {@code `name`}, or {@code "name"} when the dialect has ANSI_QUOTES. */
    QUOTED_IDENTIFIER,
    /** {@code 'text'} or {@code "text"}, quotes included in the token's span. */
    STRING,
    /** Integer, decimal, float, {@code 0x..} and {@code 0b..} literals. */
    NUMBER,
    /** {@code @name}, {@code @'name'}, {@code @`name`}. */
    USER_VARIABLE,
    /** {@code @@name}, {@code @@session.name}, {@code @@global.name}. */
    SYSTEM_VARIABLE,
    /** {@code ?}: a client-side or server-side prepared statement parameter. */
    PLACEHOLDER,
    /** Operators and punctuation: {@code ( ) , . = := <=> ...}. */
    OPERATOR,
    /** {@code ;}: the statement separator. */
    SEMICOLON
}
