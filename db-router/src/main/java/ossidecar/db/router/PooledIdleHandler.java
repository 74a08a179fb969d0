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
 * Watches a backend connection parked in the pool: any packet or a close from the server
 * takes it out. A session that ends has its connection cleaned first (COM_RESET_CONNECTION:
 * rolls back, drops temporary tables and prepared statements, resets variables, keeps the
 * schema); a session that only gives its connection back between transactions does not, and
 * the connection keeps that session's settings for the next session with the same ones.
 */
final class PooledIdleHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "pooled-idle";
    private static final Logger LOG = LoggerFactory.getLogger(PooledIdleHandler.class);

    private final BackendConnection conn;
    private final BackendConnectionPool pool;
    private boolean parked;

    private PooledIdleHandler(BackendConnection conn, BackendConnectionPool pool) {
        this.conn = conn;
        this.pool = pool;
    }

    /** On the connection's loop: parks it as it is (its schema and state key say what it holds). */
    static void park(BackendConnection conn, BackendConnectionPool pool) {
        if (!conn.isOpen()) {
            return;
        }
        PooledIdleHandler handler = new PooledIdleHandler(conn, pool);
        conn.channel().pipeline().addLast(NAME, handler);
        handler.parked = true;
        pool.park(conn);
        conn.channel().read(); // notice a server-side close while parked
    }

    /** On the connection's loop: resets it, then parks it with no session state. */
    static void resetAndPark(BackendConnection conn, BackendConnectionPool pool, Duration timeout) {
        if (!conn.isOpen()) {
            return;
        }
        PooledIdleHandler handler = new PooledIdleHandler(conn, pool);
        conn.channel().pipeline().addLast(NAME, handler);
        ByteBuf out = conn.channel().alloc().buffer(1);
        out.writeByte(CommandType.COM_RESET_CONNECTION.code());
        conn.channel().writeAndFlush(new MysqlPacket(0, out));
        conn.channel().read();
        // a node that does not answer the reset (paused, dying) does not get the connection parked
        conn.channel().eventLoop().schedule(() -> {
            if (!handler.parked && conn.isOpen()) {
                LOG.debug("backend {}: no answer to the reset within {} ms: closing", conn, timeout.toMillis());
                conn.channel().close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes a parked connection out of the watch, to hand it to a session. */
    static void unpark(BackendConnection conn) {
        if (conn.channel().pipeline().get(NAME) != null) {
            conn.channel().pipeline().remove(NAME);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (parked) {
            pool.forget(conn);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!parked && msg instanceof MysqlPacket p && p.payload().isReadable()
                    && p.payload().getUnsignedByte(p.payload().readerIndex()) == OkPacket.HEADER) {
                parked = true;
                conn.statusFlags(OkPacket.peekStatusFlags(p.payload(), conn.capabilities()));
                conn.holds(conn.schema(), ""); // the reset kept the schema and dropped the rest
                pool.park(conn);
                ctx.read();
                return;
            }
            LOG.debug("backend {}: unexpected packet while {}: closing", conn, parked ? "parked" : "resetting");
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
