package ossidecar.chaos.toxiproxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded server that speaks Toxiproxy 2.x's HTTP API, so the Toxiproxy Java client (or
 * any Toxiproxy client) drives it unchanged, and runs its proxies and toxics on Netty.
 *
 * <p>Threads: a small Netty event loop group carries the API and every proxied connection; API
 * requests are answered one at a time on a single control thread, which is where proxies bind
 * and stop. All threads are daemons.
 */
public final class ToxiproxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ToxiproxyServer.class);
    /** Largest API request body accepted; Toxiproxy's bodies are small JSON documents. */
    private static final int MAX_BODY = 1024 * 1024;
    private static final int EVENT_LOOP_THREADS = 2;
    private static final long STOP_WAIT_SECONDS = 10;

    private final EventLoopGroup group;
    private final ExecutorService control;
    private final ToxiproxyApi api;
    private final Channel channel;
    private final InetSocketAddress address;

    private ToxiproxyServer(EventLoopGroup group, ExecutorService control, ToxiproxyApi api, Channel channel) {
        this.group = group;
        this.control = control;
        this.api = api;
        this.channel = channel;
        this.address = (InetSocketAddress) channel.localAddress();
    }

    /** Starts on 127.0.0.1 with a free port. */
    public static ToxiproxyServer start() throws IOException {
        return start(InetAddress.getLoopbackAddress().getHostAddress(), 0);
    }

    /** Starts the API on {@code host:port} (port 0 picks a free one). */
    public static ToxiproxyServer start(String host, int port) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS,
                new DefaultThreadFactory("toxiproxy", true), NioIoHandler.newFactory());
        ExecutorService control = Executors.newSingleThreadExecutor(new DefaultThreadFactory("toxiproxy-api", true));
        ToxiproxyApi api = new ToxiproxyApi(new NettyDataPlane(group));
        try {
            var bind = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                    new ApiHttpHandler(api, control));
                        }
                    })
                    .bind(host, port)
                    .awaitUninterruptibly();
            if (!bind.isSuccess()) {
                throw new IOException("toxiproxy: cannot listen on " + host + ":" + port, bind.cause());
            }
            ToxiproxyServer server = new ToxiproxyServer(group, control, api, bind.channel());
            LOG.info("toxiproxy: embedded server listening on {}", server.url());
            return server;
        } catch (IOException | RuntimeException e) {
            control.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The API's base URL, e.g. {@code http://127.0.0.1:34567}. */
    public String url() {
        return "http://" + HostPort.format(address);
    }

    public String host() {
        return address.getAddress().getHostAddress();
    }

    public int port() {
        return address.getPort();
    }

    /** Stops the API, every proxy and their connections. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        try {
            control.submit(api::stopAll).get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("toxiproxy: stopping the proxies failed: {}", e.toString());
        }
        control.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        LOG.info("toxiproxy: embedded server {} stopped", url());
    }
}
