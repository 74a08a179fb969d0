package ossidecar.db.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ossidecar.db.protocol.CommandType;
import ossidecar.db.protocol.MysqlPacket;
import ossidecar.db.protocol.ResponseTracker;

/**
 * Moves a transaction that read on a reader to the writer: runs its statements again, in
 * order, on a writer connection that already has the session's state, and compares each
 * answer's digest with the one the reader gave. All the same: the transaction read what it
 * would have read on the writer, and goes on there as if it had always been there. One
 * different: something changed what it read in between (a concurrent write), and the caller
 * answers the client 1213. The replay stops at the first difference.
 *
 * <p>With autocommit on and no BEGIN of its own in the log (a transaction opened by
 * {@code COMMIT AND CHAIN}, say), a {@code START TRANSACTION} goes first. Removes itself from
 * the pipeline when done; a lost connection or a silence past the deadline fails it.
 */
final class TransactionReplay extends ChannelInboundHandlerAdapter {
    static final String NAME = "transaction-replay";
    private static final byte[] START = "START TRANSACTION".getBytes(StandardCharsets.UTF_8);

    /** How the replay ended. */
    record Outcome(boolean same, int statements, String differedAt) {
    }

    private final BackendConnection conn;
    private final ReplayLog log;
    private final PreparedStatements prepared;
    private final CompletableFuture<Outcome> done = new CompletableFuture<>();
    private boolean startFirst;
    private int index = -1;
    private ResponseTracker tracker;
    private ResultDigest digest;
    private ScheduledFuture<?> deadline;

    private TransactionReplay(BackendConnection conn, ReplayLog log, boolean startFirst, PreparedStatements prepared) {
        this.conn = conn;
        this.log = log;
        this.prepared = prepared;
        this.startFirst = startFirst;
    }

    /** Replays {@code log} on {@code conn} (on its event loop); {@code autocommit}: the session's setting. */
    static CompletableFuture<Outcome> run(BackendConnection conn, ReplayLog log, boolean autocommit, Duration timeout) {
        return run(conn, log, autocommit, timeout, new PreparedStatements());
    }

    /**
     * As above; executes of prepared statements in the log name the client's ids, which
     * {@code prepared} translates for {@code conn} (where they must be prepared already).
     */
    static CompletableFuture<Outcome> run(BackendConnection conn, ReplayLog log, boolean autocommit, Duration timeout,
                                          PreparedStatements prepared) {
        TransactionReplay r = new TransactionReplay(conn, log, autocommit && !log.explicitBegin(), prepared);
        conn.channel().eventLoop().execute(() -> r.start(timeout));
        return r.done;
    }

    private void start(Duration timeout) {
        if (!conn.isOpen()) {
            done.completeExceptionally(new IllegalStateException("backend " + conn + " closed before the replay"));
            return;
        }
        conn.channel().pipeline().addLast(NAME, this);
        deadline = conn.channel().eventLoop().schedule(() -> fail(new TimeoutException("writer " + conn
                + " did not answer the transaction's replay within " + timeout.toMillis() + " ms")),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        next();
    }

    private void next() {
        byte[] body;
        if (startFirst) {
            startFirst = false;
            body = null;
        } else {
            index++;
            if (index == log.statements()) {
                finish(new Outcome(true, index, null));
                return;
            }
            body = log.entries().get(index).payload();
        }
        CommandType command = body == null ? CommandType.COM_QUERY : CommandType.of(body[0]);
        tracker = new ResponseTracker(conn.capabilities(), conn.statusFlags());
        tracker.begin(command);
        digest = new ResultDigest();
        ByteBuf out;
        if (body == null) {
            out = conn.channel().alloc().buffer(1 + START.length);
            out.writeByte(CommandType.COM_QUERY.code()).writeBytes(START);
        } else {
            out = conn.channel().alloc().buffer(body.length);
            out.writeBytes(body); // the command byte is part of the logged payload
            ByteBuf translated = prepared.toBackend(command, out, conn.channel().alloc(), conn);
            if (translated != out) {
                out.release();
                out = translated;
            }
        }
        conn.channel().writeAndFlush(new MysqlPacket(0, out));
        conn.channel().read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (done.isDone() || !(msg instanceof MysqlPacket p)) {
                return;
            }
            ResponseTracker.Progress progress = tracker.onPacket(p.payload());
            if (tracker.lastPacketWasResultData()) {
                digest.data(p.payload());
            }
            if (progress != ResponseTracker.Progress.COMPLETE) {
                ctx.read();
                return;
            }
            conn.statusFlags(tracker.statusFlags());
            if (index < 0) {
                if (tracker.lastErrorCode() != 0) {
                    fail(new IllegalStateException("START TRANSACTION failed on " + conn + " with error "
                            + tracker.lastErrorCode()));
                    return;
                }
                next();
                return;
            }
            digest.error(tracker.lastErrorCode());
            ReplayLog.Entry e = log.entries().get(index);
            if (!digest.finish().sameAs(e.result())) {
                finish(new Outcome(false, index + 1, e.sql()));
                return;
            }
            next();
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void finish(Outcome outcome) {
        deadline.cancel(false);
        conn.channel().pipeline().remove(this);
        done.complete(outcome);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new IllegalStateException("writer " + conn + " closed during the transaction's replay"));
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
