package ossidecar.amqp.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.amqp.codec.AmqpFrameDecoder;
import ossidecar.amqp.codec.AmqpFrameEncoder;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.health.NodeRegistry;
import ossidecar.core.net.NettyTransport;
import ossidecar.core.pool.BackendPool;

/**
 * The AMQP 0-9-1 proxy: listens for clients and gives each a {@link ClientConnection}. Each
 * connection's upstream socket runs on the client's event loop, so a connection's two sides
 * never need a lock.
 */
public final class AmqpProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpProxy.class);
    /** Backpressure: past 1 MiB queued for a socket, the other side stops being read. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final EventLoopGroup group;
    private final Channel server;
    private final BackendPool pool;
    private final AmqpProxyMetrics metrics;
    private final NodeProber prober;

    private AmqpProxy(EventLoopGroup group, Channel server, BackendPool pool, AmqpProxyMetrics metrics,
                      NodeProber prober) {
        this.group = group;
        this.server = server;
        this.pool = pool;
        this.metrics = metrics;
        this.prober = prober;
    }

    public static AmqpProxy start(AmqpProxyConfig config, NodeRegistry nodes, MeterRegistry meters)
            throws InterruptedException {
        BackendPool pool = new BackendPool("amqp", config.nodes(), config.strategy(), nodes, meters);
        AmqpProxyContext ctx = new AmqpProxyContext(config, pool, new AmqpProxyMetrics(meters),
                new RecentNames(RecentNames.DEFAULT_CAPACITY));
        AtomicLong ids = new AtomicLong();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(0, NettyTransport.ioHandlerFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(NettyTransport.serverChannel(group))
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            String id = "amqp-c" + ids.incrementAndGet();
                            ch.pipeline().addLast("bytes", ctx.metrics().clientBytes);
                            ch.pipeline().addLast("codec-decoder",
                                    new AmqpFrameDecoder(true, ClientConnection.PRE_TUNE_FRAME_MAX));
                            ch.pipeline().addLast("codec-encoder", new AmqpFrameEncoder());
                            ch.pipeline().addLast("client", new ClientConnection(id, ctx));
                        }
                    })
                    .bind(config.listen().host(), config.listen().port()).sync().channel();
            // a probe gets what a real upstream connect gets: the same timeout
            NodeProber prober = new NodeProber(pool, group.next(), config.probeInterval(), config.connectTimeout());
            LOG.info("amqp proxy listening on {} for nodes {} ({}, DOWN nodes probed every {} ms; {})",
                    server.localAddress(), pool.backends(), config.strategy(), config.probeInterval().toMillis(),
                    NettyTransport.describe());
            return new AmqpProxy(group, server, pool, ctx.metrics(), prober);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public BackendPool pool() {
        return pool;
    }

    /** Failover counters since start: recoveries by outcome, their duration, what they replayed and re-sent. */
    public RecoveryStats recoveryStats() {
        return metrics.recoveryStats();
    }

    /**
     * For {@code /status}: open client connections, those held while the proxy rebuilds them
     * on another node, open upstream connections per node (where the clients are now), and
     * the queue declares clients sent by queue type (classic ones do not survive their node).
     */
    public Map<String, Object> status() {
        Map<String, Object> upstreams = new LinkedHashMap<>();
        pool.backends().forEach(b -> upstreams.put(b.node().name(), b.connections()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_connections", metrics.connections.get());
        out.put("held_for_recovery", metrics.recovering.get());
        out.put("upstream_connections", upstreams);
        out.put("queues_declared", metrics.queuesDeclaredByType());
        return out;
    }

    @Override
    public void close() {
        prober.close();
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.info("amqp proxy stopped");
    }
}
