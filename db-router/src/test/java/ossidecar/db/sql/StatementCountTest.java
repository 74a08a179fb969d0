package ossidecar.db.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Multi-statement detection: separators in strings, comments and stored program bodies do not count. */
class StatementCountTest {
    private final StatementClassifier classifier = new StatementClassifier();

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "SELECT 1 | 1",
            "SELECT 1; | 1",
            "SELECT 1 ; ; | 1",
            "; SELECT 1 | 1",
            "SELECT 1; SELECT 2 | 2",
            "SELECT 1;SELECT 2; | 2",
            "SELECT 1; ; SELECT 2; ; | 2",
            "SELECT 1; SELECT 2; SELECT 3 | 3",
            "SELECT 'a;b' | 1",
            "SELECT \"a;b\" | 1",
            "SELECT `a;b` FROM t | 1",
            "SELECT 1 /* ; */ | 1",
            "SELECT 1 -- ; SELECT 2 | 1",
            "SELECT 1 # ; SELECT 2 | 1",
            "/*!40101 SET NAMES utf8 */; SELECT 1 | 2",
            "SELECT 1 /*!99999 ; SELECT 2 */ | 1",
            "SELECT 'x' 'y' | 1",
            "42 | 1",
            "/* only */ | 0",
            "; ; | 0",
            "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END | 1",
            "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END; SELECT 3 | 2",
            "CREATE DEFINER=`root`@`localhost` PROCEDURE p() BEGIN DECLARE x INT; SET x = CASE WHEN 1 THEN 2 END; SELECT x; END | 1",
            "CREATE PROCEDURE p(a INT) BEGIN CASE a WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; END; SELECT 3 | 2",
            "CREATE PROCEDURE p() lbl: BEGIN LOOP SELECT 1; LEAVE lbl; END LOOP; END lbl; SELECT 2 | 2",
            "CREATE PROCEDURE p() BEGIN IF 1 THEN BEGIN SELECT 1; END; END IF; WHILE 0 DO SELECT 2; END WHILE; END | 1",
            "CREATE FUNCTION f() RETURNS INT RETURN 1; SELECT f() | 2",
            "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = 2; END | 1",
            "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1; SELECT 1 | 2",
            "CREATE OR REPLACE EVENT e ON SCHEDULE EVERY 1 HOUR DO BEGIN DELETE FROM t; DELETE FROM u; END | 1",
            "BEGIN NOT ATOMIC SELECT 1; SELECT 2; END | 1",
            "BEGIN NOT ATOMIC SELECT 1; END; SELECT 2 | 2",
            "lbl: BEGIN NOT ATOMIC SELECT 1; END lbl | 1",
            "BEGIN; SELECT 1; COMMIT | 3",
            "CREATE TABLE t (a INT); CREATE TABLE u (b INT) | 2",
            "CREATE TABLE t (`begin` INT); SELECT 1 | 2",
    })
    void statementCount(String sql, int count) {
        Classification c = classifier.classify(sql);
        assertEquals(count, c.statementCount(), sql);
        assertEquals(count > 1, c.multiStatement());
        if (count > 1) {
            assertEquals(Route.WRITER, c.route());
            assertEquals(RouteReason.MULTI_STATEMENT, c.reason());
        }
    }
}
