package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** OK, ERR and EOF packets. */
class ResultPacketsTest {
    private static final long CAPS = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS;
    private static final long TRACKING = CAPS | Capabilities.CLIENT_SESSION_TRACK;

    @Test
    void decodesMinimalOk() {
        ByteBuf buf = Bufs.hex("00 00 00 0200 0000");
        OkPacket ok = OkPacket.decode(buf, CAPS);
        assertFalse(buf.isReadable());
        assertEquals(0, ok.affectedRows());
        assertEquals(0, ok.lastInsertId());
        assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, ok.statusFlags());
        assertEquals(0, ok.warnings());
        assertEquals("", ok.info());
    }

    @Test
    void decodesOkWithInfo() {
        // UPDATE ... as MariaDB answers it: "Rows matched: 1  Changed: 1  Warnings: 0"
        String info = "Rows matched: 1  Changed: 1  Warnings: 0";
        ByteBuf buf = Bufs.write(b -> {
            b.writeBytes(Bufs.hex("00 01 00 0300 0000"));
            Wire.writeLengthEncodedString(b, info);
        });
        OkPacket ok = OkPacket.decode(buf, CAPS);
        assertEquals(1, ok.affectedRows());
        assertEquals(ServerStatus.SERVER_STATUS_IN_TRANS | ServerStatus.SERVER_STATUS_AUTOCOMMIT, ok.statusFlags());
        assertEquals(info, ok.info());
    }

    @Test
    void roundTripsOkWithLargeValues() {
        OkPacket ok = new OkPacket(70_000, 1L << 40, ServerStatus.SERVER_MORE_RESULTS_EXISTS, 3);
        ByteBuf buf = Bufs.write(b -> ok.encode(b, CAPS));
        assertEquals("00" + "fd701101" + "fe0000000000010000" + "0800" + "0300", Bufs.hexOf(buf));
        OkPacket decoded = OkPacket.decode(buf, CAPS);
        assertEquals(ok.affectedRows(), decoded.affectedRows());
        assertEquals(ok.lastInsertId(), decoded.lastInsertId());
        assertEquals(ok.statusFlags(), decoded.statusFlags());
        assertEquals(ok.warnings(), decoded.warnings());
    }

    @Test
    void roundTripsOkWithSessionState() {
        byte[] state = {0x00, 0x0a, 0x0a, 'a', 'u', 't', 'o', 'c', 'o', 'm', 'm', 'i', 't', 0x00};
        int status = ServerStatus.SERVER_STATUS_AUTOCOMMIT | ServerStatus.SERVER_SESSION_STATE_CHANGED;
        OkPacket ok = new OkPacket(0, 0, status, 0, "", state);
        ByteBuf buf = Bufs.write(b -> ok.encode(b, TRACKING));
        OkPacket decoded = OkPacket.decode(buf, TRACKING);
        assertFalse(buf.isReadable());
        assertEquals("", decoded.info());
        assertArrayEquals(state, decoded.sessionStateInfo());
        assertEquals(status, OkPacket.peekStatusFlags(Bufs.write(b -> ok.encode(b, TRACKING)), TRACKING));
    }

    @Test
    void okAsResultSetEndHasFeHeader() {
        OkPacket ok = new OkPacket(0, 0, ServerStatus.SERVER_STATUS_IN_TRANS, 1);
        ByteBuf buf = Bufs.write(b -> ok.encodeAsResultSetEnd(b, CAPS));
        assertEquals("fe00000100" + "0100", Bufs.hexOf(buf));
        assertEquals(ServerStatus.SERVER_STATUS_IN_TRANS, OkPacket.decode(buf, CAPS).statusFlags());
    }

    @Test
    void okPeekLeavesReaderIndex() {
        ByteBuf buf = Bufs.hex("00 fc0001 fd000001 2100 0000");
        assertEquals(0x21, OkPacket.peekStatusFlags(buf, CAPS));
        assertEquals(0, buf.readerIndex());
    }

    @Test
    void truncatedOkIsMalformed() {
        assertEquals("truncated OK packet status flags: needs 2 bytes, has 1",
                assertThrows(MysqlProtocolException.class, () -> OkPacket.decode(Bufs.hex("00 00 00 02"), CAPS)).getMessage());
        assertEquals("truncated OK packet status flags: packet of 4 bytes",
                assertThrows(MysqlProtocolException.class, () -> OkPacket.peekStatusFlags(Bufs.hex("00 00 00 02"), CAPS)).getMessage());
        assertEquals("truncated OK packet: packet of 2 bytes",
                assertThrows(MysqlProtocolException.class, () -> OkPacket.peekStatusFlags(Bufs.hex("00 00"), CAPS)).getMessage());
        assertEquals("truncated OK packet affected rows: needs 3 bytes, has 2",
                assertThrows(MysqlProtocolException.class, () -> OkPacket.decode(Bufs.hex("00 fc01"), CAPS)).getMessage());
        assertEquals("OK packet header: 0x1 (expected: 0x00 or 0xfe)",
                assertThrows(MysqlProtocolException.class, () -> OkPacket.decode(Bufs.hex("01 00 00"), CAPS)).getMessage());
    }

    @Test
    void decodesErrWithSqlState() {
        String message = "Access denied for user 'nova'@'10.0.0.5' (using password: YES)";
        ByteBuf buf = Bufs.write(b -> {
            b.writeBytes(Bufs.hex("ff 1504 23 3238303030"));
            b.writeCharSequence(message, StandardCharsets.UTF_8);
        });
        ErrPacket err = ErrPacket.decode(buf);
        assertEquals(1045, err.errorCode());
        assertEquals("28000", err.sqlState());
        assertEquals(message, err.message());
        MysqlServerException e = err.toException();
        assertEquals(1045, e.errorCode());
        assertEquals("28000", e.sqlState());
        assertEquals("ERROR 1045 (28000): " + message, e.getMessage());
    }

    @Test
    void roundTripsErr() {
        ErrPacket err = ErrorCodes.ER_LOCK_DEADLOCK.packet("Deadlock found when trying to get lock; try restarting transaction");
        ByteBuf buf = Bufs.write(b -> err.encode(b, CAPS));
        assertEquals("ff bd04 23 3430303031".replace(" ", ""), Bufs.hexOf(buf.slice(0, 9)));
        assertEquals(1213, ErrPacket.peekErrorCode(buf));
        assertEquals(err, ErrPacket.decode(buf));
    }

    @Test
    void errWithoutProtocol41HasNoSqlState() {
        ErrPacket err = ErrorCodes.ER_HANDSHAKE_ERROR.packet("Bad handshake");
        ByteBuf buf = Bufs.write(b -> err.encode(b, 0));
        ErrPacket decoded = ErrPacket.decode(buf);
        assertEquals("HY000", decoded.sqlState());
        assertEquals("Bad handshake", decoded.message());
    }

    @Test
    void progressReportIsRecognized() {
        assertTrue(ErrPacket.decode(Bufs.hex("ff ffff 01 01 00")).isProgressReport());
        assertFalse(ErrorCodes.ER_UNKNOWN_ERROR.packet("x").isProgressReport());
    }

    @Test
    void malformedErr() {
        assertEquals("truncated ERR packet error code: needs 2 bytes, has 1",
                assertThrows(MysqlProtocolException.class, () -> ErrPacket.decode(Bufs.hex("ff 15"))).getMessage());
        assertEquals("truncated ERR packet SQLSTATE: needs 5 bytes, has 2",
                assertThrows(MysqlProtocolException.class, () -> ErrPacket.decode(Bufs.hex("ff 1504 23 3238"))).getMessage());
        assertEquals("ERR packet header: 0x0 (expected: 0xff)",
                assertThrows(MysqlProtocolException.class, () -> ErrPacket.decode(Bufs.hex("00 1504"))).getMessage());
        assertEquals("truncated ERR packet: 2 bytes (expected: >= 3)",
                assertThrows(MysqlProtocolException.class, () -> ErrPacket.peekErrorCode(Bufs.hex("ff 15"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ErrPacket(1045, "2800", "x"));
    }

    @Test
    void roundTripsEof() {
        EofPacket eof = new EofPacket(2, ServerStatus.SERVER_STATUS_AUTOCOMMIT | ServerStatus.SERVER_MORE_RESULTS_EXISTS);
        ByteBuf buf = Bufs.write(eof::encode);
        assertEquals("fe" + "0200" + "0a00", Bufs.hexOf(buf));
        assertEquals(0x0a, EofPacket.peekStatusFlags(buf));
        assertEquals(eof, EofPacket.decode(buf));
    }

    @Test
    void malformedEof() {
        assertEquals("EOF packet length: 9 (expected: < 9)",
                assertThrows(MysqlProtocolException.class, () -> EofPacket.decode(Bufs.hex("fe 0000 0000 00000000"))).getMessage());
        assertEquals("truncated EOF packet status flags: needs 2 bytes, has 0",
                assertThrows(MysqlProtocolException.class, () -> EofPacket.decode(Bufs.hex("fe 0000"))).getMessage());
        assertEquals("EOF packet header: 0x0 (expected: 0xfe)",
                assertThrows(MysqlProtocolException.class, () -> EofPacket.decode(Bufs.hex("00 0000 0000"))).getMessage());
        assertEquals("truncated EOF packet: 3 bytes (expected: 5)",
                assertThrows(MysqlProtocolException.class, () -> EofPacket.peekStatusFlags(Bufs.hex("fe 0000"))).getMessage());
    }

    @Test
    void errorCodesCarrySqlStates() {
        assertEquals(1045, ErrorCodes.ER_ACCESS_DENIED_ERROR.code());
        assertEquals("28000", ErrorCodes.ER_ACCESS_DENIED_ERROR.sqlState());
        assertEquals("08S01", ErrorCodes.ER_UNKNOWN_COM_ERROR.sqlState());
        assertEquals("08S01", ErrorCodes.ER_HANDSHAKE_ERROR.sqlState());
        assertEquals("40001", ErrorCodes.ER_LOCK_DEADLOCK.sqlState());
        assertEquals("08004", ErrorCodes.ER_CON_COUNT_ERROR.sqlState());
        assertEquals("70100", ErrorCodes.ER_CONNECTION_KILLED.sqlState());
        assertEquals(1053, ErrorCodes.ER_SERVER_SHUTDOWN.code());
        for (ErrorCodes code : ErrorCodes.values()) {
            assertEquals(5, code.sqlState().length(), code.name());
        }
    }
}
