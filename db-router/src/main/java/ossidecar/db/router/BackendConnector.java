package ossidecar.db.router;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ossidecar.core.config.BackendNode;
import ossidecar.db.protocol.Capabilities;
import ossidecar.db.protocol.MysqlPacketDecoder;
import ossidecar.db.protocol.MysqlPacketEncoder;

/**
 * Backend connections for sessions: a pooled one for the same login and schema when there is
 * one on the session's event loop, else a new login on the node. The whole login (TCP connect,
 * greeting, auth, OK) is bounded by the connect timeout, so a node that accepts and never
 * answers (paused, half dead) fails the attempt instead of holding the session.
 */
final class BackendConnector {
    private final DbRouterContext router;

    BackendConnector(DbRouterContext router) {
        this.router = router;
    }

    /** A logged-in connection to {@code node} as {@code request} says, on {@code loop}. */
    CompletableFuture<BackendConnection> open(BackendNode node, BackendLoginRequest request, EventLoop loop) {
        BackendConnection pooled = router.backends().acquire(
                new BackendConnection.PoolKey(node, request.user(), expectedBackendCapabilities(request), request.charset()),
                request.database(), loop);
        if (pooled != null) {
            pooled.channel().pipeline().remove(PooledIdleHandler.NAME);
            return CompletableFuture.completedFuture(pooled);
        }
        Duration timeout = router.config().connectTimeout();
        BackendLogin loginHandler = new BackendLogin(node, request, v -> router.serverVersion().set(v));
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
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
        return loginHandler.result().whenComplete((c, e) -> deadline.cancel(false)).thenApply(conn -> {
            router.backends().opened(conn);
            return conn;
        });
    }

    /** The capabilities {@link BackendLogin} ends up with on a MariaDB backend, to find a pooled match. */
    static long expectedBackendCapabilities(BackendLoginRequest r) {
        long caps = r.capabilities() | Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
                | Capabilities.CLIENT_PLUGIN_AUTH;
        return r.database() != null ? caps | Capabilities.CLIENT_CONNECT_WITH_DB : caps & ~Capabilities.CLIENT_CONNECT_WITH_DB;
    }
}
