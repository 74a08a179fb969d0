package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void unsignedChecksItsRangeAndKeepsItsTag() {
        assertEquals(255, Unsigned.u8(255).intValue());
        assertEquals(65535, Unsigned.u16(65535).intValue());
        assertEquals(0xFFFF_FFFFL, Unsigned.u32(0xFFFF_FFFFL).longValue());
        assertEquals("unsigned 8-bit value: 256 (expected: 0..255)",
                assertThrows(IllegalArgumentException.class, () -> Unsigned.u8(256)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Unsigned.u16(-1));
        assertThrows(IllegalArgumentException.class, () -> Unsigned.u32(1L << 32));
        assertNotEquals(Unsigned.u8(1), Unsigned.u16(1), "same number, other wire type");
        assertEquals(Unsigned.u32(5), Unsigned.u32(5));
        assertEquals(Unsigned.u32(5).hashCode(), Unsigned.u32(5).hashCode());
    }

    @Test
    void longStringIsImmutableBytesWithTextToString() {
        byte[] b = {'h', 'i'};
        LongString s = LongString.of(b);
        b[0] = 'x';
        assertEquals("hi", s.toString());
        s.bytes()[0] = 'x';
        assertEquals("hi", s.toString());
        assertEquals(LongString.of("hi"), s);
        assertEquals(LongString.of("hi").hashCode(), s.hashCode());
        assertEquals(2, s.length());
    }

    @Test
    void byteArrayShowsHexAndIsNotALongString() {
        ByteArray a = ByteArray.of(new byte[] {0x0a, (byte) 0xff});
        assertEquals("x[2]0aff", a.toString());
        assertArrayEquals(new byte[] {0x0a, (byte) 0xff}, a.bytes());
        assertNotEquals(a, LongString.of(new byte[] {0x0a, (byte) 0xff}));
        assertEquals("x[40]" + "00".repeat(32) + "...", ByteArray.of(new byte[40]).toString());
    }
}
