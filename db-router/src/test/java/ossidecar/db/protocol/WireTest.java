package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WireTest {

    @ParameterizedTest
    @CsvSource({
        "0, 00",
        "250, fa",
        "251, fcfb00",
        "65535, fcffff",
        "65536, fd000001",
        "16777215, fdffffff",
        "16777216, fe0000000100000000",
        "9223372036854775807, feffffffffffffff7f",
        "-1, feffffffffffffffff",
    })
    void lengthEncodedIntegerForms(long value, String hex) {
        ByteBuf buf = Bufs.write(b -> Wire.writeLengthEncodedInteger(b, value));
        assertEquals(hex, Bufs.hexOf(buf));
        assertEquals(hex.length() / 2, Wire.lengthEncodedIntegerSize(value));
        assertEquals(value, Wire.getLengthEncodedInteger(buf, 0, "n"));
        assertEquals(0, buf.readerIndex(), "get does not move the reader index");
        assertEquals(value, Wire.readLengthEncodedInteger(buf, "n"));
        assertFalse(buf.isReadable());
    }

    @ParameterizedTest
    @CsvSource({
        "fc01, 'truncated n: needs 3 bytes, has 2'",
        "fd0102, 'truncated n: needs 4 bytes, has 3'",
        "fe01020304050607, 'truncated n: needs 9 bytes, has 8'",
        "ff, 'n: 0xff is not a valid length-encoded integer prefix'",
        "fb, 'n: unexpected NULL (0xfb) where a length-encoded integer is required'",
    })
    void malformedLengthEncodedIntegers(String hex, String message) {
        ByteBuf buf = Bufs.hex(hex);
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> Wire.readLengthEncodedInteger(buf, "n"));
        assertEquals(message, e.getMessage());
        assertEquals(0, buf.readerIndex(), "nothing consumed on failure");
    }

    @Test
    void emptyBufferHasNoLengthEncodedInteger() {
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class,
                () -> Wire.readLengthEncodedInteger(Unpooled.EMPTY_BUFFER, "column count"));
        assertEquals("truncated column count: needs 1 bytes, has 0", e.getMessage());
    }

    @Test
    void nullMarkerInRows() {
        ByteBuf buf = Bufs.hex("fb 03 616263");
        assertTrue(Wire.readNullIfPresent(buf));
        assertFalse(Wire.readNullIfPresent(buf));
        assertEquals("abc", Wire.readLengthEncodedString(buf, "value"));
        assertFalse(Wire.readNullIfPresent(buf));
    }

    @Test
    void lengthEncodedStrings() {
        ByteBuf buf = Bufs.write(b -> {
            Wire.writeLengthEncodedString(b, "");
            Wire.writeLengthEncodedString(b, "déjà");
            Wire.writeLengthEncodedString(b, "x".repeat(300));
            Wire.writeLengthEncodedBytes(b, new byte[] {0, 1, 2});
        });
        assertEquals(0, buf.getByte(0));
        assertEquals(6, buf.getByte(1), "UTF-8 byte length, not character count");
        assertEquals("", Wire.readLengthEncodedString(buf, "s"));
        assertEquals("déjà", Wire.readLengthEncodedString(buf, "s"));
        assertEquals("x".repeat(300), Wire.readLengthEncodedString(buf, "s"));
        assertArrayEquals(new byte[] {0, 1, 2}, Wire.readLengthEncodedBytes(buf, "b"));
        assertFalse(buf.isReadable());
        assertEquals(1 + 6, Wire.lengthEncodedStringSize("déjà"));
        assertEquals(3 + 300, Wire.lengthEncodedStringSize("x".repeat(300)));
    }

    @Test
    void truncatedLengthEncodedString() {
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class,
                () -> Wire.readLengthEncodedString(Bufs.hex("0a 616263"), "info"));
        assertEquals("truncated info: length 10 exceeds the 3 remaining bytes", e.getMessage());
    }

    @Test
    void hugeLengthEncodedStringIsTruncatedNotOverflowed() {
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class,
                () -> Wire.readLengthEncodedBytes(Bufs.hex("feffffffffffffffff 00"), "blob"));
        assertEquals("truncated blob: length 18446744073709551615 exceeds the 1 remaining bytes", e.getMessage());
    }

    @Test
    void nulTerminatedStrings() {
        ByteBuf buf = Bufs.write(b -> {
            Wire.writeNulTerminatedString(b, "root");
            Wire.writeNulTerminatedString(b, "");
            Wire.writeNulTerminatedString(b, "ünïcode");
        });
        assertEquals("root", Wire.readNulTerminatedString(buf, "user"));
        assertEquals("", Wire.readNulTerminatedString(buf, "db"));
        assertEquals("ünïcode", Wire.readNulTerminatedString(buf, "x"));
        assertFalse(buf.isReadable());
    }

    @Test
    void unterminatedString() {
        ByteBuf buf = Bufs.ascii("root");
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> Wire.readNulTerminatedString(buf, "user name"));
        assertEquals("unterminated user name: no NUL byte in the remaining 4 bytes", e.getMessage());
        assertEquals(0, buf.readerIndex());
    }

    @Test
    void nulTerminatedOrRest() {
        ByteBuf buf = Bufs.hex("61 00 62 63");
        assertEquals("a", Wire.readNulTerminatedStringOrRest(buf));
        assertEquals("bc", Wire.readNulTerminatedStringOrRest(buf));
        assertFalse(buf.isReadable());
    }

    @Test
    void nulTerminatedBytes() {
        ByteBuf buf = Bufs.hex("01 02 00 ff");
        assertArrayEquals(new byte[] {1, 2}, Wire.readNulTerminatedBytes(buf, "auth"));
        assertEquals(1, buf.readableBytes());
    }

    @Test
    void refusesToWriteEmbeddedNul() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Wire.writeNulTerminatedString(Unpooled.buffer(), "a\0b"));
        assertEquals("a NUL-terminated string cannot contain NUL: a?b", e.getMessage());
    }

    @Test
    void fixedLengthIntegersAreLittleEndian() {
        ByteBuf buf = Bufs.hex("ff 0102 010203 01020304 0102030405060708");
        assertEquals(255, Wire.readUnsignedByte(buf, "a"));
        assertEquals(0x0201, Wire.readUnsignedShortLE(buf, "b"));
        assertEquals(0x030201, Wire.readUnsignedMediumLE(buf, "c"));
        assertEquals(0x04030201L, Wire.readUnsignedIntLE(buf, "d"));
        assertEquals(0x0807060504030201L, Wire.readLongLE(buf, "e"));
        assertEquals(0xFFFFFFFFL, Wire.readUnsignedIntLE(Bufs.hex("ffffffff"), "u"), "unsigned");
    }

    @Test
    void truncatedFixedLengthIntegers() {
        assertEquals("truncated status flags: needs 2 bytes, has 1",
                assertThrows(MysqlProtocolException.class, () -> Wire.readUnsignedShortLE(Bufs.hex("01"), "status flags")).getMessage());
        assertEquals("truncated connection id: needs 4 bytes, has 3",
                assertThrows(MysqlProtocolException.class, () -> Wire.readUnsignedIntLE(Bufs.hex("010203"), "connection id")).getMessage());
        assertEquals("truncated x: needs 3 bytes, has 0",
                assertThrows(MysqlProtocolException.class, () -> Wire.readUnsignedMediumLE(Unpooled.EMPTY_BUFFER, "x")).getMessage());
        assertEquals("truncated seed: needs 8 bytes, has 2",
                assertThrows(MysqlProtocolException.class, () -> Wire.readBytes(Bufs.hex("0102"), 8, "seed")).getMessage());
        assertEquals("truncated filler: needs 6 bytes, has 2",
                assertThrows(MysqlProtocolException.class, () -> Wire.skipBytes(Bufs.hex("0102"), 6, "filler")).getMessage());
        assertThrows(MysqlProtocolException.class, () -> Wire.readLongLE(Bufs.hex("01"), "l"));
        assertThrows(MysqlProtocolException.class, () -> Wire.readUnsignedByte(Unpooled.EMPTY_BUFFER, "b"));
    }

    @Test
    void getLengthEncodedIntegerChecksBoundsAgainstWriterIndex() {
        ByteBuf buf = Bufs.hex("00 fc 01");
        assertEquals("truncated column count: needs 3 bytes, has 2",
                assertThrows(MysqlProtocolException.class, () -> Wire.getLengthEncodedInteger(buf, 1, "column count")).getMessage());
        assertEquals("truncated column count: needs 1 bytes, has 0",
                assertThrows(MysqlProtocolException.class, () -> Wire.getLengthEncodedInteger(buf, 3, "column count")).getMessage());
    }

    @Test
    void restOfPacket() {
        ByteBuf buf = Bufs.hex("6869 00 01");
        assertEquals("hi\0\1", Wire.readRestAsString(buf));
        assertFalse(buf.isReadable());
        assertArrayEquals(new byte[] {1, 2}, Wire.readRestAsBytes(Bufs.hex("0102")));
    }

    @Test
    void connectAttributesRoundTripInOrder() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("_client_name", "MariaDB Connector/J");
        attributes.put("_pid", "4242");
        attributes.put("program_name", "nova-api");
        ByteBuf buf = Bufs.write(b -> Wire.writeConnectAttributes(b, attributes));
        assertEquals(buf.readableBytes() - 1, buf.getUnsignedByte(0), "total size prefix");
        Map<String, String> read = Wire.readConnectAttributes(buf);
        assertEquals(attributes, read);
        assertEquals(List.copyOf(attributes.keySet()), List.copyOf(read.keySet()));
        assertFalse(buf.isReadable());
    }

    @Test
    void connectAttributeOverrunningItsBlockIsMalformed() {
        // block of 4 bytes, but the value claims 5
        ByteBuf buf = Bufs.hex("04 01 61 05 62 63 64 65 66");
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> Wire.readConnectAttributes(buf));
        assertEquals("truncated connection attribute value: length 5 exceeds the 1 remaining bytes", e.getMessage());
    }
}
