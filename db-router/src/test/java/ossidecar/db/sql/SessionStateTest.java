package ossidecar.db.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import ossidecar.db.sql.SessionChange.Scope;
import ossidecar.db.sql.SessionChange.SetCharacterSet;
import ossidecar.db.sql.SessionChange.SetNames;
import ossidecar.db.sql.SessionChange.SetRole;
import ossidecar.db.sql.SessionChange.SystemVariable;
import ossidecar.db.sql.SessionChange.TransactionCharacteristics;
import ossidecar.db.sql.SessionChange.Unrecognized;
import ossidecar.db.sql.SessionChange.UseSchema;
import ossidecar.db.sql.SessionChange.UserVariable;

/** What each SET and USE form records for replay, and autocommit detection. */
class SessionStateTest {
    private final StatementClassifier classifier = new StatementClassifier();

    private List<SessionChange> changes(String sql) {
        return classifier.classify(sql).sessionChanges();
    }

    private static SystemVariable session(String name, String expression) {
        return new SystemVariable(Scope.SESSION, name, expression);
    }

    private static SystemVariable global(String name, String expression) {
        return new SystemVariable(Scope.GLOBAL, name, expression);
    }

    @Test
    void useSchema() {
        assertEquals(List.of(new UseSchema("nova")), changes("USE nova"));
        assertEquals(List.of(new UseSchema("nova-api")), changes("use `nova-api`;"));
        assertEquals(List.of(new UseSchema("my`db")), changes("USE `my``db`"));
        assertEquals(List.of(), changes("USE"), "no schema, nothing to replay");
    }

    @Test
    void setNames() {
        assertEquals(List.of(new SetNames("utf8mb4", null)), changes("SET NAMES utf8mb4"));
        assertEquals(List.of(new SetNames("utf8mb4", null)), changes("SET NAMES 'UTF8MB4'"));
        assertEquals(List.of(new SetNames("utf8mb4", "utf8mb4_unicode_ci")),
                changes("SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci"));
        assertEquals(List.of(new SetNames("utf8", "utf8_bin")), changes("set names 'utf8' collate 'utf8_bin'"));
        assertEquals(List.of(new SetNames("default", null)), changes("SET NAMES DEFAULT"));
    }

    @Test
    void setCharacterSet() {
        assertEquals(List.of(new SetCharacterSet("utf8")), changes("SET CHARACTER SET utf8"));
        assertEquals(List.of(new SetCharacterSet("latin1")), changes("SET CHARSET 'latin1'"));
        assertEquals(List.of(new SetCharacterSet("default")), changes("SET CHARACTER SET DEFAULT"));
    }

    @Test
    void sessionVariablesInEveryForm() {
        assertEquals(List.of(session("autocommit", "0"), session("sql_mode", "'TRADITIONAL'")),
                changes("SET autocommit=0, sql_mode='TRADITIONAL'"));
        assertEquals(List.of(session("wait_timeout", "28800")), changes("SET SESSION wait_timeout = 28800"));
        assertEquals(List.of(session("wait_timeout", "28800")), changes("SET LOCAL wait_timeout = 28800"));
        assertEquals(List.of(session("wait_timeout", "28800")), changes("SET @@session.wait_timeout = 28800"));
        assertEquals(List.of(session("wait_timeout", "28800")), changes("SET @@local.wait_timeout=28800"));
        assertEquals(List.of(session("wait_timeout", "28800")), changes("SET @@wait_timeout := 28800"));
        assertEquals(List.of(session("sql_mode", "'ANSI'")), changes("SET SQL_MODE='ANSI'"));
        assertEquals(List.of(session("sql_mode", "DEFAULT")), changes("SET sql_mode = DEFAULT"));
        assertEquals(List.of(session("innodb_lock_wait_timeout", "-1")),
                changes("SET innodb_lock_wait_timeout=-1"));
        assertEquals(List.of(session("time_zone", "'+00:00'")), changes("SET `time_zone` = '+00:00'"));
    }

