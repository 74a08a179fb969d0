package ossidecar.db.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlLexerTest {

    /** Tokens as {@code TYPE:text}, the compact form the assertions compare. */
    static List<String> render(SqlTokens tokens) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            out.add(tokens.type(i) + ":" + tokens.text(i));
        }
        return out;
    }

    static List<String> lex(String sql) {
        return render(SqlLexer.tokenize(sql));
    }

    @Test
    void wordsNumbersOperatorsAndPunctuation() {
        assertEquals(List.of("WORD:SELECT", "WORD:a", "OPERATOR:,", "WORD:t", "OPERATOR:.", "WORD:b",
                "WORD:FROM", "WORD:t", "WORD:WHERE", "WORD:id", "OPERATOR:=", "NUMBER:42",
                "SEMICOLON:;"), lex("SELECT a, t.b FROM t WHERE id = 42;"));
    }

    @Test
    void tokenOffsetsPointIntoTheSource() {
        SqlTokens tokens = SqlLexer.tokenize("  SELECT  `x`");
        assertEquals(2, tokens.size());
        assertEquals(2, tokens.start(0));
        assertEquals(8, tokens.end(0));
        assertEquals(10, tokens.start(1));
        assertEquals(13, tokens.end(1));
        assertEquals("  SELECT  `x`", tokens.source());
        assertThrows(IndexOutOfBoundsException.class, () -> tokens.type(2));
    }

    @Test
    void emptyAndBlankInput() {
        assertEquals(List.of(), lex(""));
        assertEquals(List.of(), lex(" \t\r\n\f"));
        assertFalse(SqlLexer.tokenize("").unterminated());
    }

    @Test
    void keywordsMatchInAnyCase() {
        SqlTokens tokens = SqlLexer.tokenize("sElEcT Select");
        assertTrue(tokens.isWord(0, "SELECT"));
        assertTrue(tokens.isWord(1, "SELECT"));
        assertFalse(tokens.isWord(0, "SELEC"));
        assertFalse(tokens.isWord(2, "SELECT"));
        assertEquals("SELECT", tokens.upper(0));
    }

    @Test
    void multiCharacterOperators() {
        assertEquals(List.of("USER_VARIABLE:@a", "OPERATOR::=", "NUMBER:1", "OPERATOR:<=>", "NUMBER:2",
                "OPERATOR:<=", "OPERATOR:>=", "OPERATOR:<>", "OPERATOR:!=", "OPERATOR:||", "OPERATOR:&&",
                "OPERATOR:<<", "OPERATOR:>>", "WORD:j", "OPERATOR:->>", "STRING:'$.a'", "OPERATOR:->",
                "STRING:'$.b'"),
                lex("@a:=1 <=> 2 <= >= <> != || && << >> j->>'$.a' ->'$.b'"));
    }

    @Test
    void placeholdersAndSemicolons() {
        assertEquals(List.of("WORD:SELECT", "WORD:c", "WORD:FROM", "WORD:sbtest1", "WORD:WHERE", "WORD:id",
                "OPERATOR:=", "PLACEHOLDER:?", "SEMICOLON:;", "SEMICOLON:;"),
                lex("SELECT c FROM sbtest1 WHERE id=?;;"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1 | NUMBER:1",
            "3.14 | NUMBER:3.14",
            ".5 | OPERATOR:.",
            "1e10 | NUMBER:1e10",
            "1.5E-3 | NUMBER:1.5E-3",
            "0x1F | NUMBER:0x1F",
            "0b101 | NUMBER:0b101",
            "1abc | WORD:1abc",
            "12345_6 | WORD:12345_6",
            "0xZZ | WORD:0xZZ",
            "$x | WORD:$x",
            "é_name | WORD:é_name",
    })
    void numbersAndIdentifierLikeNumbers(String sql, String first) {
        assertEquals(first, lex(sql).get(0));
    }

    @Test
    void hashComment() {
        assertEquals(List.of("WORD:SELECT", "NUMBER:1", "WORD:FROM", "WORD:t"),
                lex("SELECT 1 # FOR UPDATE; DROP\nFROM t"));
    }

    @Test
    void dashDashCommentNeedsWhitespaceOrControlCharacter() {
        assertEquals(List.of("WORD:SELECT", "NUMBER:1", "WORD:FROM", "WORD:t"),
                lex("SELECT 1 -- FOR UPDATE\nFROM t"));
        assertEquals(List.of("WORD:SELECT", "NUMBER:1"), lex("SELECT 1 --\tx"));
        assertEquals(List.of("WORD:SELECT", "NUMBER:1"), lex("SELECT 1 --"));
        assertEquals(List.of("WORD:SELECT", "NUMBER:1"), lex("SELECT 1 --\n"));
        // Without whitespace it is arithmetic: 1 - (-1).
        assertEquals(List.of("WORD:SELECT", "NUMBER:1", "OPERATOR:-", "OPERATOR:-", "NUMBER:1"),
                lex("SELECT 1--1"));
    }

    @Test
    void blockCommentsDoNotNest() {
        assertEquals(List.of("WORD:SELECT", "NUMBER:1"), lex("SELECT /* a */ 1"));
        assertEquals(List.of("WORD:SELECT", "NUMBER:1"), lex("SELECT /* multi\nline\n*/ 1"));
        assertEquals(List.of("WORD:SELECT", "WORD:b", "OPERATOR:*", "OPERATOR:/", "NUMBER:1"),
                lex("SELECT /* a /* inner */ b */ 1"));
        assertEquals(List.of("WORD:SELECT", "NUMBER:1"), lex("SELECT/**/1"));
    }

    @Test
    void optimizerHintsAreComments() {
        SqlTokens tokens = SqlLexer.tokenize("SELECT /*+ MAX_EXECUTION_TIME(1000) */ * FROM t");
        assertEquals(List.of("WORD:SELECT", "OPERATOR:*", "WORD:FROM", "WORD:t"), render(tokens));
        assertEquals(RouteHint.NONE, tokens.hint());
    }

    @Test
    void executableCommentContentIsCode() {
        assertEquals(List.of("WORD:SELECT", "WORD:SQL_NO_CACHE", "OPERATOR:*", "WORD:FROM", "WORD:t"),
                lex("SELECT /*! SQL_NO_CACHE */ * FROM t"));
        assertEquals(List.of("WORD:SET", "WORD:NAMES", "WORD:utf8", "SEMICOLON:;"),
                lex("/*!40101 SET NAMES utf8 */;"));
        assertEquals(List.of("WORD:SELECT", "OPERATOR:*", "WORD:FROM", "WORD:t", "WORD:FOR", "WORD:UPDATE"),
                lex("SELECT * FROM t /*!50000 FOR UPDATE*/"));
        assertEquals(List.of("WORD:CREATE", "WORD:TABLE", "WORD:t", "WORD:ENGINE", "OPERATOR:=", "WORD:InnoDB"),
                lex("CREATE TABLE t /*M!100100 ENGINE=InnoDB */"));
        assertEquals(List.of("WORD:x"), lex("/*M! x */"));
        assertEquals(List.of("NUMBER:123", "WORD:x"), lex("/*!123 x */"), "fewer than 5 digits is no version");
        assertFalse(SqlLexer.tokenize("/*!50000 SELECT 1 */").unterminated());
    }

    @Test
    void executableCommentsTheServerWouldSkip() {
        // MySQL 5.7+ versions (50700-99999) are skipped by MariaDB unless written /*M!.
        assertEquals(List.of("WORD:SELECT", "NUMBER:1"), lex("SELECT 1 /*!50701 FOR UPDATE */"));
        assertEquals(List.of("WORD:SELECT", "NUMBER:1"), lex("SELECT 1 /*!80000 FOR UPDATE */"));
        assertEquals(List.of("WORD:SELECT", "NUMBER:1", "WORD:x"), lex("SELECT 1 /*M!50701 x */"));
        // Newer than the server (10.11) is skipped.
        assertEquals(List.of("WORD:SELECT", "NUMBER:1"), lex("SELECT 1 /*M!110000 x */"));
        assertEquals(List.of("WORD:SELECT", "NUMBER:1"), lex("SELECT 1 /*!999999 x */"));
        // A skipped versioned comment may hold one nested comment.
        assertEquals(List.of("WORD:SELECT", "NUMBER:1", "NUMBER:2"), lex("SELECT 1 /*!99999 a /* b */ c */ 2"));
        // The server version is part of the dialect.
        SqlDialect old = new SqlDialect(false, false, 100400);
        assertEquals(List.of("WORD:SELECT", "NUMBER:1"),
                render(SqlLexer.tokenize("SELECT 1 /*M!100500 x */", old)));
    }

    @Test
    void commentInsideExecutableComment() {
        assertEquals(List.of("WORD:SELECT", "NUMBER:1", "NUMBER:2"), lex("/*!SELECT 1 /* note */ 2 */"));
        assertEquals(List.of("WORD:SELECT", "NUMBER:1", "NUMBER:2"), lex("/*!SELECT 1 /*!40000 x */ 2 */"));
    }

    @Test
    void starSlashOutsideAnExecutableCommentIsOperators() {
        assertEquals(List.of("WORD:SELECT", "NUMBER:2", "OPERATOR:*", "OPERATOR:/", "NUMBER:3"),
                lex("SELECT 2 */ 3"));
    }

    @Test
    void singleAndDoubleQuotedStringsWithEscapes() {
        assertEquals(List.of("WORD:SELECT", "STRING:'it\\'s'", "OPERATOR:,", "STRING:'it''s'", "OPERATOR:,",
                "STRING:\"say \\\"hi\\\"\"", "OPERATOR:,", "STRING:\"a\"\"b\"", "OPERATOR:,", "STRING:'\\\\'"),
                lex("SELECT 'it\\'s', 'it''s', \"say \\\"hi\\\"\", \"a\"\"b\", '\\\\'"));
        SqlTokens tokens = SqlLexer.tokenize("'it\\'s' 'it''s' 'a\\nb' \"q\"\"q\"");
        assertEquals("it's", tokens.name(0));
        assertEquals("it's", tokens.name(1));
        assertEquals("a\nb", tokens.name(2));
        assertEquals("q\"q", tokens.name(3));
    }

    @Test
    void stringsHideKeywordsSemicolonsAndComments() {
        assertEquals(List.of("WORD:SELECT", "STRING:'x; DROP TABLE t -- /* FOR UPDATE'"),
                lex("SELECT 'x; DROP TABLE t -- /* FOR UPDATE'"));
    }

    @Test
    void backquotedIdentifiersWithDoubledBackquotes() {
        SqlTokens tokens = SqlLexer.tokenize("SELECT `a``b`, `select`, `x\\` FROM `db`.`t`");
        assertEquals(List.of("WORD:SELECT", "QUOTED_IDENTIFIER:`a``b`", "OPERATOR:,",
                "QUOTED_IDENTIFIER:`select`", "OPERATOR:,", "QUOTED_IDENTIFIER:`x\\`", "WORD:FROM",
                "QUOTED_IDENTIFIER:`db`", "OPERATOR:.", "QUOTED_IDENTIFIER:`t`"), render(tokens));
        assertEquals("a`b", tokens.name(1));
        assertEquals("x\\", tokens.name(5), "no backslash escapes in identifiers");
        assertFalse(tokens.isWord(3, "SELECT"), "a quoted keyword is a name");
    }

    @Test
    void noBackslashEscapesDialect() {
        SqlDialect dialect = new SqlDialect(true, false, SqlDialect.DEFAULT.serverVersion());
        SqlTokens tokens = SqlLexer.tokenize("SELECT 'a\\', 'b'", dialect);
        assertEquals(List.of("WORD:SELECT", "STRING:'a\\'", "OPERATOR:,", "STRING:'b'"), render(tokens));
        assertFalse(tokens.unterminated());
        assertEquals("a\\", tokens.name(1));
        assertTrue(SqlLexer.tokenize("SELECT 'a\\', 'b'").unterminated());
    }

    @Test
    void ansiQuotesDialect() {
        SqlDialect dialect = new SqlDialect(false, true, SqlDialect.DEFAULT.serverVersion());
        SqlTokens tokens = SqlLexer.tokenize("SELECT \"a\"\"b\" FROM t", dialect);
        assertEquals(TokenType.QUOTED_IDENTIFIER, tokens.type(1));
        assertEquals("a\"b", tokens.name(1));
        assertEquals(TokenType.STRING, SqlLexer.tokenize("SELECT \"a\"").type(1));
    }

    @Test
    void userAndSystemVariables() {
        assertEquals(List.of("USER_VARIABLE:@a", "USER_VARIABLE:@a.b$_1", "USER_VARIABLE:@'my var'",
                "USER_VARIABLE:@\"x\"", "USER_VARIABLE:@`y`", "SYSTEM_VARIABLE:@@version",
                "SYSTEM_VARIABLE:@@session.sql_mode", "SYSTEM_VARIABLE:@@GLOBAL.max_connections"),
                lex("@a @a.b$_1 @'my var' @\"x\" @`y` @@version @@session.sql_mode @@GLOBAL.max_connections"));
    }

    @Test
    void atSignOfAnAccountNameIsAnOperator() {
        assertEquals(List.of("STRING:'nova'", "OPERATOR:@", "STRING:'%'"), lex("'nova'@'%'"));
        assertEquals(List.of("WORD:root", "OPERATOR:@", "WORD:localhost"), lex("root@localhost"));
        assertEquals(List.of("QUOTED_IDENTIFIER:`root`", "OPERATOR:@", "QUOTED_IDENTIFIER:`%`"), lex("`root`@`%`"));
        assertEquals(List.of("STRING:'a'", "USER_VARIABLE:@b"), lex("'a' @b"));
        assertEquals(List.of("OPERATOR:@"), lex("@"));
        assertEquals(List.of("OPERATOR:@@"), lex("@@"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 'abc",
            "SELECT \"abc",
            "SELECT 'abc\\'",
            "SELECT 'abc\\",
            "SELECT `abc",
            "SELECT 1 /* open",
            "SELECT 1 /*",
            "SELECT /*!50000 1",
            "SELECT /*! 1",
            "SELECT /*M!100000 1",
            "SELECT 1 /*!99999 skipped",
            "SELECT @'x",
            "SELECT @@`x",
    })
    void unterminatedInputIsMarkedNotThrown(String sql) {
        SqlTokens tokens = SqlLexer.tokenize(sql);
        assertTrue(tokens.unterminated(), sql);
        assertTrue(tokens.isWord(0, "SELECT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 'a' 'b'",
            "SELECT 1 /* closed */",
            "SELECT 1 -- open line comment",
            "SELECT 1 # open line comment",
            "SELECT `a` FROM `b`",
            "SELECT '' , \"\" , ``",
            "/*!50000 SELECT 1 */",
    })
    void terminatedInputIsNotMarked(String sql) {
        assertFalse(SqlLexer.tokenize(sql).unterminated(), sql);
    }

    @Test
    void routingHintsInEveryCommentForm() {
        assertEquals(RouteHint.WRITER, SqlLexer.tokenize("/* sidecar:route=writer */ SELECT 1").hint());
        assertEquals(RouteHint.READER, SqlLexer.tokenize("SELECT 1 /* sidecar:route=reader */").hint());
        assertEquals(RouteHint.READER, SqlLexer.tokenize("SELECT /*SIDECAR:ROUTE = Reader*/ 1").hint());
        assertEquals(RouteHint.WRITER, SqlLexer.tokenize("SELECT 1 -- sidecar:route=writer").hint());
        assertEquals(RouteHint.READER, SqlLexer.tokenize("# sidecar:route=reader\nSELECT 1").hint());
        assertEquals(RouteHint.READER,
                SqlLexer.tokenize("SELECT 1 /* nova.api get_instance sidecar:route=reader req-1 */").hint());
        assertEquals(RouteHint.READER, SqlLexer.tokenize("/*!SELECT 1 /* sidecar:route=reader */ */").hint());
    }

    @Test
    void writerHintWinsOverReaderHint() {
        assertEquals(RouteHint.WRITER, SqlLexer.tokenize(
                "/* sidecar:route=reader */ SELECT 1 /* sidecar:route=writer */").hint());
        assertEquals(RouteHint.WRITER, SqlLexer.tokenize(
                "/* sidecar:route=writer sidecar:route=reader */ SELECT 1").hint());
    }

    @Test
    void whatIsNotARoutingHint() {
        assertEquals(RouteHint.NONE, SqlLexer.tokenize("SELECT 1").hint());
        assertEquals(RouteHint.NONE, SqlLexer.tokenize("SELECT '/* sidecar:route=writer */'").hint());
        assertEquals(RouteHint.NONE, SqlLexer.tokenize("SELECT `sidecar:route=writer`").hint());
        assertEquals(RouteHint.NONE, SqlLexer.tokenize("/* sidecar:route=primary */ SELECT 1").hint());
        assertEquals(RouteHint.NONE, SqlLexer.tokenize("/* sidecar:route=writers */ SELECT 1").hint());
        assertEquals(RouteHint.NONE, SqlLexer.tokenize("/* sidecar:route */ SELECT 1").hint());
        assertEquals(RouteHint.NONE, SqlLexer.tokenize("/*+ sidecar:route=reader */ SELECT 1").hint());
        assertEquals(RouteHint.NONE, SqlLexer.tokenize("/*").hint());
    }

    @Test
    void hintInAnUnterminatedCommentIsStillSeen() {
        SqlTokens tokens = SqlLexer.tokenize("SELECT 1 /* sidecar:route=reader");
        assertEquals(RouteHint.READER, tokens.hint());
        assertTrue(tokens.unterminated());
    }
}
