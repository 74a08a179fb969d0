package ossidecar.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A link's chain on {@link EmbeddedChannel}s, without sockets or timers firing: what happens to
 * held data, counts and the stream's end when toxics change on a live connection.
 */
class LinkTest {
    private EmbeddedChannel source;
    private EmbeddedChannel dest;
    private boolean aborted;

    @BeforeEach
    void setUp() {
        source = new EmbeddedChannel();
        dest = new EmbeddedChannel();
    }

    @AfterEach
    void tearDown() {
        source.finishAndReleaseAll();
        dest.finishAndReleaseAll();
    }

    private Link link(Toxic... toxics) {
        Link link = new Link(new Link.Owner() {
            @Override
            public EventLoop loop() {
                return dest.eventLoop();
            }

            @Override
            public void abort() {
                aborted = true;
            }
        }, Direction.DOWNSTREAM, List.of(toxics));
        link.source(source);
        link.dest(dest);
        return link;
    }

    private static Toxic toxic(String name, ToxicType type, float toxicity, Map<String, Long> attrs) {
        return Toxic.of(name, type, Direction.DOWNSTREAM, toxicity, attrs);
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    /** Everything written to the destination so far, as one string. */
    private String written() {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = dest.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void passesDataAndClosesTheDestinationAtTheEnd() {
        Link link = link();
        link.sourceData(bytes("abc"));
        assertEquals("abc", written());
        link.sourceEnded();
        dest.runPendingTasks();
        assertFalse(dest.isOpen());
        assertTrue(link.ended());
    }

    @Test
    void removingALatencyToxicPassesHeldChunksOnInOrder() {
        Link link = link(toxic("lat", ToxicType.LATENCY, 1f, Map.of("latency", 60_000L)));
        link.sourceData(bytes("a"));
        link.sourceData(bytes("b"));
        assertEquals("", written());
        link.remove(toxic("lat", ToxicType.LATENCY, 1f, Map.of()));
        assertEquals("ab", written());
        link.sourceData(bytes("c"));
        assertEquals("c", written());
    }

    @Test
    void toxicsAddedLaterGoLastInTheChain() {
        Link link = link(toxic("lat", ToxicType.LATENCY, 1f, Map.of("latency", 60_000L)));
        link.sourceData(bytes("held"));
        link.add(toxic("cut", ToxicType.TIMEOUT, 1f, Map.of()));
        // The held chunk now flows into the timeout toxic behind the latency, which drops it.
        link.remove(toxic("lat", ToxicType.LATENCY, 1f, Map.of()));
        assertEquals("", written());
        assertTrue(dest.isOpen());
    }

    @Test
    void removingATimeoutToxicClosesTheConnection() {
        Link link = link(toxic("cut", ToxicType.TIMEOUT, 1f, Map.of("timeout", 0L)));
        link.sourceData(bytes("dropped"));
        assertEquals("", written());
        assertTrue(dest.isOpen());
        link.remove(toxic("cut", ToxicType.TIMEOUT, 1f, Map.of()));
        dest.runPendingTasks();
        assertFalse(dest.isOpen());
        link.sourceData(bytes("late"));
        assertEquals("", written());
    }

    @Test
    void toxicityZeroPassesEverything() {
        Link link = link(toxic("cut", ToxicType.TIMEOUT, 0f, Map.of()));
        link.sourceData(bytes("through"));
        assertEquals("through", written());
        link.remove(toxic("cut", ToxicType.TIMEOUT, 0f, Map.of()));
        dest.runPendingTasks();
        assertTrue(dest.isOpen(), "a timeout toxic that never applied closes nothing");
    }

    @Test
    void limitDataKeepsItsCountAcrossUpdates() {
        Link link = link(toxic("limit", ToxicType.LIMIT_DATA, 1f, Map.of("bytes", 10L)));
        link.sourceData(bytes("123456"));
        assertEquals("123456", written());
        link.update(toxic("limit", ToxicType.LIMIT_DATA, 1f, Map.of("bytes", 8L)));
        link.sourceData(bytes("789012"));
        assertEquals("78", written());
        dest.runPendingTasks();
        assertFalse(dest.isOpen());
    }

    @Test
    void slicerWithoutDelayWritesEverySliceAtOnce() {
        Link link = link(toxic("slice", ToxicType.SLICER, 1f, Map.of("average_size", 100L)));
        link.sourceData(Unpooled.wrappedBuffer(new byte[1000]));
        int writes = 0;
        int total = 0;
        ByteBuf b;
        while ((b = dest.readOutbound()) != null) {
            writes++;
            total += b.readableBytes();
            b.release();
        }
        assertEquals(16, writes);
        assertEquals(1000, total);
    }

    @Test
    void anEndBeforeTheDestinationExistsAbortsTheConnection() {
        Link link = new Link(new Link.Owner() {
            @Override
            public EventLoop loop() {
                return dest.eventLoop();
            }

            @Override
            public void abort() {
                aborted = true;
            }
        }, Direction.UPSTREAM, List.of());
        link.sourceEnded();
        assertTrue(aborted);
        assertNull(dest.readOutbound());
    }
}
