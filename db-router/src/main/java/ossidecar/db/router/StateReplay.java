package ossidecar.db.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ossidecar.db.protocol.CommandType;
import ossidecar.db.protocol.ErrPacket;
import ossidecar.db.protocol.MysqlPacket;
import ossidecar.db.protocol.MysqlServerException;
import ossidecar.db.protocol.ResponseTracker;

/**
 * Gives a backend connection a session's state: runs the session's replay statements (SET
 * ..., in the order the session last made them) one at a time, then prepares the session's
 * server-side statements again, and completes when the last is answered. An error answer to a
 * SET or a silence past the deadline fails it; the caller then closes the connection. A
 * statement that no longer prepares (its table dropped meanwhile) is left unprepared: executing
 * it gets the backend's own error, as it would have. Removes itself from the pipeline when done.
 */
final class StateReplay extends ChannelInboundHandlerAdapter {
    static final String NAME = "state-replay";

    private final BackendConnection conn;
    private final Deque<String> statements;
    /** COM_RESET_CONNECTION first: the connection holds another session's settings. */
    private boolean resetFirst;
    private final Deque<PreparedStatements.Reprepare> prepares;
    private final PreparedStatements prepared;
    private PreparedStatements.Reprepare currentPrepare;
    private boolean firstPacket;
    private final CompletableFuture<BackendConnection> done = new CompletableFuture<>();
    private ResponseTracker tracker;
    private String current;
    private ScheduledFuture<?> deadline;

    private StateReplay(BackendConnection conn, boolean reset, List<String> statements, PreparedStatements prepared) {
        this.conn = conn;
        this.resetFirst = reset;
        this.statements = new ArrayDeque<>(statements);
        this.prepared = prepared;
        if (reset) {
            prepared.forget(conn); // COM_RESET_CONNECTION drops the connection's prepared statements
        }
        this.prepares = new ArrayDeque<>(prepared.size() == 0 ? List.of() : prepared.missingOn(conn));
    }

    /**
     * Replays {@code statements} on {@code conn} (on its event loop), then prepares {@code prepared}'s
     * statements there; completes with {@code conn}.
     */
    static CompletableFuture<BackendConnection> run(BackendConnection conn, List<String> statements,
                                                    PreparedStatements prepared, Duration timeout) {
        return run(conn, false, statements, prepared, timeout);
    }

    /** As above, resetting the connection first when {@code reset} (COM_RESET_CONNECTION keeps the schema). */
    static CompletableFuture<BackendConnection> run(BackendConnection conn, boolean reset, List<String> statements,
                                                    PreparedStatements prepared, Duration timeout) {
        if (!reset && statements.isEmpty() && (prepared.size() == 0 || prepared.missingOn(conn).isEmpty())) {
            return CompletableFuture.completedFuture(conn);
        }
        StateReplay replay = new StateReplay(conn, reset, statements, prepared);
        conn.channel().eventLoop().execute(() -> replay.start(timeout));
        return replay.done;
    }

    private void start(Duration timeout) {
        if (!conn.isOpen()) {
            done.completeExceptionally(new IllegalStateException("backend " + conn + " closed before the state replay"));
            return;
        }
        conn.channel().pipeline().addLast(NAME, this);
        deadline = conn.channel().eventLoop().schedule(() -> fail(new TimeoutException(
                "backend " + conn + " did not answer the session state replay within " + timeout.toMillis() + " ms")),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        next();
    }

    private void next() {
        boolean reset = resetFirst;
        resetFirst = false;
        current = reset ? null : statements.poll();
        currentPrepare = reset || current != null ? null : prepares.poll();
        if (reset) {
            tracker = new ResponseTracker(conn.capabilities(), conn.statusFlags());
            tracker.begin(CommandType.COM_RESET_CONNECTION);
            firstPacket = true;
            current = "COM_RESET_CONNECTION";
            ByteBuf out = conn.channel().alloc().buffer(1);
            out.writeByte(CommandType.COM_RESET_CONNECTION.code());
            conn.channel().writeAndFlush(new MysqlPacket(0, out));
            conn.channel().read();
            return;
        }
        if (current == null && currentPrepare == null) {
            deadline.cancel(false);
            conn.channel().pipeline().remove(this);
            done.complete(conn);
            return;
        }
        CommandType command = current != null ? CommandType.COM_QUERY : CommandType.COM_STMT_PREPARE;
        byte[] body = current != null ? current.getBytes(StandardCharsets.UTF_8) : currentPrepare.sql();
        tracker = new ResponseTracker(conn.capabilities(), conn.statusFlags());
        tracker.begin(command);
        firstPacket = true;
        ByteBuf out = conn.channel().alloc().buffer(1 + body.length);
        out.writeByte(command.code()).writeBytes(body);
        conn.channel().writeAndFlush(new MysqlPacket(0, out));
        conn.channel().read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (done.isDone() || !(msg instanceof MysqlPacket p)) {
                return;
            }
            ByteBuf payload = p.payload();
            if (firstPacket && currentPrepare != null && payload.readableBytes() >= 5
                    && payload.getUnsignedByte(payload.readerIndex()) == 0) {
                prepared.reprepared(currentPrepare.clientId(), payload.getIntLE(payload.readerIndex() + 1), conn);
            }
            firstPacket = false;
            if (tracker.onPacket(payload) != ResponseTracker.Progress.COMPLETE) {
                ctx.read();
                return;
            }
            if (tracker.lastErrorCode() != 0 && currentPrepare != null) {
                next(); // that statement stays unprepared here; executing it gets the backend's error
                return;
            }
            if (tracker.lastErrorCode() != 0) {
                fail(new MysqlServerException(tracker.lastErrorCode(), ErrPacket.GENERAL_SQL_STATE,
                        "replaying the session state (" + current + ") failed"));
                return;
            }
            conn.statusFlags(tracker.statusFlags());
            next();
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new IllegalStateException("backend " + conn + " closed during the session state replay"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
    }

    private void fail(Throwable cause) {
        if (done.completeExceptionally(cause)) {
            if (deadline != null) {
                deadline.cancel(false);
            }
            conn.channel().close();
        }
    }
}
