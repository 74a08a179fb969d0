package ossidecar.db.galera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {

    @Test
    void connectionErrors() {
        assertTrue(SqlErrors.isConnectionError(new SQLNonTransientConnectionException("Socket error", "08000")));
        assertTrue(SqlErrors.isConnectionError(new SQLTransientConnectionException("pool timed out")));
        assertTrue(SqlErrors.isConnectionError(new SQLException("WSREP has not yet prepared node", "08S01", 1047)));
        assertTrue(SqlErrors.isConnectionError(new SQLException("wrapped", new ConnectException("refused"))));
        assertFalse(SqlErrors.isConnectionError(new SQLException("Deadlock found", "40001", 1213)));
        assertFalse(SqlErrors.isConnectionError(new SQLException("denied", "42000", 1142)));
    }

    @Test
    void timeouts() {
        assertTrue(SqlErrors.isTimeout(new SQLNonTransientConnectionException("Socket timout error", "08000", 0,
                new SocketTimeoutException("Read timed out"))));
        assertFalse(SqlErrors.isTimeout(new SQLNonTransientConnectionException("Socket error", "08000", 0,
                new EOFException("unexpected end of stream"))));
    }

    @Test
    void tableErrors() {
        assertTrue(SqlErrors.isMissingTable(new SQLException("Table 'sidecar.writer' doesn't exist", "42S02", 1146)));
        assertTrue(SqlErrors.isMissingTable(new SQLException("Unknown database 'sidecar'", "42000", 1049)));
        for (int code : new int[] {1044, 1045, 1142, 1143, 1227, 1290, 1036, 1054}) {
            assertTrue(SqlErrors.isUnusableTable(new SQLException("x", "HY000", code)), "error " + code);
        }
        for (int code : new int[] {1213, 1205, 1180, 1047, 1146}) {
            assertFalse(SqlErrors.isUnusableTable(new SQLException("x", "HY000", code)), "error " + code);
        }
    }

    @Test
    void describeNamesTheRootCauseWithoutConnectionIds() {
        SQLException e = new SQLTransientConnectionException(
                "galera-monitor-galera-1-1 - Connection is not available, request timed out after 1000ms",
                new SQLNonTransientConnectionException("(conn=15) Socket fail to connect",
                        new ConnectException("Connection refused")));
        assertEquals("galera-monitor-galera-1-1 - Connection is not available, request timed out after 1000ms"
                + " (Connection refused)", SqlErrors.describe(e));
        assertEquals("Socket error", SqlErrors.describe(new SQLException("(conn=7) Socket error")));
        assertEquals("EOFException", SqlErrors.describe(new EOFException()));
    }
}
