package ossidecar.amqp.proxy;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts the raw bytes a socket reads and writes, below the codec. */
@ChannelHandler.Sharable
final class ByteCounter extends ChannelDuplexHandler {
    private final Counter read;
    private final Counter written;

    ByteCounter(Counter read, Counter written) {
        this.read = read;
        this.written = written;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            read.increment(b.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            written.increment(b.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