    @Test
    void connectorJSessionSetup() {
        Classification c = classifier.classify(
                "set autocommit=1, sql_mode = concat(@@sql_mode,',STRICT_TRANS_TABLES')");
        assertEquals(List.of(session("autocommit", "1"),
                session("sql_mode", "concat(@@sql_mode,',STRICT_TRANS_TABLES')")), c.sessionChanges());
        assertEquals(Optional.of(true), c.autocommitChange());
        assertTrue(c.endsTransaction());
    }

    @Test
    void expressionsKeepTheirTextAndInnerCommas() {
        assertEquals(List.of(session("sql_mode", "CONCAT( @@sql_mode , ',X' )")),
                changes("SET sql_mode = CONCAT( @@sql_mode , ',X' )"));
        assertEquals(List.of(new UserVariable("m", "(SELECT MAX(id), 1 FROM t)"), new UserVariable("n", "2")),
                changes("SET @m = (SELECT MAX(id), 1 FROM t), @n = 2"));
        assertEquals(List.of(session("sql_mode", "CONCAT('a' /* why */, 'b')")),
                changes("SET sql_mode = CONCAT('a' /* why */, 'b') -- trailing comments are not part of it"));
    }

    @Test
    void globalIsNotSessionState() {
        List<SessionChange> changes = changes("SET GLOBAL max_connections = 1000");
        assertEquals(List.of(global("max_connections", "1000")), changes);
        assertFalse(changes.get(0).persistsInSession());
        assertEquals(List.of(global("max_connections", "1000")), changes("SET @@global.max_connections = 1000"));
        assertEquals(List.of(global("key_buffer_size", "1024")), changes("SET @@GLOBAL.key_buffer_size = 1024"));
        assertEquals(List.of(global("hot_cache.key_buffer_size", "1024")),
                changes("SET GLOBAL hot_cache.key_buffer_size = 1024"));
    }

    @Test
    void scopeKeywordHoldsUntilTheNextOne() {
        assertEquals(List.of(global("a", "1"), global("b", "2"), session("c", "3"), global("d", "4"),
                        session("e", "5"), new UserVariable("f", "6")),
                changes("SET GLOBAL a = 1, b = 2, SESSION c = 3, @@global.d = 4, e = 5, @f = 6"));
    }

    @Test
    void userVariables() {
        assertEquals(List.of(new UserVariable("a", "1"), new UserVariable("b", "'x'")),
                changes("SET @a = 1, @b := 'x'"));
        assertEquals(List.of(new UserVariable("my var", "2")), changes("SET @`My Var` = 2"));
        assertEquals(List.of(new UserVariable("x", "3")), changes("SET @'X' = 3"));
        assertEquals(List.of(new UserVariable("a.b", "@c + 1")), changes("SET @a.b = @c + 1"));
        assertTrue(changes("SET @a = 1").get(0).persistsInSession());
    }

    @Test
    void mixedItems() {
        assertEquals(List.of(new SetNames("utf8mb4", null), session("autocommit", "0"), new UserVariable("x", "1")),
                changes("SET NAMES utf8mb4, autocommit = 0, @x = 1"));
    }

