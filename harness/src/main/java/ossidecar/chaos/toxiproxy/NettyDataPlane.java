package ossidecar.chaos.toxiproxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.util.Locale;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds proxies on Netty. Called from the API's control thread, which may wait for the bind. */
final class NettyDataPlane implements DataPlane {
    private static final Logger LOG = LoggerFactory.getLogger(NettyDataPlane.class);
    private static final long BIND_TIMEOUT_SECONDS = 10;

    private final EventLoopGroup group;

    NettyDataPlane(EventLoopGroup group) {
        this.group = group;
    }

    @Override
    public Bound bind(String proxyName, String listen, String upstream, ToxicChain toxics) throws Exception {
        InetSocketAddress listenAddress = HostPort.resolve(listen);
        InetSocketAddress upstreamAddress = null;
        try {
            // Resolved here, off the event loops; Toxiproxy resolves on each dial instead.
            upstreamAddress = HostPort.resolve(upstream);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("toxiproxy: proxy {}: upstream {} is unusable ({}); its connections will be closed",
                    proxyName, upstream, e.getMessage());
        }
        ProxyListener listener = new ProxyListener(proxyName, upstream, upstreamAddress, toxics);
        ChannelFuture bind = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ProxyConnection(listener, ch).clientHandler());
                    }
                })
                .bind(listenAddress);
        if (!bind.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            bind.cancel(false);
            throw new IOException("bind timed out");
        }
        if (!bind.isSuccess()) {
            // Go prints the errno text in lower case: "bind: address already in use".
            Throwable cause = bind.cause();
            String m = String.valueOf(cause.getMessage());
            throw new IOException("bind: " + (m.isEmpty() ? m : m.substring(0, 1).toLowerCase(Locale.ROOT)
                    + m.substring(1)), cause);
        }
        listener.bound(bind.channel());
        return listener;
    }
}
