package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommandTypeTest {
    @Test
    void codesFromTheManual() {
        assertEquals(0x01, CommandType.COM_QUIT.code());
        assertEquals(0x02, CommandType.COM_INIT_DB.code());
        assertEquals(0x03, CommandType.COM_QUERY.code());
        assertEquals(0x0E, CommandType.COM_PING.code());
        assertEquals(0x11, CommandType.COM_CHANGE_USER.code());
        assertEquals(0x16, CommandType.COM_STMT_PREPARE.code());
        assertEquals(0x17, CommandType.COM_STMT_EXECUTE.code());
        assertEquals(0x19, CommandType.COM_STMT_CLOSE.code());
        assertEquals(0x1B, CommandType.COM_SET_OPTION.code());
        assertEquals(0x1C, CommandType.COM_STMT_FETCH.code());
        assertEquals(0x1F, CommandType.COM_RESET_CONNECTION.code());
        assertEquals(0xFA, CommandType.COM_STMT_BULK_EXECUTE.code());
    }

    @Test
    void lookupByByte() {
        for (CommandType type : CommandType.values()) {
            assertSame(type, CommandType.of((byte) type.code()));
        }
        assertSame(CommandType.COM_STMT_BULK_EXECUTE, CommandType.of((byte) 0xFA));
        assertNull(CommandType.of((byte) 0x20));
        assertNull(CommandType.of((byte) 0xFF));
    }

    @Test
    void commandsWithoutResponse() {
        assertFalse(CommandType.COM_QUIT.expectsResponse());
        assertFalse(CommandType.COM_STMT_CLOSE.expectsResponse());
        assertFalse(CommandType.COM_STMT_SEND_LONG_DATA.expectsResponse());
        assertTrue(CommandType.COM_QUERY.expectsResponse());
        assertTrue(CommandType.COM_STMT_RESET.expectsResponse());
    }
}
