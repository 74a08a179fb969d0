package ossidecar.db.router;

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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.DbListener;
import ossidecar.core.config.DbRole;
import ossidecar.core.config.DbRouterConfig;
import ossidecar.core.net.NettyTransport;
import ossidecar.db.protocol.MysqlPacketDecoder;
import ossidecar.db.protocol.MysqlPacketEncoder;

/**
 * The MySQL-protocol router: one server socket per configured listener, a
 * {@link ClientSession} per client. Each session's backend socket runs on the session's
 * event loop. The listener's role says where statements go: {@code writer} sends all of them to
 * the agreed writer; {@code split} and {@code reader} send reads to readers (see
 * {@link RoutingPolicy}).
 */
public final class DbRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DbRouter.class);
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final EventLoopGroup group;
    private final List<Channel> servers;
    private final BackendConnectionPool backends;

    private DbRouter(EventLoopGroup group, List<Channel> servers, BackendConnectionPool backends) {
        this.group = group;
        this.servers = servers;
        this.backends = backends;
    }

    public static DbRouter start(DbRouterConfig config, WriterSource writers, MeterRegistry meters)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(0, NettyTransport.ioHandlerFactory());
        int loops = 0;
        for (var ignored : group) {
            loops++;
        }
        BackendConnectionPool backends = new BackendConnectionPool(config.nodes(), config.pool().maxBackendConnections(),
                loops, config.pool().maxWaiting(), config.pool().poolWait(), meters);
        Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
        DbRouterContext ctx = new DbRouterContext(config, new FrontendAuth(new UserDirectory(config.users())), writers,
                backends, new DbRouterMetrics(meters), new AtomicReference<>(DbRouterContext.DEFAULT_SERVER_VERSION),
                new AtomicLong(), sessions, new CertificationRetry(config.certificationRetries()),
                new ReaderChooser(config.split().writerServesReads()), new ReadFence());
        writers.onWriterChange(change -> {
            BackendNode writer = writers.writer();
            backends.retire(n -> n.equals(writer)); // idle connections to the old writer close now
            List<CompletableFuture<ClientSession.LeftOldWriter>> left = sessions.stream()
                    .map(ClientSession::writerChanged).toList();
            CompletableFuture.allOf(left.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
                Map<ClientSession.LeftOldWriter, Long> by = new EnumMap<>(ClientSession.LeftOldWriter.class);
                left.forEach(f -> by.merge(f.getNow(ClientSession.LeftOldWriter.NOT_THERE), 1L, Long::sum));
                boolean touched = by.getOrDefault(ClientSession.LeftOldWriter.NOT_THERE, 0L) < left.size();
                String line = "db router: writer {}; of {} sessions, {} left the old writer idle (their next statement "
                        + "runs on the new one), {} had a transaction cut (its next statement gets 1213), {} had a "
                        + "statement in flight there; {} had no connection to it";
                Object[] args = {change, left.size(), by.getOrDefault(ClientSession.LeftOldWriter.MOVED, 0L),
                        by.getOrDefault(ClientSession.LeftOldWriter.CUT, 0L),
                        by.getOrDefault(ClientSession.LeftOldWriter.IN_COMMAND, 0L),
                        by.getOrDefault(ClientSession.LeftOldWriter.NOT_THERE, 0L)};
                if (touched) {
                    LOG.warn(line, args);
                } else {
                    LOG.info(line, args);
                }
            });
        });
        writers.onReadersChange(() -> {
            List<BackendNode> readers = writers.readers();
            sessions.forEach(s -> s.readersChanged(readers));
        });
        AtomicLong ids = new AtomicLong();
        List<Channel> servers = new ArrayList<>();
        try {
            for (DbListener l : config.listeners()) {
                Channel server = new ServerBootstrap()
                        .group(group)
                        .channel(NettyTransport.serverChannel(group))
                        .childOption(ChannelOption.AUTO_READ, false)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast("decoder", new MysqlPacketDecoder(DbRouterContext.MAX_PAYLOAD));
                                ch.pipeline().addLast("encoder", new MysqlPacketEncoder());
                                ch.pipeline().addLast("session", new ClientSession("db-s" + ids.incrementAndGet(), ctx,
                                        l.role()));
                            }
                        })
                        .bind(l.listen().host(), l.listen().port()).sync().channel();
                servers.add(server);
                LOG.info("db router listening on {} ({}; {})", server.localAddress(), l.role().name().toLowerCase(),
                        NettyTransport.describe());
            }
        } catch (RuntimeException | InterruptedException e) {
            servers.forEach(Channel::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        return new DbRouter(group, servers, backends);
    }

    /** The port of the {@code i}-th listener (useful with port 0). */
    public int port(int i) {
        return ((InetSocketAddress) servers.get(i).localAddress()).getPort();
    }

    /** The event loops sessions are spread over (pooled backend connections stay on theirs). */
    public int eventLoops() {
        int n = 0;
        for (var ignored : group) {
            n++;
        }
        return n;
    }

    /** Backend logins since start; sessions served from the pool do not add to it. */
    public long backendLogins() {
        return backends.logins();
    }

    /** Backend connections parked in the pool. */
    public int idleBackendConnections() {
        return backends.idle();
    }

    /** Open backend connections to {@code node}, pooled or in use. */
    public int backendConnections(String node) {
        return backends.open(node);
    }

    @Override
    public void close() {
        servers.forEach(s -> s.close().syncUninterruptibly());
        backends.closeAll();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.info("db router stopped");
    }
}
