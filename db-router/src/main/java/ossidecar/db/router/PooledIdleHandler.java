package ossidecar.db.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.db.protocol.CommandType;
import ossidecar.db.protocol.MysqlPacket;
import ossidecar.db.protocol.OkPacket;

/**
 * Cleans a backend connection a session gave up (COM_RESET_CONNECTION: rolls back, drops
 * temporary tables and prepared statements, resets variables, keeps the schema) and, on OK,
 * parks it in the pool. While parked, any packet or a close from the server removes it.
 */
final class PooledIdleHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "pooled-idle";
    private static final Logger LOG = LoggerFactory.getLogger(PooledIdleHandler.class);

    private final BackendConnection conn;
    private final BackendConnectionPool pool;
    private final String schema;
    private boolean resetDone;

    private PooledIdleHandler(BackendConnection conn, BackendConnectionPool pool, String schema) {
        this.conn = conn;
        this.pool = pool;
        this.schema = schema;
    }

    static void resetAndPool(BackendConnection conn, BackendConnectionPool pool, String schema, Duration timeout) {
        if (!conn.isOpen()) {
            return;
        }
        PooledIdleHandler handler = new PooledIdleHandler(conn, pool, schema);
        conn.channel().pipeline().addLast(NAME, handler);
        ByteBuf out = conn.channel().alloc().buffer(1);
        out.writeByte(CommandType.COM_RESET_CONNECTION.code());
        conn.channel().writeAndFlush(new MysqlPacket(0, out));
        conn.channel().read();
        // a node that does not answer the reset (paused, dying) does not get the connection parked
        conn.channel().eventLoop().schedule(() -> {
            if (!handler.resetDone) {
                LOG.debug("backend {}: no answer to the reset within {} ms: closing", conn, timeout.toMillis());
                conn.channel().close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (resetDone) {
            pool.forget(conn, schema);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!resetDone && msg instanceof MysqlPacket p && p.payload().isReadable()
                    && p.payload().getUnsignedByte(p.payload().readerIndex()) == OkPacket.HEADER) {
                resetDone = true;
                conn.statusFlags(OkPacket.peekStatusFlags(p.payload(), conn.capabilities()));
                pool.release(conn, schema);
                ctx.read(); // notice a server-side close while parked
                return;
            }
            LOG.debug("backend {}: unexpected packet while {}: closing", conn, resetDone ? "parked" : "resetting");
            ctx.close();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
