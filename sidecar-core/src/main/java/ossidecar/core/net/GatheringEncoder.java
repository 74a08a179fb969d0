package ossidecar.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

/**
 * An encoder that gathers: the messages written between two flushes are encoded one after the
 * other into one buffer, which goes out at the flush (or once it holds {@link #WRITE_AT}
 * bytes). A relayed AMQP publish is three frames and a small result set a dozen MySQL packets;
 * one buffer and one entry in the channel's outbound queue for all of them costs far less than
 * one of each per message.
 *
 * <p>A message too large to copy is written on its own (by {@link #encodeAlone}), after what
 * was gathered before it; messages of other types pass through in order. One instance per
 * channel: it holds that channel's gathered bytes. The promise of each message completes when
 * the buffer holding it has been written.
 */
public abstract class GatheringEncoder extends ChannelDuplexHandler {
    /** Gathered bytes go out at this size even before the flush, so that a long read batch does not grow one buffer without end. */
    public static final int WRITE_AT = 64 * 1024;
    private static final int INITIAL_CAPACITY = 4096;

    private ByteBuf gathered;
    /** How much the last gathered buffer held: the next starts that large, so that a steady batch is not grown by copying. */
    private int lastSize = INITIAL_CAPACITY;
    /** Promises of the messages in {@link #gathered} that someone listens to (not void ones). */
    private final List<ChannelPromise> promises = new ArrayList<>();

    /** Whether this encoder writes {@code msg}; anything else passes through. */
    protected abstract boolean accepts(Object msg);

    /** Whether {@code msg} (one it accepts) is copied into the gathered buffer (else {@link #encodeAlone}). */
    protected abstract boolean gathers(Object msg);

    /** Appends {@code msg}'s wire form to {@code out}; does not release {@code msg}. */
    protected abstract void encode(Object msg, ByteBuf out);

    /** Adds the buffers that carry {@code msg} uncopied to {@code out}; does not release {@code msg}. */
    protected abstract void encodeAlone(ChannelHandlerContext ctx, Object msg, List<Object> out);

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!accepts(msg)) {
            writeGathered(ctx);
            ctx.write(msg, promise);
            return;
        }
        if (!gathers(msg)) {
            writeGathered(ctx);
            writeAlone(ctx, msg, promise);
            return;
        }
        if (gathered == null) {
            gathered = ctx.alloc().ioBuffer(Math.min(WRITE_AT, Math.max(INITIAL_CAPACITY, lastSize + lastSize / 4)));
        }
        int mark = gathered.writerIndex();
        try {
            encode(msg, gathered);
        } catch (RuntimeException e) {
            gathered.writerIndex(mark); // nothing of the bad message goes out
            promise.tryFailure(e);
            return;
        } finally {
            ReferenceCountUtil.release(msg);
        }
        if (!promise.isVoid()) {
            promises.add(promise);
        }
        if (gathered.readableBytes() >= WRITE_AT) {
            writeGathered(ctx);
        }
    }

    private void writeAlone(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        List<Object> parts = new ArrayList<>(3);
        try {
            encodeAlone(ctx, msg, parts);
        } catch (RuntimeException e) {
            parts.forEach(ReferenceCountUtil::release);
            promise.tryFailure(e);
            return;
        } finally {
            ReferenceCountUtil.release(msg);
        }
        if (parts.isEmpty()) {
            promise.trySuccess();
            return;
        }
        for (int i = 0; i < parts.size() - 1; i++) {
            ctx.write(parts.get(i), ctx.voidPromise());
        }
        ctx.write(parts.get(parts.size() - 1), promise); // in order: the last part done means all are
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writeGathered(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        // written but not flushed: the transport fails it on close, as it would any unflushed write
        writeGathered(ctx);
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (gathered != null) {
            gathered.release();
            gathered = null;
        }
        ClosedChannelException closed = new ClosedChannelException();
        promises.forEach(p -> p.tryFailure(closed));
        promises.clear();
    }

    private void writeGathered(ChannelHandlerContext ctx) {
        if (gathered == null) {
            return;
        }
        ByteBuf out = gathered;
        gathered = null;
        lastSize = out.readableBytes();
        if (promises.isEmpty()) {
            ctx.write(out, ctx.voidPromise());
            return;
        }
        List<ChannelPromise> waiting = new ArrayList<>(promises);
        promises.clear();
        ctx.write(out).addListener(f -> {
            for (ChannelPromise p : waiting) {
                if (f.isSuccess()) {
                    p.trySuccess();
                } else {
                    p.tryFailure(f.cause());
                }
            }
        });
    }
}