    @Test
    void transactionCharacteristics() {
        List<SessionChange> next = changes("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
        assertEquals(List.of(new TransactionCharacteristics(Scope.NEXT_TRANSACTION, "ISOLATION LEVEL SERIALIZABLE")),
                next);
        assertFalse(next.get(0).persistsInSession(), "only the next transaction");

        List<SessionChange> session = changes("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
        assertEquals(List.of(new TransactionCharacteristics(Scope.SESSION, "ISOLATION LEVEL READ COMMITTED")),
                session);
        assertTrue(session.get(0).persistsInSession());

        assertEquals(List.of(new TransactionCharacteristics(Scope.GLOBAL, "READ ONLY")),
                changes("SET GLOBAL TRANSACTION READ ONLY"));
        assertEquals(List.of(new TransactionCharacteristics(Scope.SESSION, "READ WRITE, ISOLATION LEVEL READ COMMITTED")),
                changes("SET LOCAL TRANSACTION READ WRITE, ISOLATION LEVEL READ COMMITTED"));
        assertEquals(List.of(session("transaction_isolation", "'READ-COMMITTED'")),
                changes("SET @@session.transaction_isolation = 'READ-COMMITTED'"));
    }

    @Test
    void setRole() {
        assertEquals(List.of(new SetRole("admin")), changes("SET ROLE admin"));
        assertEquals(List.of(new SetRole("NONE")), changes("SET ROLE NONE"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SET", "SET = 1", "SET x", "SET autocommit 1", "SET x = ", "SET x = 1,",
            "SET NAMES", "SET NAMES = 'utf8'", "SET CHARACTER SET", "SET @@`x` = 1", "SET NAMES utf8 x",
            "SET TRANSACTION", "SET ROLE", "SET 1 = 1"})
    void whatCannotBeTakenApartIsReplayedWhole(String sql) {
        Classification c = classifier.classify(sql);
        assertEquals(List.of(new Unrecognized(sql.strip())), c.sessionChanges(), sql);
        assertEquals(StatementKind.SET, c.kind());
        assertEquals(Route.WRITER, c.route());
        assertEquals(Optional.empty(), c.autocommitChange());
    }

    @Test
    void statementsThatChangeNoSessionState() {
        assertEquals(List.of(), changes("SET STATEMENT max_statement_time=1 FOR SELECT 1"));
        assertEquals(List.of(), changes("SET PASSWORD = PASSWORD('x')"));
        assertEquals(List.of(), changes("SELECT 1"));
        assertEquals(List.of(), changes("SELECT @a := 1"), "SELECT assignments are not replayable; they pin the writer");
    }

    @Test
    void changesOfSeveralStatementsKeepTheirOrder() {
        assertEquals(List.of(new SetNames("utf8", null), new UseSchema("nova"), session("autocommit", "0")),
                changes("SET NAMES utf8; USE nova; SET autocommit = 0"));
        assertEquals(List.of(new SetNames("utf8", null)), changes("/*!40101 SET NAMES utf8 */;"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SET autocommit=0 | false",
            "SET autocommit=1 | true",
            "SET autocommit = ON | true",
            "SET autocommit = OFF | false",
            "SET autocommit = true | true",
            "SET autocommit = FALSE | false",
            "SET autocommit = 'ON' | true",
            "SET autocommit = 'off' | false",
            "SET AUTOCOMMIT = 1 | true",
            "SET SESSION autocommit = 0 | false",
            "SET LOCAL autocommit = 1 | true",
            "SET @@autocommit = 0 | false",
            "SET @@session.autocommit = OFF | false",
            "SET @@SESSION.AUTOCOMMIT = 1 | true",
            "SET sql_mode = '', autocommit = 0 | false",
            "SET autocommit = 0, autocommit = 1 | true",
            "SET autocommit = 0; SET autocommit = 1 | true",
            "SET autocommit = 1; SET autocommit = 0 | false",
    })
    void autocommitChanges(String sql, boolean value) {
        Classification c = classifier.classify(sql);
        assertEquals(Optional.of(value), c.autocommitChange(), sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SET GLOBAL autocommit = 0",
            "SET @@global.autocommit = 1",
            "SET autocommit = @x",
            "SET autocommit = DEFAULT",
            "SET autocommit = 2",
            "SET @autocommit = 0",
            "SET sql_mode = 'autocommit'",
            "SELECT @@autocommit",
            "SET STATEMENT autocommit = 0 FOR SELECT 1",
    })
    void noAutocommitChange(String sql) {
        assertEquals(Optional.empty(), classifier.classify(sql).autocommitChange(), sql);
    }

    @Test
    void onlyTurningAutocommitOnCommits() {
        assertTrue(classifier.classify("SET autocommit = 1").endsTransaction());
        assertFalse(classifier.classify("SET autocommit = 0").endsTransaction());
        assertFalse(classifier.classify("SET sql_mode = ''").endsTransaction());
    }
}
