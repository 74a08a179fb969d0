package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShortstrCacheTest {
    private static ByteBuf shortstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeByte(b.length).writeBytes(b);
    }

    @Test
    void aRepeatedStringIsTheSameInstance() {
        String first = WireFormat.readShortstr(shortstr("nova.compute.host-1"), Integer.MAX_VALUE, 501);
        String again = WireFormat.readShortstr(shortstr("nova.compute.host-1"), Integer.MAX_VALUE, 501);
        assertEquals("nova.compute.host-1", first);
        assertSame(first, again, "decoded once");
    }

    @Test
    void differentBytesOfTheSameLengthAreNotConfused() {
        String a = ShortstrCache.decode(shortstr("queue-a"), 1, 7);
        String b = ShortstrCache.decode(shortstr("queue-b"), 1, 7);
        assertEquals("queue-a", a);
        assertEquals("queue-b", b);
        assertEquals("queue-a", ShortstrCache.decode(shortstr("queue-a"), 1, 7));
    }

    @Test
    void aStringThatOnlySharesAPrefixIsAMiss() {
        ShortstrCache.decode(shortstr("reply_abc"), 1, 9);
        assertNull(ShortstrCache.get(shortstr("reply_abd"), 1, 9));
        ByteBuf longer = shortstr("reply_abcd");
        assertNotSame("reply_abc", ShortstrCache.decode(longer, 1, 10));
        assertEquals("reply_abcd", ShortstrCache.decode(longer, 1, 10));
    }

    @Test
    void invalidUtf8IsRefusedEvenWhenAValidStringWasCached() {
        ShortstrCache.decode(shortstr("ok"), 1, 2);
        ByteBuf bad = Unpooled.buffer().writeByte(2).writeByte(0xC3).writeByte(0x28);
        AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> WireFormat.readShortstr(bad, 3, 501));
        assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
    }
}
