package ossidecar.chaos.toxiproxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * One direction of a proxied connection, Toxiproxy's {@code ToxicLink}: source channel, the
 * toxics of that direction in the order they were added, and a sink writing to the destination.
 * Toxics added, updated or removed while the connection is open are applied here.
 *
 * <p>Backpressure: a chunk counts as in flight from the read of the source until its write to
 * the destination completes or a toxic drops it. The source is read (auto-read is off) only
 * while less than {@link #MAX_IN_FLIGHT} bytes are in flight, so a slow destination or a
 * throttling toxic slows the sender down instead of filling memory.
 *
 * <p>The end of the stream travels through the toxics like data; when it reaches the sink the
 * destination is closed after pending writes (Toxiproxy closes, it never half-closes). Confined
 * to the connection's event loop.
 */
final class Link {
    /** What a link needs from its connection. */
    interface Owner {
        /** The event loop of both channels, where every stage runs and schedules. */
        EventLoop loop();

        /** Closes the whole connection (the stream ended before the destination existed). */
        void abort();
    }

    /** Bytes held between source and destination before reading pauses. */
    static final int MAX_IN_FLIGHT = 512 * 1024;

    private final Owner owner;
    private final Direction direction;
    private final List<ToxicStage> stages = new ArrayList<>();
    private final Sink sink = new Sink();
    private Stage head = sink;
    private Channel source;
    private Channel dest;
    private long inFlight;
    private boolean sourceEnded;
    private boolean disposed;

    Link(Owner owner, Direction direction, List<Toxic> initial) {
        this.owner = owner;
        this.direction = direction;
        for (Toxic t : initial) {
            if (t.stream() == direction) {
                add(t);
            }
        }
    }

    EventLoop loop() {
        return owner.loop();
    }

    Direction direction() {
        return direction;
    }

    void source(Channel channel) {
        this.source = channel;
    }

    void dest(Channel channel) {
        this.dest = channel;
    }

    void add(Toxic toxic) {
        if (disposed || toxic.stream() != direction) {
            return;
        }
        ToxicStage stage = ToxicStage.create(this, toxic);
        stage.next = sink;
        if (stages.isEmpty()) {
            head = stage;
        } else {
            stages.get(stages.size() - 1).next = stage;
        }
        stages.add(stage);
        stage.begin();
    }

    void update(Toxic toxic) {
        int i = indexOf(toxic.name());
        if (!disposed && i >= 0) {
            stages.get(i).update(toxic);
        }
    }

    /** Held data moves on to the next stage first, then the stage leaves the chain. */
    void remove(Toxic toxic) {
        int i = indexOf(toxic.name());
        if (disposed || i < 0) {
            return;
        }
        ToxicStage stage = stages.get(i);
        stage.remove();
        if (i == 0) {
            head = stage.next;
        } else {
            stages.get(i - 1).next = stage.next;
        }
        stages.remove(i);
        stage.dispose();
    }

    private int indexOf(String name) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    void sourceData(ByteBuf buf) {
        if (disposed) {
            buf.release();
            return;
        }
        inFlight += buf.readableBytes();
        head.data(buf);
    }

    void sourceEnded() {
        if (sourceEnded || disposed) {
            return;
        }
        sourceEnded = true;
        head.end();
    }

    /** A toxic drops these bytes: they leave the in-flight count. */
    void drop(ByteBuf buf) {
        int n = buf.readableBytes();
        buf.release();
        released(n);
    }

    private void released(int n) {
        inFlight -= n;
        maybeRead();
    }

    /** Asks the source for one more chunk when both ends are open and the limit allows. */
    void maybeRead() {
        if (!disposed && !sourceEnded && !sink.ended && source != null && dest != null && source.isActive()
                && inFlight < MAX_IN_FLIGHT) {
            source.read();
        }
    }

    boolean ended() {
        return sink.ended;
    }

    /** The connection is fully closed: stop timers and release whatever toxics still hold. */
    void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        for (ToxicStage s : stages) {
            s.dispose();
        }
    }

    /** Writes to the destination; closes it when the stream ends. */
    private final class Sink extends Stage {
        boolean ended;

        @Override
        void data(ByteBuf buf) {
            int n = buf.readableBytes();
            if (ended || dest == null) {
                buf.release();
                released(n);
                return;
            }
            dest.writeAndFlush(buf).addListener(f -> released(n));
        }

        @Override
        void end() {
            if (ended) {
                return;
            }
            ended = true;
            if (dest != null) {
                dest.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            } else {
                owner.abort();
            }
        }
    }
}
