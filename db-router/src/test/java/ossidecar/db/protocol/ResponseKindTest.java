package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ResponseKindTest {
    private static final long CAPS = Capabilities.CLIENT_PROTOCOL_41;
    private static final long DEPRECATE = CAPS | Capabilities.CLIENT_DEPRECATE_EOF;
    private static final int MAX = MysqlPacket.MAX_FRAGMENT_LENGTH;

    @Test
    void firstPacketKinds() {
        assertEquals(ResponseKind.OK, ResponseKind.of(0x00, 7, CAPS));
        assertEquals(ResponseKind.ERR, ResponseKind.of(0xFF, 20, CAPS));
        assertEquals(ResponseKind.LOCAL_INFILE, ResponseKind.of(0xFB, 10, CAPS));
        assertEquals(ResponseKind.EOF, ResponseKind.of(0xFE, 5, CAPS));
        assertEquals(ResponseKind.RESULT_SET_HEADER, ResponseKind.of(0x02, 1, CAPS));
        assertEquals(ResponseKind.RESULT_SET_HEADER, ResponseKind.of(0xFC, 3, CAPS), "column count >= 251");
        assertEquals(ResponseKind.OK, ResponseKind.of((byte) 0x00, 7, CAPS), "sign-extended bytes are fine");
        assertEquals(ResponseKind.ERR, ResponseKind.of((byte) 0xFF, 7, CAPS));
    }

    @Test
    void feIsEofOnlyBelowNineBytesWithoutDeprecateEof() {
        assertEquals(ResponseKind.EOF, ResponseKind.of(0xFE, 8, CAPS));
        assertEquals(ResponseKind.RESULT_SET_HEADER, ResponseKind.of(0xFE, 9, CAPS));
        assertEquals(ResponseKind.EOF, ResponseKind.ofRow(0xFE, 5, CAPS));
        assertEquals(ResponseKind.ROW, ResponseKind.ofRow(0xFE, 9, CAPS), "a text row starting with an 8-byte length");
    }

    @Test
    void feIsOkBelowMaxFragmentWithDeprecateEof() {
        assertEquals(ResponseKind.OK, ResponseKind.of(0xFE, 7, DEPRECATE));
        assertEquals(ResponseKind.OK, ResponseKind.ofRow(0xFE, 100, DEPRECATE), "an OK with info and session state");
        assertEquals(ResponseKind.OK, ResponseKind.ofRow(0xFE, MAX - 1, DEPRECATE));
        assertEquals(ResponseKind.ROW, ResponseKind.ofRow(0xFE, MAX, DEPRECATE));
        assertEquals(ResponseKind.ROW, ResponseKind.ofRow(0xFE, MAX + 100, DEPRECATE));
    }

    @Test
    void rowKinds() {
        assertEquals(ResponseKind.ROW, ResponseKind.ofRow(0x00, 10, CAPS), "binary row header or empty string");
        assertEquals(ResponseKind.ROW, ResponseKind.ofRow(0xFB, 1, CAPS), "NULL first value");
        assertEquals(ResponseKind.ROW, ResponseKind.ofRow(0x03, 30, CAPS), "column definition ('def')");
        assertEquals(ResponseKind.ERR, ResponseKind.ofRow(0xFF, 30, CAPS));
    }

    @Test
    void fromPayload() {
        assertEquals(ResponseKind.OK, ResponseKind.of(Bufs.hex("00 00 00 0200 0000"), CAPS));
        assertEquals(ResponseKind.EOF, ResponseKind.ofRow(Bufs.hex("fe 0000 0200"), CAPS));
        assertEquals("empty packet where a response packet was expected",
                assertThrows(MysqlProtocolException.class, () -> ResponseKind.of(Unpooled.EMPTY_BUFFER, CAPS)).getMessage());
    }
}
