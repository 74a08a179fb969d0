package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Capability and status bits, checked against Connector/J's constants as an independent reference. */
class ConstantsTest {

    @Test
    void capabilitiesMatchConnectorJ() {
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.CLIENT_MYSQL, Capabilities.CLIENT_MYSQL);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.CONNECT_WITH_DB, Capabilities.CLIENT_CONNECT_WITH_DB);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.LOCAL_FILES, Capabilities.CLIENT_LOCAL_FILES);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.CLIENT_PROTOCOL_41, Capabilities.CLIENT_PROTOCOL_41);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.SSL, Capabilities.CLIENT_SSL);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.TRANSACTIONS, Capabilities.CLIENT_TRANSACTIONS);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.SECURE_CONNECTION, Capabilities.CLIENT_SECURE_CONNECTION);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.MULTI_STATEMENTS, Capabilities.CLIENT_MULTI_STATEMENTS);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.MULTI_RESULTS, Capabilities.CLIENT_MULTI_RESULTS);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.PS_MULTI_RESULTS, Capabilities.CLIENT_PS_MULTI_RESULTS);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.PLUGIN_AUTH, Capabilities.CLIENT_PLUGIN_AUTH);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.CONNECT_ATTRS, Capabilities.CLIENT_CONNECT_ATTRS);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA,
                Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.CLIENT_SESSION_TRACK, Capabilities.CLIENT_SESSION_TRACK);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.CLIENT_DEPRECATE_EOF, Capabilities.CLIENT_DEPRECATE_EOF);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.PROGRESS, Capabilities.MARIADB_CLIENT_PROGRESS);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.STMT_BULK_OPERATIONS,
                Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.EXTENDED_METADATA, Capabilities.MARIADB_CLIENT_EXTENDED_METADATA);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.CACHE_METADATA, Capabilities.MARIADB_CLIENT_CACHE_METADATA);
        assertEquals(org.mariadb.jdbc.util.constants.Capabilities.BULK_UNIT_RESULTS, Capabilities.MARIADB_CLIENT_BULK_UNIT_RESULTS);
    }

    @Test
    void serverStatusMatchesConnectorJ() {
        assertEquals(org.mariadb.jdbc.util.constants.ServerStatus.IN_TRANSACTION, ServerStatus.SERVER_STATUS_IN_TRANS);
        assertEquals(org.mariadb.jdbc.util.constants.ServerStatus.AUTOCOMMIT, ServerStatus.SERVER_STATUS_AUTOCOMMIT);
        assertEquals(org.mariadb.jdbc.util.constants.ServerStatus.MORE_RESULTS_EXISTS, ServerStatus.SERVER_MORE_RESULTS_EXISTS);
        assertEquals(org.mariadb.jdbc.util.constants.ServerStatus.CURSOR_EXISTS, ServerStatus.SERVER_STATUS_CURSOR_EXISTS);
        assertEquals(org.mariadb.jdbc.util.constants.ServerStatus.LAST_ROW_SENT, ServerStatus.SERVER_STATUS_LAST_ROW_SENT);
        assertEquals(org.mariadb.jdbc.util.constants.ServerStatus.PS_OUT_PARAMETERS, ServerStatus.SERVER_PS_OUT_PARAMS);
        assertEquals(org.mariadb.jdbc.util.constants.ServerStatus.SERVER_SESSION_STATE_CHANGED,
                ServerStatus.SERVER_SESSION_STATE_CHANGED);
        assertEquals(0x2000, ServerStatus.SERVER_STATUS_IN_TRANS_READONLY);
    }

    @Test
    void helpers() {
        assertTrue(Capabilities.has(Capabilities.CLIENT_SSL | Capabilities.CLIENT_PROTOCOL_41, Capabilities.CLIENT_SSL));
        assertFalse(Capabilities.has(Capabilities.CLIENT_SSL, Capabilities.CLIENT_SSL | Capabilities.CLIENT_PROTOCOL_41));
        assertTrue(ServerStatus.inTransaction(ServerStatus.SERVER_STATUS_IN_TRANS | ServerStatus.SERVER_STATUS_AUTOCOMMIT));
        assertFalse(ServerStatus.inTransaction(ServerStatus.SERVER_STATUS_AUTOCOMMIT));
        assertEquals("utf8mb4_general_ci", Charsets.name(Charsets.UTF8MB4_GENERAL_CI));
        assertEquals("collation 99", Charsets.name(99));
        assertTrue(Charsets.isUtf8(Charsets.UTF8MB4_UNICODE_CI));
        assertTrue(Charsets.isUtf8(Charsets.UTF8_GENERAL_CI));
        assertFalse(Charsets.isUtf8(Charsets.BINARY));
    }
}
