package ossidecar.db.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ossidecar.db.sql.SessionChange.Scope;

/** Replay statements and invariants of each {@link SessionChange}. */
class SessionChangeTest {

    @Test
    void replayStatements() {
        assertEquals("USE `nova`", new SessionChange.UseSchema("nova").replaySql());
        assertEquals("USE `a``b`", new SessionChange.UseSchema("a`b").replaySql());
        assertEquals("SET NAMES 'utf8mb4'", new SessionChange.SetNames("utf8mb4", null).replaySql());
        assertEquals("SET NAMES 'utf8mb4' COLLATE 'utf8mb4_bin'",
                new SessionChange.SetNames("utf8mb4", "utf8mb4_bin").replaySql());
        assertEquals("SET NAMES DEFAULT", new SessionChange.SetNames("default", null).replaySql());
        assertEquals("SET CHARACTER SET 'latin1'", new SessionChange.SetCharacterSet("latin1").replaySql());
        assertEquals("SET SESSION sql_mode = 'ANSI'",
                new SessionChange.SystemVariable(Scope.SESSION, "sql_mode", "'ANSI'").replaySql());
        assertEquals("SET GLOBAL max_connections = 10",
                new SessionChange.SystemVariable(Scope.GLOBAL, "max_connections", "10").replaySql());
        assertEquals("SET @`my var` = 1", new SessionChange.UserVariable("my var", "1").replaySql());
        assertEquals("SET TRANSACTION READ ONLY",
                new SessionChange.TransactionCharacteristics(Scope.NEXT_TRANSACTION, "READ ONLY").replaySql());
        assertEquals("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
                new SessionChange.TransactionCharacteristics(Scope.SESSION, "ISOLATION LEVEL READ COMMITTED")
                        .replaySql());
        assertEquals("SET GLOBAL TRANSACTION READ WRITE",
                new SessionChange.TransactionCharacteristics(Scope.GLOBAL, "READ WRITE").replaySql());
        assertEquals("SET ROLE admin", new SessionChange.SetRole("admin").replaySql());
        assertEquals("SET x", new SessionChange.Unrecognized("SET x").replaySql());
    }

    @Test
    void replayOfParsedStatementsRoundTrips() {
        StatementClassifier classifier = new StatementClassifier();
        for (String sql : new String[] {"SET NAMES utf8mb4 COLLATE utf8mb4_bin",
                "SET autocommit=0, sql_mode='TRADITIONAL', @a := 5", "USE `nova`",
                "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"}) {
            for (SessionChange change : classifier.classify(sql).sessionChanges()) {
                assertEquals(java.util.List.of(change),
                        classifier.classify(change.replaySql()).sessionChanges(), change.replaySql());
            }
        }
    }

    @Test
    void whatPersists() {
        assertTrue(new SessionChange.UseSchema("x").persistsInSession());
        assertTrue(new SessionChange.SetNames("utf8", null).persistsInSession());
        assertTrue(new SessionChange.SetCharacterSet("utf8").persistsInSession());
        assertTrue(new SessionChange.SystemVariable(Scope.SESSION, "a", "1").persistsInSession());
        assertFalse(new SessionChange.SystemVariable(Scope.GLOBAL, "a", "1").persistsInSession());
        assertTrue(new SessionChange.UserVariable("a", "1").persistsInSession());
        assertTrue(new SessionChange.TransactionCharacteristics(Scope.SESSION, "READ ONLY").persistsInSession());
        assertFalse(new SessionChange.TransactionCharacteristics(Scope.GLOBAL, "READ ONLY").persistsInSession());
        assertFalse(new SessionChange.TransactionCharacteristics(Scope.NEXT_TRANSACTION, "READ ONLY")
                .persistsInSession());
        assertTrue(new SessionChange.SetRole("r").persistsInSession());
        assertTrue(new SessionChange.Unrecognized("SET x").persistsInSession());
    }

    @Test
    void invalidValuesAreRejected() {
        assertThrows(NullPointerException.class, () -> new SessionChange.UseSchema(null));
        assertThrows(IllegalArgumentException.class,
                () -> new SessionChange.SystemVariable(Scope.NEXT_TRANSACTION, "a", "1"));
    }
}
