package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import ossidecar.db.sql.StatementClassifier;

class SessionPinsTest {
    private static final StatementClassifier CLASSIFIER = new StatementClassifier();

    private static SessionPins after(String... sql) {
        SessionPins p = new SessionPins();
        for (String s : sql) {
            p.note(CLASSIFIER.classify(s));
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM instances WHERE uuid = 'x'",
            "UPDATE instances SET vm_state = 'active' WHERE id = 1",
            "INSERT INTO t VALUES (1)",
            "SET NAMES utf8mb4",
            "SET SESSION sql_mode = 'TRADITIONAL'",
            "SET autocommit = 0",
            "BEGIN", "COMMIT", "ROLLBACK",
            "SELECT 1",
            "SELECT * FROM t FOR UPDATE"})
    void whatOpenStackSendsLeavesNothingOnTheConnection(String sql) {
        assertFalse(after(sql).pinned(), sql);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CREATE TEMPORARY TABLE tmp (id INT)|TEMPORARY_TABLE",
            "LOCK TABLES t WRITE|CONNECTION_STATE",
            "PREPARE s FROM 'SELECT 1'|CONNECTION_STATE",
            "HANDLER t OPEN|CONNECTION_STATE",
            "SELECT GET_LOCK('x', 10)|NAMED_LOCK",
            "SET @x = 1|USER_VARIABLE",
            "SELECT @x := id FROM t|USER_VARIABLE",
            "SELECT id INTO @x FROM t|USER_VARIABLE",
            "SELECT 1; SELECT 2|UNKNOWN",
            "SELECT 'unterminated|UNKNOWN"})
    void connectionStatePinsTheSession(String sql, SessionPins.Pin pin) {
        SessionPins p = after(sql);
        assertTrue(p.pinned(), sql);
        assertTrue(p.pins().contains(pin), sql + ": " + p.pins());
    }

    @Test
    void aPinStaysUntilTheConnectionIsReset() {
        SessionPins p = after("SELECT GET_LOCK('x', 10)", "SELECT RELEASE_LOCK('x')", "SELECT 1");
        assertEquals(Set.of(SessionPins.Pin.NAMED_LOCK), p.pins());
        p.clear();
        assertFalse(p.pinned());
    }
}
