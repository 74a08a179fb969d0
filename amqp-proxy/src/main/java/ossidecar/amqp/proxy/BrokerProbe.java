package ossidecar.amqp.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ossidecar.amqp.codec.ProtocolHeader;
import ossidecar.core.config.Endpoint;
import ossidecar.core.net.NettyTransport;

/**
 * One probe of a broker: TCP connect, send the AMQP 0-9-1 protocol header, wait for the first
 * bytes of the broker's connection.start, close. The probe never logs in, so it needs no
 * credentials and leaves no session behind. Everything runs on the given event loop and never
 * blocks it; the whole probe (connect and answer) is bounded by {@code timeout}.
 */
final class BrokerProbe {
    private BrokerProbe() {
    }

    /** Succeeds with how long the broker took to answer; fails with why it did not. */
    static Future<Duration> probe(EventLoop loop, Endpoint broker, Duration timeout) {
        Promise<Duration> result = loop.newPromise();
        long started = System.nanoTime();
        new Bootstrap()
                .group(loop)
                .channel(NettyTransport.socketChannel(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new Answer(result, started, timeout))
                .connect(broker.host(), broker.port())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        result.tryFailure(f.cause());
                    }
                });
        return result;
    }

    /** Collects the first {@link ConnectionStartCheck#LENGTH} bytes, judges them, closes. */
    private static final class Answer extends ChannelInboundHandlerAdapter {
        private final Promise<Duration> result;
        private final long started;
        private final Duration timeout;
        private final byte[] got = new byte[ConnectionStartCheck.LENGTH];
        private int have;
        private ScheduledFuture<?> deadline;

        Answer(Promise<Duration> result, long started, Duration timeout) {
            this.result = result;
            this.started = started;
            this.timeout = timeout;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            long left = timeout.toNanos() - (System.nanoTime() - started);
            deadline = ctx.executor().schedule(() -> finish(ctx, new TimeoutException(
                    "no connection.start within " + timeout.toMillis() + " ms")), Math.max(0, left), TimeUnit.NANOSECONDS);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(ProtocolHeader.bytes()));
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                int n = Math.min(in.readableBytes(), got.length - have);
                in.readBytes(got, have, n);
                have += n;
            } finally {
                in.release();
            }
            if (have == got.length) {
                String problem = ConnectionStartCheck.problem(got, have);
                finish(ctx, problem == null ? null : new IOException("not a connection.start: " + problem));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            finish(ctx, new IOException("the broker closed the connection: "
                    + ConnectionStartCheck.problem(got, have)));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            finish(ctx, cause);
        }

        /** The first outcome wins; the socket is closed either way. */
        private void finish(ChannelHandlerContext ctx, Throwable failure) {
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (failure == null) {
                result.trySuccess(Duration.ofNanos(System.nanoTime() - started));
            } else {
                result.tryFailure(failure);
            }
            ctx.close();
        }
    }
}
