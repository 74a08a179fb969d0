package ossidecar.chaos.toxiproxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of a proxy and its upstream connection, relayed by two {@link Link}s.
 * Follows Netty's proxy example: auto-read off on both channels, the upstream channel on the
 * client's event loop, and nothing read from the client until upstream is connected. If the
 * upstream cannot be reached the client is closed, as Toxiproxy does.
 *
 * <p>Both channels allow half-closure, so that a peer's end of stream is an event, not a close:
 * it ends that peer's link, whose toxics then decide when the other side is closed. As in
 * Toxiproxy ({@code link.go}: the writer closes its destination when its stream ends), a client
 * that half-closes gets its upstream closed after the upstream toxics, and then its own end of
 * stream after the downstream toxics (a downstream {@code slow_close} delays it).
 */
final class ProxyConnection implements ToxicChain.Listener, Link.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyConnection.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final ProxyListener proxy;
    private final Channel client;
    private final EventLoop loop;
    private Channel upstream;
    private Link up;
    private Link down;
    private boolean connectDone;
    private boolean disposed;

    ProxyConnection(ProxyListener proxy, Channel client) {
        this.proxy = proxy;
        this.client = client;
        this.loop = client.eventLoop();
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void abort() {
        closeChannels();
    }

    /** The handler for the accepted client channel. */
    ChannelInboundHandlerAdapter clientHandler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                open();
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                up.sourceData((ByteBuf) msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                up.maybeRead();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                // The client half-closed: its stream ends here, the channel stays open for what
                // comes back, until the downstream link closes it.
                if (evt instanceof ChannelInputShutdownEvent && up != null) {
                    up.sourceEnded();
                }
                ctx.fireUserEventTriggered(evt);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (up != null) {
                    up.sourceEnded();
                }
                checkClosed();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                LOG.debug("toxiproxy: proxy {} client {} failed: {}", proxy.name(), client.remoteAddress(),
                        cause.toString());
                ctx.close();
            }
        };
    }

    private void open() {
        List<Toxic> initial = proxy.register(this);
        if (initial == null) {
            client.close();
            connectDone = true;
            return;
        }
        up = new Link(this, Direction.UPSTREAM, initial);
        down = new Link(this, Direction.DOWNSTREAM, initial);
        up.source(client);
        down.dest(client);
        // Toxiproxy sets SO_LINGER 0 on both sockets of a link that starts with a reset_peer
        // toxic in its chain, so that the toxic's close becomes a RST.
        boolean linger = initial.stream().anyMatch(t -> t.type() == ToxicType.RESET_PEER);
        if (linger) {
            client.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        InetSocketAddress target = proxy.upstreamAddress();
        if (target == null) {
            LOG.debug("toxiproxy: proxy {} has no usable upstream {}", proxy.name(), proxy.upstream());
            connectDone = true;
            client.close();
            return;
        }
        new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(upstreamHandler())
                .connect(target)
                .addListener(f -> connected((ChannelFuture) f, linger));
    }

    private void connected(ChannelFuture f, boolean linger) {
        connectDone = true;
        if (!f.isSuccess()) {
            LOG.debug("toxiproxy: proxy {} cannot reach {}: {}", proxy.name(), proxy.upstream(),
                    f.cause().toString());
            client.close();
            checkClosed();
            return;
        }
        upstream = f.channel();
        if (linger) {
            upstream.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        up.dest(upstream);
        down.source(upstream);
        if (!client.isActive()) {
            upstream.close();
            return;
        }
        up.maybeRead();
        down.maybeRead();
    }

    private ChannelInboundHandlerAdapter upstreamHandler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                down.sourceData((ByteBuf) msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                down.maybeRead();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                    down.sourceEnded();
                }
                ctx.fireUserEventTriggered(evt);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                down.sourceEnded();
                checkClosed();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                LOG.debug("toxiproxy: proxy {} upstream {} failed: {}", proxy.name(), proxy.upstream(),
                        cause.toString());
                ctx.close();
            }
        };
    }

    /** Once both channels are closed nothing can move any more: free the links. */
    private void checkClosed() {
        if (disposed || client.isActive() || !connectDone || (upstream != null && upstream.isActive())) {
            return;
        }
        disposed = true;
        if (up != null) {
            up.dispose();
            down.dispose();
        }
        proxy.unregister(this);
    }

    /** Closes both channels now (proxy disabled or deleted); thread-safe. */
    List<ChannelFuture> closeChannels() {
        List<ChannelFuture> closing = new ArrayList<>(2);
        closing.add(client.close());
        Channel u = upstream;
        if (u != null) {
            closing.add(u.close());
        }
        return closing;
    }

    private Link link(Direction d) {
        return d == Direction.UPSTREAM ? up : down;
    }

    @Override
    public void toxicAdded(Toxic toxic) {
        loop.execute(() -> link(toxic.stream()).add(toxic));
    }

    @Override
    public void toxicUpdated(Toxic toxic) {
        loop.execute(() -> link(toxic.stream()).update(toxic));
    }

    @Override
    public void toxicRemoved(Toxic toxic) {
        loop.execute(() -> link(toxic.stream()).remove(toxic));
    }
}
