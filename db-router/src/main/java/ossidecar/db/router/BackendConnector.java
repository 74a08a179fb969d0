package ossidecar.db.router;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ossidecar.core.config.BackendNode;
import ossidecar.core.net.NettyTransport;
import ossidecar.db.protocol.Capabilities;
import ossidecar.db.protocol.MysqlPacketDecoder;
import ossidecar.db.protocol.MysqlPacketEncoder;

/**
 * Backend connections for sessions, leased from the pool: one that already holds the session's
 * login, schema and settings when there is one on the session's event loop; else a new login
 * while the node's share is under its cap; else one reset and given the session's settings;
 * else the session waits for one (see {@link BackendConnectionPool}). Every new login (TCP
 * connect, greeting, auth, OK) is bounded by the connect timeout, so a node that accepts and
 * never answers (paused, half dead) fails the attempt instead of holding the session.
 */
final class BackendConnector {
    private final DbRouterContext router;

    BackendConnector(DbRouterContext router) {
        this.router = router;
    }

    /**
     * A connection to {@code node} on {@code loop} with the login {@code request} says, in the
     * schema and with the settings of {@code session}, and {@code prepared}'s statements prepared.
     */
    CompletableFuture<BackendConnection> lease(BackendNode node, BackendLoginRequest request, SessionState session,
                                               PreparedStatements prepared, EventLoop loop) {
        Duration timeout = router.config().connectTimeout();
        String schema = session.schema();
        String stateKey = session.key();
        NodeShare.Need need = new NodeShare.Need(new BackendConnection.PoolKey(node, request.user(),
                expectedBackendCapabilities(request), request.charset()), schema, stateKey);
        return router.backends().acquire(node, need, loop).thenCompose(grant -> {
            CompletableFuture<BackendConnection> ready;
            if (grant instanceof NodeShare.Ready r) {
                PooledIdleHandler.unpark(r.conn());
                ready = StateReplay.run(r.conn(), false, List.of(), prepared, timeout);
            } else if (grant instanceof NodeShare.Reset r) {
                PooledIdleHandler.unpark(r.conn());
                ready = StateReplay.run(r.conn(), true, session.replaySql(), prepared, timeout);
            } else if (grant instanceof NodeShare.OpenNew o) {
                CompletableFuture<Void> room = new CompletableFuture<>();
                if (o.evicted() == null) {
                    room.complete(null);
                } else {
                    PooledIdleHandler.unpark(o.evicted());
                    o.evicted().channel().close().addListener(f -> room.complete(null));
                }
                ready = room.thenCompose(v -> login(node, request, loop, timeout))
                        .thenCompose(conn -> StateReplay.run(conn, false, session.replaySql(), prepared, timeout));
            } else {
                throw new IllegalStateException("the pool answered a wait: " + grant);
            }
            return ready.thenApply(conn -> {
                conn.holds(schema, stateKey);
                return conn;
            });
        });
    }

    /** A new login for a slot the pool granted; the slot is given back when it fails. */
    private CompletableFuture<BackendConnection> login(BackendNode node, BackendLoginRequest request, EventLoop loop,
                                                       Duration timeout) {
        BackendLogin loginHandler = new BackendLogin(node, request, v -> router.serverVersion().set(v));
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(NettyTransport.socketChannel(loop))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("decoder", new MysqlPacketDecoder(DbRouterContext.MAX_PAYLOAD));
                        ch.pipeline().addLast("encoder", new MysqlPacketEncoder());
                        ch.pipeline().addLast("login", loginHandler);
                    }
                })
                .connect(node.address().host(), node.address().port());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                loginHandler.result().completeExceptionally(f.cause());
            }
        });
        var deadline = loop.schedule(() -> {
            if (loginHandler.result().completeExceptionally(new TimeoutException("login on " + node.name()
                    + " not done within " + timeout.toMillis() + " ms (connect-timeout)"))) {
                connect.channel().close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return loginHandler.result().whenComplete((c, e) -> {
            deadline.cancel(false);
            if (e != null) {
                connect.channel().close();
                loop.execute(() -> router.backends().loginFailed(node, loop));
            } else {
                router.backends().opened(c);
            }
        });
    }

    /** The capabilities {@link BackendLogin} ends up with on a MariaDB backend, to find a pooled match. */
    static long expectedBackendCapabilities(BackendLoginRequest r) {
        long caps = r.capabilities() | Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
                | Capabilities.CLIENT_PLUGIN_AUTH;
        return r.database() != null ? caps | Capabilities.CLIENT_CONNECT_WITH_DB : caps & ~Capabilities.CLIENT_CONNECT_WITH_DB;
    }
}
