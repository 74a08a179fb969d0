package ossidecar.amqp.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import ossidecar.amqp.codec.BasicProperties;
import ossidecar.amqp.codec.ContentBodyFrame;
import ossidecar.amqp.codec.ContentHeaderFrame;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodFrame;
import ossidecar.amqp.codec.MethodType;

class HeldMemoryTest {
    private final PooledByteBufAllocator alloc = new PooledByteBufAllocator(false);

    /** A 64 KiB read buffer with a small message in it, as the frame decoder slices it. */
    private ByteBuf readBuffer() {
        ByteBuf read = alloc.buffer(65536, 65536);
        read.writeZero(1000);
        read.writeBytes("small message".getBytes(StandardCharsets.UTF_8));
        read.writeZero(2000);
        return read;
    }

    @Test
    void aSliceCountsAsTheWholeBufferItPins() {
        ByteBuf read = readBuffer();
        ContentBodyFrame body = new ContentBodyFrame(1, read.retainedSlice(1000, 13));
        assertEquals(65536, HeldMemory.of(body));
        body.release();
        read.release();
    }

    @Test
    void aKeptMessageIsCompactedAndNoLongerPinsTheReadBuffer() {
        ByteBuf read = readBuffer();
        ContentAssembly kept = new ContentAssembly(new MethodFrame(1, Method.of(MethodType.BASIC_PUBLISH,
                "routing-key", "q")));
        kept.add(ContentHeaderFrame.of(1, 13, BasicProperties.EMPTY, alloc));
        kept.add(new ContentBodyFrame(1, read.retainedSlice(1000, 13)));
        assertTrue(kept.bytes() >= 65536, "before: the read buffer counts " + kept.bytes());
        read.release(); // the decoder is done with it: only the kept slice holds it now
        assertEquals(1, read.refCnt(), "pinned by the kept slice");
        kept.compact();
        assertEquals(0, read.refCnt(), "the read buffer is free once the message has its own copy");
        assertTrue(kept.bytes() < 200, "after: " + kept.bytes() + " bytes");
        kept.release();
    }

    @Test
    void aSliceFillingMostOfItsBufferIsKeptAsItIs() {
        ByteBuf read = alloc.buffer(4096, 4096);
        read.writeZero(4000);
        ByteBuf slice = read.retainedSlice(0, 3000);
        assertTrue(HeldMemory.compactedIfWasteful(slice) == slice, "no copy when the waste is small");
        slice.release();
        read.release();
    }

    @Test
    void aHeldMethodCountsByItsSizeNotAsAFlatFigure() {
        long small = HeldMemory.of(new MethodFrame(1, Method.of(MethodType.BASIC_ACK, "delivery-tag", 1L)));
        long large = HeldMemory.of(new MethodFrame(1, Method.of(MethodType.BASIC_PUBLISH,
                "routing-key", "k".repeat(255), "exchange", "x".repeat(255))));
        assertTrue(large > small + 1000, "a long routing key and exchange count: " + small + " vs " + large);
    }
}
