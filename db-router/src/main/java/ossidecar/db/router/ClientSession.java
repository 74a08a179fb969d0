package ossidecar.db.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.DbRole;
import ossidecar.core.config.ReadYourWrites;
import ossidecar.db.protocol.AuthSwitchRequest;
import ossidecar.db.protocol.Capabilities;
import ossidecar.db.protocol.Charsets;
import ossidecar.db.protocol.ComChangeUser;
import ossidecar.db.protocol.CommandType;
import ossidecar.db.protocol.ErrPacket;
import ossidecar.db.protocol.ErrorCodes;
import ossidecar.db.protocol.HandshakeResponse41;
import ossidecar.db.protocol.HandshakeV10;
import ossidecar.db.protocol.MalformedPacket;
import ossidecar.db.protocol.MysqlPacket;
import ossidecar.db.protocol.MysqlProtocolException;
import ossidecar.db.protocol.MysqlServerException;
import ossidecar.db.protocol.NativePassword;
import ossidecar.db.protocol.OkPacket;
import ossidecar.db.protocol.ResponseTracker;
import ossidecar.db.protocol.ServerStatus;
import ossidecar.db.sql.Classification;
import ossidecar.db.sql.SessionChange;
import ossidecar.db.sql.StatementClassifier;
import ossidecar.db.sql.StatementKind;

/**
 * One client session: the router is its MariaDB server (HandshakeV10, mysql_native_password,
 * an auth switch for clients that start with another plugin) and logs in to the writer as the
 * same user; then every command is relayed to the session's backend connection and the
 * response back, packet by packet, with the response tracker telling when the backend is
 * idle again and what the transaction state is.
 *
 * <p>The backend connection is the session's only while it lasts: when it is lost, or its node
 * stops being the writer, {@link LostBackend} decides what the client sees. An idle session
 * outside a transaction binds to the current writer at its next statement, after its session
 * state is replayed, and never notices; a transaction that lost its node is answered 1213.
 */
final class ClientSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final StatementClassifier CLASSIFIER = new StatementClassifier();

    /** What the router offers clients: no TLS, no compression, no session tracking, no MariaDB extensions. */
    static final long ROUTER_CAPABILITIES = Capabilities.CLIENT_MYSQL | Capabilities.CLIENT_FOUND_ROWS
            | Capabilities.CLIENT_LONG_FLAG | Capabilities.CLIENT_CONNECT_WITH_DB | Capabilities.CLIENT_ODBC
            | Capabilities.CLIENT_LOCAL_FILES | Capabilities.CLIENT_IGNORE_SPACE | Capabilities.CLIENT_PROTOCOL_41
            | Capabilities.CLIENT_INTERACTIVE | Capabilities.CLIENT_IGNORE_SIGPIPE | Capabilities.CLIENT_TRANSACTIONS
            | Capabilities.CLIENT_SECURE_CONNECTION | Capabilities.CLIENT_MULTI_STATEMENTS
            | Capabilities.CLIENT_MULTI_RESULTS | Capabilities.CLIENT_PS_MULTI_RESULTS | Capabilities.CLIENT_PLUGIN_AUTH
            | Capabilities.CLIENT_CONNECT_ATTRS | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | Capabilities.CLIENT_DEPRECATE_EOF;

    private enum State { AWAIT_LOGIN, AWAIT_AUTH_SWITCH, CONNECTING, IDLE, IN_COMMAND, CLOSED }

    /** Errors that mean the session's user may not write markers: the session commits without them. */
    private static final java.util.Set<Integer> MARKER_REFUSED = java.util.Set.of(1142, 1044, 1146, 1290, 1036);
    private static volatile boolean markerRefusalLogged;

    /**
     * Responses up to this size reach the client only once complete, so that a backend lost in
     * the middle of one leaves nothing half sent and the statement can still be retried or
     * answered 1213; larger ones stream, and a loss in them closes the client connection.
     */
    static final int HOLD_RESPONSE_BYTES = 64 * 1024;
    /** At least this long for the new writer to say whether a cut COMMIT committed. */
    static final Duration MIN_RESOLUTION_WAIT = Duration.ofSeconds(30);

    /** How often a statement waiting for a writer looks again. */
    private static final long WRITER_POLL_MILLIS = 50;

    private final String id;
    private final DbRouterContext router;
    private final long connectionId;
    private final byte[] seed = newSeed();
    private ChannelHandlerContext client;
    private State state = State.AWAIT_LOGIN;
    private HandshakeResponse41 login;
    private byte[] stage1;
    private SessionState session;
    private BackendConnection backend;
    private ResponseTracker tracker;
    private String pendingSchema;
    private List<SessionChange> pendingChanges = List.of();
    private boolean pendingReset;
    private boolean clientReadPaused;
    private boolean backendReadPaused;
    private final BackendConnector connector;
    /** The server's status flags as last reported (transaction open, autocommit): kept across backends. */
    private int statusFlags = ServerStatus.SERVER_STATUS_AUTOCOMMIT;
    /** The session's transaction died with its node: the next statement is answered 1213. */
    private String cutReason;
    /** The backend is being closed because its node is no longer the writer (not a node fault). */
    private boolean leavingOldWriter;
    /** The backend is being closed because the monitor lost its reader (the monitor knows already). */
    private boolean leavingReader;
    /** The node refused the command in flight without running it (1047: WSREP not ready, the node left the cluster). */
    private boolean refusedByNode;
    /** How the node refused, for the cut's message. */
    private String refusal = "";
    // the command in flight
    private CommandType inFlightCommand;
    private StatementKind inFlightKind;
    private int inFlightNextSeq;
    private boolean inFlightInTransaction;
    private boolean responseStarted;
    private boolean inFlightRetried;
    /** A packet of the response came from the backend (it may still be held here). */
    private boolean responsePacketSeen;
    /** Response packets held until the response is complete, up to {@link #HOLD_RESPONSE_BYTES}. */
    private final java.util.ArrayDeque<MysqlPacket> heldResponse = new java.util.ArrayDeque<>();
    private int heldResponseBytes;
    /** A copy of a command that is safe to send again, kept until the first response byte goes to the client. */
    private MysqlPacket retryCopy;
    /** Server-side prepared statements, prepared again on every backend the session moves to. */
    private PreparedStatements prepared = new PreparedStatements();
    /** The SQL of the COM_STMT_PREPARE in flight. */
    private byte[] preparingSql;
    // commit markers: see CommitMarkerTable
    /** The open transaction ran a statement that may write: its COMMIT gets a marker first. */
    private boolean transactionWrote;
    private boolean markerPhase;
    private boolean markerWritten;
    private String markerId;
    private long markers;
    /** 64 random bits per session: marker ids never repeat across sessions, routers and restarts. */
    private final String markerPrefix = Long.toHexString(RANDOM.nextLong());
    private MysqlPacket pendingCommit;
    private CommandType pendingCommitCommand;
    // certification retry: see CertificationRetry
    private CertificationRetry.Attempts certAttempts;
    /** The autocommit write in flight, kept to be sent again if Galera refuses it with 1213. */
    private MysqlPacket certCopy;
    /** Refused with 1213 and waiting out its backoff: it did not run. */
    private boolean certRetryPending;
    /** COM_STMT_SEND_LONG_DATA came since the last execute: that execute is not sent twice. */
    private boolean longDataSent;
    // autocommit writes wrapped in a transaction of the router's with a commit marker
    private enum WrapPhase { NONE, BEGIN, WRITE, MARKER, COMMIT, ROLLBACK }

    private WrapPhase wrapPhase = WrapPhase.NONE;
    /** The client's autocommit write, kept until the wrap ends. */
    private MysqlPacket wrapWrite;
    private CommandType wrapCommand;
    private StatementKind wrapKind;
    /** The write's own answer, held until the COMMIT says it counts (or a ROLLBACK ends it). */
    private final java.util.ArrayList<MysqlPacket> wrapAnswer = new java.util.ArrayList<>();
    // multiplexing: see SessionPins and BackendConnectionPool
    private final SessionPins pins = new SessionPins();
    /** The last answer carried an insert id or warnings: the next statement may ask for them on this connection. */
    private boolean holdForNext;
    /** The session gave its backend back between transactions (not lost): the next bind is not a failover. */
    private boolean released;
    // read/write splitting: see RoutingPolicy
    private final DbRole role;
    /** The backend was bound for the writer's work (or is the writer): the only one that sees writes. */
    private boolean boundToWriter;
    /** The open transaction runs on a reader and may still move to the writer: what it ran there so far. */
    private ReplayLog replayLog;
    /** The open transaction was started READ ONLY on a reader: all of it stays there. */
    private boolean readOnlyTransaction;
    /** A read of the open transaction already ran: its snapshot is taken, no causality check after it. */
    private boolean readInTransaction;
    /** The classification of the COM_QUERY being routed (null for other commands). */
    private Classification routing;
    /** The statement in flight goes into the replay log: its payload and its answer's digest. */
    private byte[] loggedPayload;
    private ResultDigest loggedDigest;
    /** The read in flight waits for the router's acknowledged writes first, started when this many had committed. */
    private long causalSince = -1;
    /**
     * A session with server-side prepared statements keeps the connection it switched away from
     * (writer or reader), its statements prepared there, to switch back without preparing them
     * all again. Never in a transaction; closed when its node stops fitting.
     */
    private BackendConnection standby;
    private boolean standbyToWriter;
    /** Transactions of this session that began on a reader and moved to the writer, in a row. */
    private int movedInARow;
    /** Transactions begun on the writer because the ones before kept moving; every PROBE_EVERY-th tries a reader again. */
    private int learnedStarts;
    static final int LEARN_AFTER_MOVES = 2;
    static final int PROBE_EVERY = 16;
    /** A write ran on the writer since the session was last outside a transaction. */
    private boolean pendingWrite;
    /** The fence number of the session's last committed write (0: none), and when (nanoTime). */
    private long lastWrite;
    private long lastWriteAt;

    ClientSession(String id, DbRouterContext router, DbRole role) {
        this.id = id;
        this.router = router;
        this.role = role;
        this.connectionId = router.connectionIds().incrementAndGet();
        this.connector = new BackendConnector(router);
    }

    // ---------------------------------------------------------------- login

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx;
        router.metrics().sessions.incrementAndGet();
        router.sessions().add(this);
        HandshakeV10 greeting = new HandshakeV10(router.serverVersion().get(), connectionId, seed,
                ROUTER_CAPABILITIES, Charsets.UTF8MB4_GENERAL_CI, ServerStatus.SERVER_STATUS_AUTOCOMMIT,
                NativePassword.PLUGIN_NAME);
        ByteBuf out = ctx.alloc().buffer();
        greeting.encode(out);
        ctx.writeAndFlush(new MysqlPacket(0, out));
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof MalformedPacket bad) {
                protocolError("malformed packet: " + bad.reason(), 0);
                return;
            }
            if (!(msg instanceof MysqlPacket p)) {
                return;
            }
            switch (state) {
                case AWAIT_LOGIN -> onLogin(p);
                case AWAIT_AUTH_SWITCH -> onAuthSwitchResponse(p);
                case IDLE -> onCommand(p);
                case IN_COMMAND -> onClientDataDuringCommand(p);
                default -> {
                    // CONNECTING: reads are paused; CLOSED: ignore
                }
            }
        } catch (MysqlProtocolException e) {
            protocolError(e.getMessage(), 0);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (backend != null && (state == State.IN_COMMAND || state == State.IDLE)) {
            backend.channel().flush();
        }
        ctx.flush();
        if (state == State.IDLE || state == State.AWAIT_LOGIN || state == State.AWAIT_AUTH_SWITCH
                || (state == State.IN_COMMAND && awaitingClient())) {
            if (backend == null || backend.channel().isWritable()) {
                ctx.read();
            } else {
                clientReadPaused = true;
            }
        }
    }

    private void onLogin(MysqlPacket p) {
        if (HandshakeResponse41.isSslRequest(p.payload())) {
            sendError(p.nextSequenceId(), ErrorCodes.ER_HANDSHAKE_ERROR,
                    "the sidecar DB router listens on loopback without TLS: connect with SSL disabled");
            close("client asked for TLS");
            return;
        }
        login = HandshakeResponse41.decode(p.payload(), ROUTER_CAPABILITIES);
        String plugin = login.authPluginName();
        if (plugin != null && !plugin.isEmpty() && !NativePassword.PLUGIN_NAME.equals(plugin)) {
            // e.g. a MySQL 8 client starting with caching_sha2_password: ask for native password
            state = State.AWAIT_AUTH_SWITCH;
            ByteBuf out = client.alloc().buffer();
            AuthSwitchRequest.nativePassword(seed).encode(out);
            client.writeAndFlush(new MysqlPacket(p.nextSequenceId(), out));
            return;
        }
        authenticate(login.authResponse(), p.nextSequenceId());
    }

    private void onAuthSwitchResponse(MysqlPacket p) {
        byte[] scramble = new byte[p.payload().readableBytes()];
        p.payload().readBytes(scramble);
        authenticate(scramble, p.nextSequenceId());
    }

    private void authenticate(byte[] scramble, int nextSeq) {
        FrontendAuth.Result r = router.auth().check(login.username(), seed, scramble);
        if (!r.ok()) {
            router.metrics().authFailures.increment();
            LOG.info("[{}] login refused for user '{}' from {}: {}", id, login.username(), client.channel().remoteAddress(),
                    r.reason());
            sendError(nextSeq, ErrorCodes.ER_ACCESS_DENIED_ERROR, "Access denied for user '" + login.username()
                    + "'@'" + clientHost() + "' (using password: " + (scramble.length > 0 ? "YES" : "NO") + ")");
            close("login refused");
            return;
        }
        stage1 = r.stage1();
        session = new SessionState(login.database(), login.charset());
        connectToWriter(nextSeq, "login");
    }

    /**
     * Binds the session to the writer (see {@link #bindWriter}), then answers the client's login
     * or change-user with OK, or with the backend's own error and a close.
     */
    private void connectToWriter(int nextSeq, String what) {
        state = State.CONNECTING;
        bindWriter(conn -> {
            attach(conn);
            statusFlags = conn.statusFlags();
            ByteBuf out = client.alloc().buffer();
            new OkPacket(0, 0, conn.statusFlags(), 0).encode(out, login.capabilities());
            client.writeAndFlush(new MysqlPacket(nextSeq, out));
            state = State.IDLE;
            LOG.debug("[{}] {} as '{}' done, writer {}", id, what, login.username(), conn.node().name());
            maybeGiveBackendBack();
            client.read();
        }, e -> {
            sendError(nextSeq, e.errorCode(), e.sqlState(), e.serverMessage());
            close(what + ": " + e.serverMessage());
        });
    }

    /**
     * Gets a backend connection on the current writer with the session's state: waits for a
     * writer while there is none (a failover in progress), up to {@code writer-wait}; logs in
     * (or takes a pooled connection) with the session's user, schema and charset; replays the
     * session's settings. A node that cannot be reached is reported to the monitor and tried
     * again (the writer moves once the monitor sees it dead) until the same deadline. The
     * backend's own refusal (access denied, unknown database) or a failed replay goes to
     * {@code failed} at once. Both callbacks run on the session's event loop.
     */
    private void bindWriter(Consumer<BackendConnection> bound, Consumer<MysqlServerException> failed) {
        bind(false, bound, failed);
    }

    /**
     * As {@link #bindWriter}, or for a read ({@code forRead}): on the reader {@link ReaderChooser}
     * picks, the writer when no reader is left. A reader that cannot be reached is reported to
     * the monitor and another is picked, until the same deadline.
     */
    private void bind(boolean forRead, Consumer<BackendConnection> bound, Consumer<MysqlServerException> failed) {
        bind(forRead, takeStandby(forRead), bound, failed);
    }

    /** As above, with the standby connection taken already ({@code kept}, null when none fits). */
    private void bind(boolean forRead, BackendConnection kept, Consumer<BackendConnection> bound,
                      Consumer<MysqlServerException> failed) {
        if (kept != null) {
            // its settings as they were when it was set aside, and the statements prepared since
            List<String> settings = session.key().equals(kept.stateKey()) ? List.of() : session.replaySql();
            StateReplay.run(kept, settings, prepared, router.config().connectTimeout())
                    .whenComplete((conn, err) -> client.executor().execute(() -> {
                        if (err == null && state != State.CLOSED) {
                            conn.holds(session.schema(), session.key());
                            bound.accept(conn);
                            return;
                        }
                        kept.channel().close();
                        prepared.forget(kept);
                        if (state != State.CLOSED) {
                            bind(forRead, System.nanoTime() + router.config().writerWait().toNanos(), false, false,
                                    null, bound, failed);
                        }
                    }));
            return;
        }
        bind(forRead, System.nanoTime() + router.config().writerWait().toNanos(), false, false, null, bound, failed);
    }

    /** The standby connection, taken out of its slot, when it fits a bind for a read or for the writer. */
    private BackendConnection takeStandby(boolean forRead) {
        BackendConnection s = standby;
        if (s == null || !s.isOpen()) {
            return null;
        }
        BackendNode writer = router.writers().writer();
        boolean fits = forRead ? router.readerChooser().mayRead(router.writers().readers(), writer, s.node())
                : s.node().equals(writer);
        if (!fits) {
            return null;
        }
        standby = null;
        if (s.channel().pipeline().get(StandbyWatch.NAME) != null) {
            s.channel().pipeline().remove(StandbyWatch.NAME);
        }
        return s;
    }

    /**
     * Sets {@code conn} aside as the standby (a session with prepared statements switching
     * between reader and writer), replacing any other. It must be outside a transaction.
     */
    private void keepAsStandby(BackendConnection conn, boolean toWriter) {
        closeStandby();
        standby = conn;
        standbyToWriter = toWriter;
        conn.holds(session.schema(), session.key());
        conn.channel().pipeline().addLast(StandbyWatch.NAME, new StandbyWatch(conn));
    }

    private void closeStandby() {
        BackendConnection s = standby;
        standby = null;
        if (s != null) {
            prepared.forget(s);
            s.channel().close();
        }
    }

    /** A COM_STMT_CLOSE goes to the standby too (it has no answer): the statement must not outlive the session there. */
    private void closeOnStandby(ByteBuf close) {
        BackendConnection s = standby;
        if (s == null || close.readableBytes() < 5) {
            return;
        }
        int id = prepared.idOn(close.getIntLE(close.readerIndex() + 1), s);
        if (id > 0) {
            ByteBuf out = s.channel().alloc().buffer(5);
            out.writeByte(CommandType.COM_STMT_CLOSE.code()).writeIntLE(id);
            s.channel().writeAndFlush(new MysqlPacket(0, out));
        }
    }

    /** Watches the standby connection: lost, the slot empties. */
    private final class StandbyWatch extends ChannelInboundHandlerAdapter {
        static final String NAME = "standby";
        private final BackendConnection conn;

        StandbyWatch(BackendConnection conn) {
            this.conn = conn;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // nothing is asked of a standby connection
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (standby == conn) {
                standby = null;
            }
            prepared.forget(conn);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** {@code pause}: the previous attempt could not reach its node ({@code lastError}); wait a poll before the next. */
    private void bind(boolean forRead, long deadline, boolean waited, boolean pause, String lastError,
                      Consumer<BackendConnection> bound, Consumer<MysqlServerException> failed) {
        if (state == State.CLOSED) {
            return;
        }
        BackendNode writer = pause ? null : forRead
                ? router.readerChooser().choose(router.writers().readers(), router.writers().writer())
                : router.writers().writer();
        if (writer == null) {
            if (!waited) {
                router.metrics().writerWaits.increment();
            }
            if (System.nanoTime() - deadline >= 0) {
                router.metrics().writerWaitTimeouts.increment();
                String why = lastError != null ? lastError
                        : forRead ? "no Galera node can serve reads now" : "no Galera node can take writes now";
                failed.accept(new MysqlServerException(ErrorCodes.ER_UNKNOWN_ERROR.code(),
                        ErrorCodes.ER_UNKNOWN_ERROR.sqlState(), "sidecar DB router: " + why + " (waited "
                        + router.config().writerWait().toSeconds() + " s for a writer; see the sidecar's /status)"));
                return;
            }
            client.executor().schedule(() -> bind(forRead, deadline, true, false, lastError, bound, failed),
                    WRITER_POLL_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        BackendLoginRequest request = new BackendLoginRequest(login.username(), stage1, session.schema(),
                session.charset(), login.capabilities() & ROUTER_CAPABILITIES, login.connectAttributes());
        connector.lease(writer, request, session, prepared, client.channel().eventLoop())
                .whenComplete((conn, err) -> client.executor().execute(() -> {
                    if (err == null) {
                        if (state == State.CLOSED) {
                            conn.channel().close();
                        } else if (!forRead && !conn.node().equals(router.writers().writer())) {
                            // the writer moved while this session waited for a connection to the old one
                            conn.channel().close();
                            bind(false, deadline, true, false, lastError, bound, failed);
                        } else {
                            bound.accept(conn);
                        }
                        return;
                    }
                    Throwable cause = err instanceof CompletionException ? err.getCause() : err;
                    if (cause instanceof MysqlServerException e) {
                        LOG.info("[{}] backend {} refused the session: {}", id, writer.name(), e.getMessage());
                        failed.accept(e);
                        return;
                    }
                    String what = forRead ? "reader " : "writer ";
                    LOG.info("[{}] cannot reach {}{}: {}", id, what, writer.name(), cause.toString());
                    router.writers().connectionFailed(writer);
                    bind(forRead, deadline, true, true, "cannot reach " + what + writer.name() + ": " + cause.getMessage(),
                            bound, failed);
                }));
    }

    private void attach(BackendConnection conn) {
        attach(conn, true);
    }

    /** {@code forWriter}: bound for the writer's work; a read bound on the writer node counts as that too. */
    private void attach(BackendConnection conn, boolean forWriter) {
        backend = conn;
        boundToWriter = forWriter || conn.node().equals(router.writers().writer());
        router.readerChooser().bound(conn.node());
        tracker = new ResponseTracker(conn.capabilities(), conn.statusFlags());
        conn.channel().pipeline().addLast(BackendRelay.NAME, new BackendRelay());
    }

    // ---------------------------------------------------------------- command phase

    private void onCommand(MysqlPacket p) {
        ByteBuf payload = p.payload();
        if (!payload.isReadable()) {
            protocolError("empty command packet", p.nextSequenceId());
            return;
        }
        int code = payload.getUnsignedByte(payload.readerIndex());
        CommandType command = CommandType.of((byte) code);
        if (command == null) {
            router.metrics().protocolErrors.increment();
            sendError(p.nextSequenceId(), ErrorCodes.ER_UNKNOWN_COM_ERROR, "Unknown command 0x" + Integer.toHexString(code));
            close("unknown command 0x" + Integer.toHexString(code));
            return;
        }
        StatementKind kind = null;
        routing = null;
        switch (command) {
            case COM_QUIT -> {
                close(null);
                return;
            }
            case COM_PING -> {
                // answered here: an idle session's liveness check never depends on one backend
                ByteBuf out = client.alloc().buffer();
                new OkPacket(0, 0, statusFlags, 0).encode(out, login.capabilities());
                client.write(new MysqlPacket(p.nextSequenceId(), out));
                return;
            }
            case COM_CHANGE_USER -> {
                changeUser(p);
                return;
            }
            case COM_INIT_DB -> pendingSchema = payload.toString(payload.readerIndex() + 1,
                    payload.readableBytes() - 1, StandardCharsets.UTF_8);
            case COM_QUERY -> {
                Classification c = CLASSIFIER.classify(payload.toString(payload.readerIndex() + 1,
                        payload.readableBytes() - 1, StandardCharsets.UTF_8));
                pendingChanges = c.sessionChanges();
                kind = c.kind();
                pins.note(c);
                routing = c;
            }
            case COM_STMT_EXECUTE -> {
                prepared.noteTypes(payload); // sent once by the client, even if this execute never reaches a backend
                routing = prepared.classificationOf(payload);
                kind = routing == null ? null : routing.kind(); // a prepared COMMIT is a COMMIT
            }
            case COM_STMT_SEND_LONG_DATA -> longDataSent = true;
            case COM_RESET_CONNECTION -> pendingReset = true;
            case COM_BINLOG_DUMP, COM_BINLOG_DUMP_GTID, COM_TABLE_DUMP, COM_REGISTER_SLAVE -> {
                sendError(p.nextSequenceId(), ErrorCodes.ER_UNKNOWN_COM_ERROR,
                        "sidecar DB router: replication commands are not relayed; connect to a node directly");
                return;
            }
            default -> {
            }
        }
        BackendNode writer = router.writers().writer();
        if (backend != null && boundToWriter && !backend.node().equals(writer) && inTransaction()) {
            // the writer moved before this session heard of it: its transaction stays on the old node, cut
            BackendConnection old = backend;
            detach();
            old.channel().close();
            cutReason = "Galera node " + old.node().name() + " stopped being the writer";
            router.metrics().cutTransactions.increment();
        }
        if (cutReason != null) {
            answerCut(p, kind);
            return;
        }
        RoutingPolicy.Decision d = role == DbRole.WRITER ? RoutingPolicy.WRITER_ROLE
                : command == CommandType.COM_QUERY ? RoutingPolicy.query(role, routing, view())
                : command == CommandType.COM_STMT_EXECUTE ? RoutingPolicy.execute(role, routing, view())
                : RoutingPolicy.command(role, command, view());
        if (d.why() == RoutingPolicy.Why.WRITES_FOLLOW_READS) {
            learnedStarts++;
            router.metrics().splitWritesFollowReads.increment();
        } else if (d.why() == RoutingPolicy.Why.OPTIMISTIC && movedInARow >= LEARN_AFTER_MOVES) {
            learnedStarts++; // the probe: this one tries a reader again
        }
        if (d.why() == RoutingPolicy.Why.HINT_WRITER || d.why() == RoutingPolicy.Why.HINT_READER) {
            LOG.debug("[{}] routing hint: {} {} -> {}", id, command, kind, d.target());
        } else if (LOG.isTraceEnabled()) {
            LOG.trace("[{}] {} {} -> {}", id, command, kind, d);
        }
        switch (d.target()) {
            case WRITER -> {
                if (backend == null || !boundToWriter || !backend.node().equals(writer)) {
                    rebindThenDispatch(p.retain(), command, kind, false, false);
                    return;
                }
            }
            case READER -> {
                if (backend == null || (!inTransaction() && (boundToWriter
                        || !ReaderChooser.serves(router.writers().readers(), backend.node())))) {
                    rebindThenDispatch(p.retain(), command, kind, false, true);
                    return;
                }
            }
            case CURRENT -> {
                if (backend == null) {
                    rebindThenDispatch(p.retain(), command, kind, false, role != DbRole.WRITER);
                    return;
                }
                if (boundToWriter && !backend.node().equals(writer)) {
                    rebindThenDispatch(p.retain(), command, kind, false, false);
                    return;
                }
            }
            case MOVE_TO_WRITER -> {
                if (d.why() == RoutingPolicy.Why.REPLAY_BUDGET) {
                    router.metrics().splitPinned.increment();
                }
                moveToWriter(p.retain(), command, kind);
                return;
            }
            default -> throw new IllegalStateException("target " + d.target());
        }
        send(p, command, kind, false);
    }

    /** What {@link RoutingPolicy} needs to know about this session now. */
    private RoutingPolicy.Session view() {
        RoutingPolicy.Place place;
        if (!inTransaction() || backend == null) {
            place = RoutingPolicy.Place.NONE;
        } else if (boundToWriter) {
            place = RoutingPolicy.Place.WRITER;
        } else if (readOnlyTransaction) {
            place = RoutingPolicy.Place.READER_READ_ONLY;
        } else {
            place = RoutingPolicy.Place.READER; // without a log (never expected) a move answers 1213
        }
        var split = router.config().split();
        boolean room = replayLog == null || replayLog.hasRoom(split.maxReplayStatements(), split.maxReplayBytes());
        boolean onWriter = split.readYourWrites() == ReadYourWrites.WINDOW && lastWriteAt != 0
                && System.nanoTime() - lastWriteAt < split.writerWindow().toNanos();
        boolean learned = movedInARow >= LEARN_AFTER_MOVES && learnedStarts % PROBE_EVERY != PROBE_EVERY - 1;
        return new RoutingPolicy.Session(place, autocommit(), pins.pinned(), longDataSent, room, onWriter, learned);
    }

    /** Sends a command to the bound writer, with a commit marker where a loss would leave its outcome unknown. */
    private void send(MysqlPacket p, CommandType command, StatementKind kind, boolean retry) {
        if (!boundToWriter) {
            sendOnReader(p, command, kind);
            return;
        }
        if (command == CommandType.COM_STMT_BULK_EXECUTE || (command == CommandType.COM_STMT_EXECUTE && kind == null)
                || (kind != null && switch (kind) {
                    case INSERT, UPDATE, DELETE, REPLACE, LOAD_DATA, CALL, EXECUTE, DO, DDL, ACCOUNT, OTHER -> true;
                    default -> false;
                })) {
            pendingWrite = true; // read-your-writes: counted once the session is outside a transaction again
        }
        boolean markers = router.config().commitMarkers() && router.writers().resolvesCommits();
        if (markers && kind == StatementKind.COMMIT && transactionWrote && inTransaction()) {
            markerThenCommit(p);
        } else if (markers && !retry && router.config().wrapsAutocommitWrites() && wrapsAutocommitWrite(p, command, kind)) {
            wrapAutocommitWrite(p, command, kind);
        } else {
            dispatch(p, command, kind, false);
        }
    }

    /**
     * Sends a command to the session's reader. A statement of a transaction that may still move
     * to the writer goes into its replay log with its answer's digest; a read that may not see
     * the router's acknowledged writes yet (read-your-writes) runs as
     * {@code SET STATEMENT wsrep_sync_wait=1 FOR ...}, so the reader applies them first.
     */
    private void sendOnReader(MysqlPacket p, CommandType command, StatementKind kind) {
        Classification c = routing;
        boolean execute = command == CommandType.COM_STMT_EXECUTE;
        if ((command == CommandType.COM_QUERY || execute) && c != null) {
            boolean opens = !inTransaction() && (c.startsTransaction() || !autocommit());
            if (c.readOnlyTransaction() && !inTransaction()) {
                readOnlyTransaction = true;
            } else if (!readOnlyTransaction && (inTransaction() || opens) && kind != StatementKind.SET
                    && kind != StatementKind.USE) {
                if (replayLog == null && !inTransaction()) {
                    replayLog = new ReplayLog(kind == StatementKind.BEGIN);
                }
                if (replayLog != null) {
                    loggedPayload = new byte[p.payload().readableBytes()];
                    p.payload().getBytes(p.payload().readerIndex(), loggedPayload);
                    loggedDigest = new ResultDigest();
                }
            }
            if (kind == StatementKind.SELECT && !c.multiStatement() && (!inTransaction() || !readInTransaction)) {
                readInTransaction = inTransaction() || opens;
                var split = router.config().split();
                long write = split.global() ? router.fence().lastWrite() : lastWrite;
                if (split.readYourWrites() == ReadYourWrites.SYNC_WAIT
                        && router.fence().mustWait(backend.node().name(), write)) {
                    causalSince = router.fence().lastWrite();
                    router.metrics().causalReads.increment();
                    if (execute) {
                        barrierThenDispatch(p.retain(), command, kind);
                        return;
                    }
                    MysqlPacket checked = causal(p);
                    try {
                        dispatch(checked, command, kind, false);
                    } finally {
                        checked.release();
                    }
                    return;
                }
            } else if (kind == StatementKind.SELECT) {
                readInTransaction = true;
            }
        }
        dispatch(p, command, kind, false);
    }

    private static final String CAUSAL_BARRIER = "SET STATEMENT wsrep_sync_wait=1 FOR SELECT 1";

    /**
     * A prepared read cannot carry {@code SET STATEMENT}: a causality-checked {@code SELECT 1}
     * goes first on the same connection, then the execute ({@code p}, owned here). A reader
     * that cannot catch up in Galera's causal-read timeout answers the execute 1205.
     */
    private void barrierThenDispatch(MysqlPacket p, CommandType command, StatementKind kind) {
        BackendConnection conn = backend;
        long since = causalSince;
        causalSince = -1;
        detach(); // the barrier's answer is not the client's
        state = State.CONNECTING;
        StateReplay.run(conn, List.of(CAUSAL_BARRIER), prepared, router.config().writerWait())
                .whenComplete((c, err) -> client.executor().execute(() -> {
                    try {
                        if (state == State.CLOSED) {
                            conn.channel().close();
                            return;
                        }
                        if (err != null) {
                            conn.channel().close();
                            prepared.forget(conn);
                            loggedDigest = null;
                            loggedPayload = null;
                            String why = "reader " + conn.node().name() + " did not apply this router's acknowledged "
                                    + "writes in time (" + err.getMessage() + ")";
                            if (inTransaction()) {
                                // its transaction was on that connection: gone with it
                                statusFlags &= ~ServerStatus.SERVER_STATUS_IN_TRANS;
                                forgetTransaction();
                                router.metrics().cutTransactions.increment();
                                sendError(p.nextSequenceId(), ErrorCodes.ER_LOCK_DEADLOCK.code(),
                                        ErrorCodes.ER_LOCK_DEADLOCK.sqlState(), deadlockMessage(why));
                            } else {
                                sendError(p.nextSequenceId(), ErrorCodes.ER_LOCK_WAIT_TIMEOUT.code(),
                                        ErrorCodes.ER_LOCK_WAIT_TIMEOUT.sqlState(), "sidecar DB router: " + why);
                            }
                            state = State.IDLE;
                            client.read();
                            return;
                        }
                        attach(conn, false);
                        router.fence().proven(conn.node().name(), since);
                        dispatch(p, command, kind, false);
                        backend.channel().flush();
                    } finally {
                        p.release();
                    }
                }));
    }

    private static final byte[] CAUSAL_PREFIX = "SET STATEMENT wsrep_sync_wait=1 FOR ".getBytes(StandardCharsets.US_ASCII);

    /** The query with a causality check in front; the packet is new, the caller's stays as it was. */
    private MysqlPacket causal(MysqlPacket p) {
        ByteBuf in = p.payload();
        ByteBuf out = client.alloc().buffer(in.readableBytes() + CAUSAL_PREFIX.length);
        out.writeByte(in.getByte(in.readerIndex()));
        out.writeBytes(CAUSAL_PREFIX);
        out.writeBytes(in, in.readerIndex() + 1, in.readableBytes() - 1);
        return new MysqlPacket(p.sequenceId(), out);
    }

    /**
     * The session's transaction ran on a reader and reached a statement only the writer may
     * run: its reader side is rolled back (the connection reset and given back), its statements
     * run again on the writer and their answers compared ({@link TransactionReplay}). The same:
     * {@code p} runs on the writer and the client never knows. Different: a concurrent write
     * changed what the transaction read, so it must not go on: the client gets 1213 for
     * {@code p}, which oslo.db retries as a deadlock. {@code p} is owned here.
     */
    private void moveToWriter(MysqlPacket p, CommandType command, StatementKind kind) {
        ReplayLog log = replayLog;
        replayLog = null;
        readInTransaction = false;
        BackendConnection reader = backend;
        String readerName = reader.node().name();
        detach();
        if (prepared.size() > 0) {
            // ROLLBACK, and the reader connection kept with its statements for the next read
            StateReplay.run(reader, List.of("ROLLBACK"), prepared, router.config().connectTimeout())
                    .whenComplete((c, e) -> client.executor().execute(() -> {
                        if (e == null && state != State.CLOSED && standby == null
                                && router.writers().readers().contains(reader.node())) {
                            keepAsStandby(reader, false);
                        } else {
                            reader.channel().close();
                            prepared.forget(reader);
                        }
                    }));
        } else {
            release(reader); // COM_RESET_CONNECTION rolls the reader side back
        }
        state = State.CONNECTING;
        bind(false, conn -> {
            if (log == null) {
                conn.channel().close();
                movedAndRefused(p, "Galera node " + readerName + " held a transaction the router could not move");
                return;
            }
            TransactionReplay.run(conn, log, autocommit(), router.config().writerWait(), prepared)
                    .whenComplete((outcome, err) -> client.executor().execute(() -> {
                        if (state == State.CLOSED) {
                            conn.channel().close();
                            p.release();
                            return;
                        }
                        if (err != null) {
                            router.metrics().splitMoveFailed.increment();
                            LOG.info("[{}] moving a transaction from reader {} to the writer failed: {}", id,
                                    readerName, err.toString());
                            conn.channel().close();
                            movedAndRefused(p, "the writer was lost while the transaction moved to it from "
                                    + readerName);
                            return;
                        }
                        if (!outcome.same()) {
                            router.metrics().splitMovedConflict.increment();
                            movedInARow++;
                            LOG.debug("[{}] a transaction moved from reader {} read something else on the writer "
                                    + "(statement {}: {}): answered 1213", id, readerName, outcome.statements(),
                                    outcome.differedAt());
                            conn.holds(session.schema(), session.key());
                            PooledIdleHandler.resetAndPark(conn, router.backends(), router.config().connectTimeout());
                            movedAndRefused(p, "what this transaction read on " + readerName + " changed before its "
                                    + "first write (read/write split)");
                            return;
                        }
                        router.metrics().splitMovedClean.increment();
                        movedInARow++;
                        attach(conn, true);
                        statusFlags = conn.statusFlags();
                        readInTransaction = true;
                        try {
                            send(p, command, kind, false);
                            backend.channel().flush();
                        } finally {
                            p.release();
                        }
                    }));
        }, e -> {
            router.metrics().splitMoveFailed.increment();
            movedAndRefused(p, e.serverMessage());
        });
    }

    /** The moved transaction cannot go on: rolled back, and {@code p} (released here) gets 1213. */
    private void movedAndRefused(MysqlPacket p, String why) {
        try {
            statusFlags &= ~ServerStatus.SERVER_STATUS_IN_TRANS;
            transactionWrote = false;
            pendingWrite = false;
            forgetTransaction();
            pendingChanges = List.of();
            pendingSchema = null;
            pendingReset = false;
            sendError(p.nextSequenceId(), ErrorCodes.ER_LOCK_DEADLOCK.code(), ErrorCodes.ER_LOCK_DEADLOCK.sqlState(),
                    deadlockMessage(why));
            endOfCommand();
            state = State.IDLE;
            client.read();
        } finally {
            p.release();
        }
    }

    /**
     * An autocommit INSERT, UPDATE, DELETE or REPLACE (text or prepared) commits on its own: lost
     * in flight, nobody could tell whether it did. So the router runs it inside a transaction of
     * its own, BEGIN, the write, the commit marker, COMMIT, and answers with the write's own
     * answer once the COMMIT is; cut at the COMMIT, the marker says. Three more round trips per
     * such write. Not for statements with RETURNING (their answer is a result set).
     */
    private boolean wrapsAutocommitWrite(MysqlPacket p, CommandType command, StatementKind kind) {
        if (inTransaction() || !autocommit() || longDataSent || kind == null
                || (command != CommandType.COM_QUERY && command != CommandType.COM_STMT_EXECUTE)) {
            return false;
        }
        boolean write = switch (kind) {
            case INSERT, UPDATE, DELETE, REPLACE -> true;
            default -> false;
        };
        if (!write) {
            return false;
        }
        return command != CommandType.COM_QUERY || !containsIgnoringCase(p.payload(), RETURNING);
    }

    private static final byte[] RETURNING = "RETURNING".getBytes(StandardCharsets.US_ASCII);

    /** A byte scan, not a decoded string: a 40 MiB INSERT of a blob must not cost a 40 MiB String and its upper case. */
    static boolean containsIgnoringCase(ByteBuf b, byte[] upperAscii) {
        int end = b.writerIndex() - upperAscii.length;
        for (int i = b.readerIndex(); i <= end; i++) {
            int j = 0;
            while (j < upperAscii.length && (b.getByte(i + j) & 0xDF) == upperAscii[j]) {
                j++;
            }
            if (j == upperAscii.length) {
                return true;
            }
        }
        return false;
    }

    private void wrapAutocommitWrite(MysqlPacket p, CommandType command, StatementKind kind) {
        wrapWrite = p.retain(); // never modified: each sending is a retained duplicate
        wrapCommand = command;
        wrapKind = kind;
        if (certAttempts == null && router.certification().eligible(command, kind, false, true,
                p.payload().readableBytes(), false)) {
            certAttempts = router.certification().start();
        }
        inFlightNextSeq = p.nextSequenceId();
        wrapStep(WrapPhase.BEGIN, "BEGIN");
    }

    /** Sends one of the wrap's own statements; a loss before the COMMIT's answer is judged by {@link LostBackend}. */
    private void wrapStep(WrapPhase phase, String sql) {
        wrapPhase = phase;
        inFlightCommand = CommandType.COM_QUERY;
        // lost before the COMMIT went out, nothing committed: 1213 is the truth; lost in the COMMIT, the marker tells
        inFlightKind = phase == WrapPhase.COMMIT ? StatementKind.COMMIT
                : phase == WrapPhase.ROLLBACK ? StatementKind.ROLLBACK : StatementKind.INSERT;
        inFlightInTransaction = true; // from BEGIN on, the write counts as inside the router's transaction
        inFlightRetried = false;
        responseStarted = false;
        responsePacketSeen = false;
        tracker.begin(CommandType.COM_QUERY);
        byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        ByteBuf out = backend.channel().alloc().buffer(1 + bytes.length);
        out.writeByte(CommandType.COM_QUERY.code()).writeBytes(bytes);
        backend.channel().writeAndFlush(new MysqlPacket(0, out));
        state = State.IN_COMMAND;
        backend.channel().read();
    }

    /** A packet of the wrap's current step. */
    private void wrapAnswered(MysqlPacket p) {
        ResponseTracker.Progress progress = track(p);
        if (progress == null) {
            return;
        }
        if (wrapPhase == WrapPhase.WRITE) {
            wrapAnswer.add(p.retain());
        }
        if (progress != ResponseTracker.Progress.COMPLETE) {
            backend.channel().read();
            return;
        }
        int error = tracker.lastErrorCode();
        switch (wrapPhase) {
            case BEGIN -> {
                if (error != 0) {
                    wrapEnd(p.retain(), 0); // BEGIN refused: that is the write's answer, nothing ran
                    return;
                }
                wrapPhase = WrapPhase.WRITE;
                inFlightCommand = wrapCommand;
                inFlightKind = StatementKind.INSERT;
                inFlightInTransaction = true;
                tracker.begin(wrapCommand);
                ByteBuf translated = prepared.toBackend(wrapCommand, wrapWrite.payload(), client.alloc(), backend);
                MysqlPacket w = wrapWrite.retainedDuplicate();
                backend.channel().writeAndFlush(translated == wrapWrite.payload() ? w
                        : new MysqlPacket(wrapWrite.sequenceId(), translated));
                if (translated != wrapWrite.payload()) {
                    w.release();
                }
                router.metrics().statement(wrapCommand, backend.node().name());
                backend.channel().read();
            }
            case WRITE -> {
                if (error == ErrorCodes.ER_LOCK_DEADLOCK.code()) {
                    wrapConflictOrEnd(p); // a deadlock or brute-force abort rolled the transaction back already
                    return;
                }
                if (error != 0) {
                    wrapStep(WrapPhase.ROLLBACK, "ROLLBACK"); // the write's error goes out after it
                    return;
                }
                markerId = markerPrefix + "-" + (++markers);
                wrapStep(WrapPhase.MARKER, ossidecar.db.galera.CommitMarkerTable.insertSql(markerId));
            }
            case MARKER -> {
                if (error != 0 && !MARKER_REFUSED.contains(error)) {
                    wrapConflictOrEnd(p); // the transaction died at the marker: the write did not happen
                    return;
                }
                markerWritten = error == 0;
                wrapStep(WrapPhase.COMMIT, "COMMIT");
            }
            case COMMIT -> {
                if (error != 0) {
                    wrapConflictOrEnd(p); // refused at COMMIT (certification): the write did not happen
                    return;
                }
                wrapEnd(null, tracker.statusFlags());
            }
            case ROLLBACK -> wrapEnd(null, tracker.statusFlags());
            default -> throw new IllegalStateException("wrap phase " + wrapPhase);
        }
    }

    /** The wrap's transaction died with 1213: sent again after a backoff when the certification retry allows. */
    private void wrapConflictOrEnd(MysqlPacket err) {
        if (certAttempts != null && CertificationRetry.isConflict(err.payload())) {
            long delay = certAttempts.conflicted();
            if (delay >= 0) {
                router.metrics().certificationRetried.increment();
                dropWrapAnswer();
                markerWritten = false;
                BackendConnection conn = backend;
                certRetryPending = true;
                client.executor().schedule(() -> {
                    if (!certRetryPending || state != State.IN_COMMAND || backend != conn || wrapWrite == null) {
                        return;
                    }
                    certRetryPending = false;
                    wrapStep(WrapPhase.BEGIN, "BEGIN");
                }, delay, TimeUnit.MILLISECONDS);
                return;
            }
            router.metrics().certificationExhausted.increment();
        }
        dropWrapAnswer();
        wrapEnd(err.retain(), 0);
    }

    /**
     * Ends the wrap: the client gets {@code error} (owned here) if given, else the write's held
     * answer, its OK's status flags set to what the server said after the COMMIT or ROLLBACK.
     */
    private void wrapEnd(MysqlPacket error, int statusAfter) {
        if (statusAfter != 0) {
            statusFlags = statusAfter;
            backend.statusFlags(statusAfter);
        } else {
            statusFlags &= ~ServerStatus.SERVER_STATUS_IN_TRANS;
        }
        writeSettled();
        if (error != null) {
            dropWrapAnswer();
            holdForNext = false;
            client.write(new MysqlPacket(inFlightNextSeq, error.payload()));
        } else {
            sendWrapAnswer();
        }
        endOfCommand();
        pendingChanges = List.of();
        pendingSchema = null;
        pendingReset = false;
        state = State.IDLE;
        maybeGiveBackendBack();
        client.flush();
        client.read();
    }

    /** The write's held answer to the client, an OK's status flags made those of a statement outside a transaction. */
    private void sendWrapAnswer() {
        for (int i = 0; i < wrapAnswer.size(); i++) {
            MysqlPacket a = wrapAnswer.get(i);
            if (i == wrapAnswer.size() - 1 && a.payload().isReadable()
                    && a.payload().getUnsignedByte(a.payload().readerIndex()) == OkPacket.HEADER) {
                holdForNext = answerMayBeAskedFor(a.payload());
                OkPacket.patchStatusFlags(a.payload(), backend == null ? login.capabilities() : backend.capabilities(),
                        statusFlags & ~ServerStatus.SERVER_STATUS_IN_TRANS);
            }
            client.write(a);
        }
        wrapAnswer.clear();
    }

    private void dropWrapAnswer() {
        wrapAnswer.forEach(MysqlPacket::release);
        wrapAnswer.clear();
    }

    private void endWrap() {
        wrapPhase = WrapPhase.NONE;
        dropWrapAnswer();
        if (wrapWrite != null) {
            wrapWrite.release();
            wrapWrite = null;
        }
    }

    /**
     * Inserts the transaction's commit marker, then sends the client's COMMIT: if the writer is
     * lost before the COMMIT's answer, the marker tells whether it committed. The marker's own
     * answer never reaches the client; an error that ended the transaction (a deadlock, a
     * certification failure) answers the COMMIT instead.
     */
    private void markerThenCommit(MysqlPacket commit) {
        markerId = markerPrefix + "-" + (++markers);
        pendingCommit = commit.retain();
        pendingCommitCommand = CommandType.of((byte) commit.payload().getUnsignedByte(commit.payload().readerIndex()));
        markerPhase = true;
        inFlightCommand = CommandType.COM_QUERY;
        inFlightKind = StatementKind.INSERT; // lost here, the COMMIT was never sent: 1213 is the truth
        inFlightNextSeq = commit.nextSequenceId();
        inFlightInTransaction = true;
        inFlightRetried = false;
        responseStarted = false;
        responsePacketSeen = false;
        tracker.begin(CommandType.COM_QUERY);
        byte[] sql = ossidecar.db.galera.CommitMarkerTable.insertSql(markerId).getBytes(StandardCharsets.UTF_8);
        ByteBuf out = backend.channel().alloc().buffer(1 + sql.length);
        out.writeByte(CommandType.COM_QUERY.code()).writeBytes(sql);
        backend.channel().write(new MysqlPacket(0, out));
        state = State.IN_COMMAND;
        backend.channel().read();
    }

    /** Feeds a backend packet to the response tracker; null (and the session closed) when it is out of sync. */
    private ResponseTracker.Progress track(MysqlPacket p) {
        try {
            return tracker.onPacket(p.payload());
        } catch (MysqlProtocolException e) {
            LOG.warn("[{}] backend {} out of sync: {}", id, backend, e.getMessage());
            close("backend out of sync");
            return null;
        }
    }

    /** The marker's answer: on OK the COMMIT goes; on a refusal too, without a marker; else it answers the COMMIT. */
    private void markerAnswered(MysqlPacket p) {
        ResponseTracker.Progress progress = track(p);
        if (progress != ResponseTracker.Progress.COMPLETE) {
            return;
        }
        markerPhase = false;
        statusFlags = tracker.statusFlags();
        MysqlPacket commit = pendingCommit;
        pendingCommit = null;
        int error = tracker.lastErrorCode();
        try {
            if (error == 0 || MARKER_REFUSED.contains(error)) {
                if (error != 0 && !markerRefusalLogged) {
                    markerRefusalLogged = true;
                    LOG.warn("[{}] user '{}' may not write commit markers (error {}): its COMMITs cut by a failover "
                            + "end the connection instead of being resolved; GRANT INSERT ON {} TO that user", id,
                            login.username(), error, ossidecar.db.galera.CommitMarkerTable.TABLE);
                }
                dispatch(commit, pendingCommitCommand, StatementKind.COMMIT, false);
                markerWritten = error == 0;
                backend.channel().flush();
                return;
            }
            // the transaction died at the marker (deadlock, certification): that is the COMMIT's answer
            client.write(new MysqlPacket(commit.nextSequenceId(), p.payload().retain()));
            if (!inTransaction()) {
                transactionWrote = false;
            }
            endOfCommand();
            state = State.IDLE;
            client.flush();
            client.read();
        } finally {
            commit.release();
        }
    }

    /** Sends a command to the bound backend and remembers what a loss in flight would need. */
    private void dispatch(MysqlPacket p, CommandType command, StatementKind kind, boolean retry) {
        inFlightCommand = command;
        inFlightKind = kind;
        inFlightNextSeq = p.nextSequenceId();
        inFlightInTransaction = inTransaction();
        inFlightRetried = retry;
        responseStarted = false;
        responsePacketSeen = false;
        dropHeldResponse();
        releaseRetryCopy();
        if (!inFlightInTransaction && !retry && LostBackend.decide(new LostBackend.Situation(true, false, false,
                autocommit(), command, kind, false)) == LostBackend.Action.RETRY) {
            retryCopy = p.copy(); // small: a query's text; released at the first response byte
        }
        if (mayWrite(command, kind) && (inTransaction() || !autocommit())) {
            transactionWrote = true;
        }
        if (certAttempts == null && router.certification().eligible(command, kind, inFlightInTransaction, autocommit(),
                p.payload().readableBytes(), longDataSent)) {
            certAttempts = router.certification().start();
            certCopy = p.copy();
        }
        if (command == CommandType.COM_STMT_EXECUTE) {
            longDataSent = false;
        }
        preparingSql = null;
        if (command == CommandType.COM_STMT_PREPARE) {
            preparingSql = new byte[p.payload().readableBytes() - 1];
            p.payload().getBytes(p.payload().readerIndex() + 1, preparingSql);
        }
        router.metrics().statement(command, backend.node().name());
        ResponseTracker.Progress progress = tracker.begin(command);
        if (command == CommandType.COM_STMT_CLOSE) {
            closeOnStandby(p.payload());
        }
        ByteBuf translated = prepared.toBackend(command, p.payload(), client.alloc(), backend);
        backend.channel().write(translated == p.payload() ? p.retain() : new MysqlPacket(p.sequenceId(), translated));
        if (progress != ResponseTracker.Progress.COMPLETE) {
            state = State.IN_COMMAND;
            backend.channel().read();
        } else {
            endOfCommand();
        }
    }

    /**
     * The session has no backend on the writer (lost, or the writer moved): binds to the writer,
     * then sends {@code p} (owned here). When no writer comes in time, {@code p} is answered with
     * the error and the session goes on.
     */
    private void rebindThenDispatch(MysqlPacket p, CommandType command, StatementKind kind, boolean retry,
                                    boolean forRead) {
        BackendConnection reuse = takeStandby(forRead); // before the connection left behind becomes the standby
        BackendConnection old = backend;
        if (old != null) {
            detach();
            BackendNode writer = router.writers().writer();
            boolean healthy = boundToWriter ? old.node().equals(writer)
                    : router.writers().readers().contains(old.node());
            if (healthy && !inTransaction() && !pins.pinned() && prepared.size() == 0) {
                // a switch between reader and writer: the connection goes back to its node's pool as it is
                old.holds(session.schema(), session.key());
                PooledIdleHandler.park(old, router.backends());
            } else if (healthy && !inTransaction() && !pins.pinned() && role != DbRole.WRITER) {
                keepAsStandby(old, boundToWriter); // its prepared statements, for the switch back
            } else {
                // the writer moved while the session was idle: never write to the old node again
                old.channel().close();
                prepared.forget(old);
            }
        }
        if (!session.replayable()) {
            LOG.warn("[{}] the session set more than {} distinct settings: another backend cannot be given its "
                    + "state, so it is closed instead of moved", id, SessionState.MAX_SETTINGS);
            p.release();
            if (reuse != null) {
                reuse.channel().close();
            }
            close("session state too large to replay");
            return;
        }
        state = State.CONNECTING;
        boolean voluntary = released;
        released = false;
        bind(forRead, reuse, conn -> {
            attach(conn, !forRead);
            if (voluntary) {
                router.metrics().leases.increment();
            } else {
                router.metrics().reconnects.increment();
                LOG.info("[{}] session moved to writer {}{}", id, conn.node().name(),
                        retry ? "; the cut statement is sent again" : "");
            }
            try {
                send(p, command, kind, retry);
                backend.channel().flush();
            } finally {
                p.release();
            }
        }, e -> {
            try {
                sendError(p.nextSequenceId(), e.errorCode(), e.sqlState(), e.serverMessage());
                state = State.IDLE;
                endOfCommand();
                client.read();
            } finally {
                p.release();
            }
        });
    }

    /** A prepare-OK (0x00, id, columns, params) names the statement as the client will know it. */
    private void preparedAnswer(ByteBuf payload) {
        int at = payload.readerIndex();
        if (payload.readableBytes() >= 9 && payload.getUnsignedByte(at) == 0) {
            int backendId = payload.getIntLE(at + 1);
            Classification c = CLASSIFIER.classify(new String(preparingSql, StandardCharsets.UTF_8));
            int clientId = prepared.prepared(preparingSql, payload.getUnsignedShortLE(at + 7), backendId, c, backend);
            if (clientId != backendId) {
                payload.setIntLE(at + 1, clientId);
            }
        }
        preparingSql = null;
    }

    /** The session's transaction died with its node: this statement gets 1213 (a ROLLBACK gets OK). */
    private void answerCut(MysqlPacket p, StatementKind kind) {
        String why = cutReason;
        cutReason = null;
        forgetTransaction();
        statusFlags &= ~ServerStatus.SERVER_STATUS_IN_TRANS;
        pendingChanges = List.of();
        pendingSchema = null;
        pendingReset = false;
        if (kind == StatementKind.ROLLBACK) {
            sendOk(p.nextSequenceId());
            return;
        }
        sendError(p.nextSequenceId(), ErrorCodes.ER_LOCK_DEADLOCK.code(), ErrorCodes.ER_LOCK_DEADLOCK.sqlState(),
                deadlockMessage(why));
    }

    /** oslo.db recognises a deadlock by code 1213 and this message's start; the rest says what happened. */
    static String deadlockMessage(String why) {
        return "Deadlock found when trying to get lock; try restarting transaction (sidecar DB router: " + why
                + "; the transaction was rolled back)";
    }

    /** Statements after which a COMMIT may have something to lose: writes, and prepared or SQL-level executes. */
    private static boolean mayWrite(CommandType command, StatementKind kind) {
        if (command == CommandType.COM_STMT_EXECUTE || command == CommandType.COM_STMT_BULK_EXECUTE) {
            return true;
        }
        return command == CommandType.COM_QUERY && kind != null && switch (kind) {
            case INSERT, UPDATE, DELETE, REPLACE, LOAD_DATA, CALL, EXECUTE, DO -> true;
            default -> false;
        };
    }

    private boolean inTransaction() {
        return (statusFlags & ServerStatus.SERVER_STATUS_IN_TRANS) != 0;
    }

    private boolean autocommit() {
        return (statusFlags & ServerStatus.SERVER_STATUS_AUTOCOMMIT) != 0;
    }

    /** The held part of the response goes to the client: from now on a loss cannot be answered cleanly. */
    private void releaseHeldResponse() {
        responseStarted = true;
        releaseRetryCopy();
        while (!heldResponse.isEmpty()) {
            client.write(heldResponse.poll());
        }
        heldResponseBytes = 0;
    }

    private void dropHeldResponse() {
        heldResponse.forEach(MysqlPacket::release);
        heldResponse.clear();
        heldResponseBytes = 0;
    }

    /**
     * The autocommit write in flight was refused with 1213 (Galera certification): it did not
     * run, and goes to the same backend again after {@code delayMillis}. Lost meanwhile, it is
     * answered 1213 by {@link #backendLost} (not run, so safe to retry).
     */
    private void sendAgainAfterConflict(long delayMillis) {
        router.metrics().certificationRetried.increment();
        certRetryPending = true;
        BackendConnection conn = backend;
        CertificationRetry.Attempts attempts = certAttempts;
        client.executor().schedule(() -> {
            if (!certRetryPending || state != State.IN_COMMAND || backend != conn || certAttempts != attempts) {
                return; // lost or closed meanwhile, and answered there
            }
            certRetryPending = false;
            MysqlPacket again = certCopy.retainedDuplicate();
            try {
                dispatch(again, inFlightCommand, inFlightKind, false);
                backend.channel().flush();
            } catch (RuntimeException e) {
                LOG.warn("[{}] sending an autocommit write again after 1213 failed: closing the session", id, e);
                close("certification retry failed");
            } finally {
                again.release();
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void endCertificationRetry() {
        if (certAttempts != null) {
            if (certAttempts.conflicts() > 0 && tracker != null && tracker.lastErrorCode() == 0) {
                router.metrics().certificationSucceeded.increment();
            }
            certAttempts.answered();
            certAttempts = null;
        }
        if (certCopy != null) {
            certCopy.release();
            certCopy = null;
        }
        certRetryPending = false;
    }

    /**
     * Splitting's bookkeeping once a statement's answer is complete: its digest into the replay
     * log, the reader proven for read-your-writes, and at the end of a transaction, the log
     * dropped and a write counted.
     */
    private void afterStatement(int error) {
        if (loggedDigest != null) {
            loggedDigest.error(error);
            if (replayLog != null) {
                replayLog.add(loggedPayload, loggedDigest.finish());
            }
            loggedDigest = null;
            loggedPayload = null;
        }
        if (causalSince >= 0) {
            if (error == 0) {
                router.fence().proven(backend.node().name(), causalSince);
            }
            causalSince = -1;
        }
        if (!inTransaction()) {
            if (!boundToWriter && inFlightInTransaction && (replayLog != null || readOnlyTransaction)) {
                router.metrics().splitStayedOnReader.increment();
                if (!readOnlyTransaction) {
                    movedInARow = 0; // it only read: starting on a reader paid off
                }
            }
            forgetTransaction();
            writeSettled();
        }
    }

    /** The session is outside a transaction: nothing of one is kept for a move. */
    private void forgetTransaction() {
        replayLog = null;
        readOnlyTransaction = false;
        readInTransaction = false;
    }

    /** Outside a transaction after a write: the write is counted before its answer is flushed to the client. */
    private void writeSettled() {
        if (pendingWrite && !inTransaction()) {
            pendingWrite = false;
            lastWrite = router.fence().writeCommitted();
            lastWriteAt = System.nanoTime();
        }
    }

    private void endOfCommand() {
        loggedDigest = null;
        loggedPayload = null;
        causalSince = -1;
        endWrap();
        endCertificationRetry();
        dropHeldResponse();
        responsePacketSeen = false;
        inFlightCommand = null;
        inFlightKind = null;
        markerWritten = false;
        releaseRetryCopy();
    }

    private void releaseRetryCopy() {
        if (retryCopy != null) {
            retryCopy.release();
            retryCopy = null;
        }
    }

    /** During LOCAL INFILE the client streams the file; those packets go straight to the backend. */
    private void onClientDataDuringCommand(MysqlPacket p) {
        if (awaitingClient()) {
            backend.channel().write(p.retain());
            backend.channel().read();
        } else {
            // a pipelined command before the response ended: not supported by MariaDB's protocol either
            protocolError("command sent before the previous response ended", p.nextSequenceId());
        }
    }

    private boolean awaitingClient() {
        return tracker != null && tracker.progress() == ResponseTracker.Progress.AWAITING_CLIENT;
    }

    private void fromBackend(MysqlPacket p) {
        if (state != State.IN_COMMAND) {
            LOG.warn("[{}] backend {} sent a packet while idle: closing the session", id, backend);
            close("unsolicited backend packet");
            return;
        }
        if (!responsePacketSeen && NodeRefusal.refusedByNode(p.payload())) {
            // the node left the cluster (a clean stop, a partition): not this statement's fault
            refusedByNode = true;
            refusal = NodeRefusal.describe(p.payload());
            backend.channel().close(); // channelInactive runs backendLost
            return;
        }
        if (markerPhase) {
            markerAnswered(p);
            return;
        }
        if (wrapPhase != WrapPhase.NONE) {
            wrapAnswered(p);
            return;
        }
        if (!responsePacketSeen && certAttempts != null && CertificationRetry.isConflict(p.payload())) {
            long delay = certAttempts.conflicted();
            if (delay >= 0) {
                if (track(p) == null) {
                    return; // out of sync: closed
                }
                sendAgainAfterConflict(delay); // the ERR ended the response: the tracker is ready for the next
                return;
            }
            router.metrics().certificationExhausted.increment();
            LOG.info("[{}] an autocommit write was refused with 1213 by Galera {} times: the client gets the 1213",
                    id, certAttempts.conflicts());
        }
        ResponseTracker.Progress progress = track(p);
        if (progress == null) {
            return;
        }
        if (loggedDigest != null && tracker.lastPacketWasResultData()) {
            loggedDigest.data(p.payload());
        }
        if (!responsePacketSeen) {
            responsePacketSeen = true;
            if (preparingSql != null) {
                preparedAnswer(p.payload());
            }
        }
        if (!responseStarted && progress == ResponseTracker.Progress.IN_PROGRESS
                && heldResponseBytes + p.payload().readableBytes() <= HOLD_RESPONSE_BYTES) {
            // a small response goes to the client whole: lost half way, it can still be answered cleanly
            heldResponse.add(p.retain());
            heldResponseBytes += p.payload().readableBytes();
            return;
        }
        boolean askable = progress == ResponseTracker.Progress.COMPLETE && answerMayBeAskedFor(p.payload());
        releaseHeldResponse();
        client.write(p.retain());
        if (progress == ResponseTracker.Progress.COMPLETE) {
            backend.statusFlags(tracker.statusFlags());
            statusFlags = tracker.statusFlags();
            if (!inTransaction()) {
                transactionWrote = false;
            }
            afterStatement(tracker.lastErrorCode());
            endOfCommand();
            if (tracker.lastErrorCode() == 0) {
                if (pendingSchema != null) {
                    session.schema(pendingSchema);
                }
                if (pendingReset) {
                    // COM_RESET_CONNECTION keeps the schema and drops everything else
                    session = new SessionState(session.schema(), session.charset());
                    prepared = new PreparedStatements();
                    closeStandby(); // its settings and statements are the old session's
                    pins.clear();
                }
                session.apply(pendingChanges);
            }
            pendingSchema = null;
            pendingReset = false;
            pendingChanges = List.of();
            state = State.IDLE;
            holdForNext = askable;
            maybeGiveBackendBack();
            client.flush();
            client.read();
        } else if (progress == ResponseTracker.Progress.AWAITING_CLIENT) {
            client.flush();
            client.read();
        }
    }

    private void changeUser(MysqlPacket p) {
        ComChangeUser change = ComChangeUser.decode(p.payload(), login.capabilities());
        FrontendAuth.Result r = router.auth().check(change.username(), seed, change.authResponse());
        if (!r.ok()) {
            router.metrics().authFailures.increment();
            sendError(p.nextSequenceId(), ErrorCodes.ER_ACCESS_DENIED_ERROR, "Access denied for user '"
                    + change.username() + "'@'" + clientHost() + "' (using password: YES)");
            close("change user refused");
            return;
        }
        // A fresh backend login as the new user: simpler and safer than relaying the change.
        FrontendAuth.wipe(stage1);
        stage1 = r.stage1();
        login = new HandshakeResponse41(login.capabilities(), login.maxPacketSize(), change.charset(), change.username(),
                new byte[0], change.database(), NativePassword.PLUGIN_NAME, login.connectAttributes());
        session = new SessionState(change.database(), change.charset());
        prepared = new PreparedStatements();
        pins.clear();
        closeStandby();
        BackendConnection old = backend;
        detach();
        if (old != null) {
            old.channel().close();
        }
        released = false;
        connectToWriter(p.nextSequenceId(), "change user");
    }

    // ---------------------------------------------------------------- ending

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        router.metrics().sessions.decrementAndGet();
        if (state != State.CLOSED) {
            close(null);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && backendReadPaused && backend != null) {
            backendReadPaused = false;
            backend.channel().read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("[{}] client connection error: {}", id, cause.toString());
        close("client error");
    }

    /**
     * The bound backend connection closed (node died, socket reset, or the router closed it
     * because its node is no longer the writer): {@link LostBackend} decides what the client sees.
     */
    private void backendLost(BackendConnection conn) {
        if (conn != backend || state == State.CLOSED) {
            return;
        }
        prepared.forget(conn);
        boolean nodeFault = !leavingOldWriter;
        boolean readerLost = leavingReader;
        leavingOldWriter = false;
        leavingReader = false;
        detach();
        if (nodeFault && !readerLost) {
            router.writers().connectionFailed(conn.node());
        }
        String why = readerLost ? "the monitor lost Galera node " + conn.node().name() + " (a reader)"
                : refusedByNode ? "Galera node " + conn.node().name() + " " + refusal
                : nodeFault ? "the connection to Galera node " + conn.node().name() + " was lost"
                : "Galera node " + conn.node().name() + " stopped being the writer";
        if (state == State.IDLE) {
            LostBackend.Action a = LostBackend.decide(LostBackend.Situation.idle(inTransaction(), autocommit()));
            if (a == LostBackend.Action.CUT_NEXT) {
                cutReason = why;
                forgetTransaction();
                router.metrics().cutTransactions.increment();
                LOG.info("[{}] {} with a transaction open: its next statement gets 1213", id, why);
            } else {
                LOG.debug("[{}] {} while idle: the next statement runs on the writer", id, why);
            }
            return;
        }
        if (state != State.IN_COMMAND) {
            return;
        }
        if (markerPhase) {
            markerPhase = false;
            pendingCommit.release();
            pendingCommit = null;
        }
        dropHeldResponse(); // never reached the client: the statement can still be answered cleanly
        boolean notExecuted = refusedByNode || certRetryPending;
        refusedByNode = false;
        certRetryPending = false;
        LostBackend.Action a = LostBackend.decide(new LostBackend.Situation(true, responseStarted,
                inFlightInTransaction, autocommit(), inFlightCommand, inFlightKind, inFlightRetried, markerWritten,
                notExecuted, !boundToWriter));
        switch (a) {
            case RESOLVE_COMMIT -> resolveCommit(why);
            case RETRY -> {
                MysqlPacket again = retryCopy;
                retryCopy = null;
                router.metrics().retried.increment();
                rebindThenDispatch(again, inFlightCommand, inFlightKind, true, !boundToWriter);
            }
            case ANSWER_DEADLOCK -> {
                router.metrics().cutTransactions.increment();
                LOG.info("[{}] {} during a statement of a transaction: answered 1213", id, why);
                statusFlags &= ~ServerStatus.SERVER_STATUS_IN_TRANS;
                sendError(inFlightNextSeq, ErrorCodes.ER_LOCK_DEADLOCK.code(), ErrorCodes.ER_LOCK_DEADLOCK.sqlState(),
                        deadlockMessage(why));
                commandAnsweredByRouter();
            }
            case ANSWER_OK -> {
                statusFlags &= ~ServerStatus.SERVER_STATUS_IN_TRANS;
                if (wrapPhase == WrapPhase.ROLLBACK) {
                    sendWrapAnswer(); // the wrapped write's own error, which the ROLLBACK was cleaning up after
                } else {
                    sendOk(inFlightNextSeq);
                }
                commandAnsweredByRouter();
            }
            case CLOSE_UNKNOWN_OUTCOME -> {
                router.metrics().unknownOutcomes.increment();
                LOG.warn("[{}] {} while a {} was in flight: it may or may not have committed, so the client "
                        + "connection is closed (the client sees a lost connection and must check before retrying)",
                        id, why, inFlightKind == StatementKind.COMMIT ? "COMMIT" : "write outside a transaction");
                close("unknown commit outcome");
            }
            case CLOSE_MID_RESULT -> {
                router.metrics().closedMidResult.increment();
                LOG.warn("[{}] {} after part of a result had gone to the client: closing the client connection",
                        id, why);
                close("backend lost mid-result");
            }
            default -> throw new IllegalStateException("not an in-flight action: " + a);
        }
    }

    /**
     * The COMMIT in flight lost its writer: the new writer is asked whether the transaction's
     * marker exists, and the client gets OK (committed) or 1213 (not committed, safe to retry).
     * When nobody can tell in time, the connection is closed: never a guess.
     */
    private void resolveCommit(String why) {
        state = State.CONNECTING; // the client waits for its COMMIT's answer; nothing is read meanwhile
        String marker = markerId;
        router.writers().committed(marker, resolutionWait()).whenComplete((committed, err) ->
                client.executor().execute(() -> {
                    if (state == State.CLOSED) {
                        return;
                    }
                    statusFlags &= ~ServerStatus.SERVER_STATUS_IN_TRANS;
                    transactionWrote = false;
                    if (err != null) {
                        router.metrics().unknownOutcomes.increment();
                        LOG.warn("[{}] {} while a COMMIT was in flight, and whether it committed could not be learned "
                                + "({}): closing the client connection", id, why, err.toString());
                        close("unresolved commit outcome");
                        return;
                    }
                    if (committed) {
                        router.metrics().commitsResolvedCommitted.increment();
                        LOG.info("[{}] {} while a COMMIT was in flight: it committed (marker {} found); answered OK",
                                id, why, marker);
                        if (wrapPhase == WrapPhase.COMMIT) {
                            sendWrapAnswer(); // the wrapped write's own OK: affected rows, insert id
                        } else {
                            sendOk(inFlightNextSeq);
                        }
                    } else {
                        router.metrics().commitsResolvedRolledBack.increment();
                        router.metrics().cutTransactions.increment();
                        LOG.info("[{}] {} while a COMMIT was in flight: it did not commit (no marker {}); answered 1213",
                                id, why, marker);
                        sendError(inFlightNextSeq, ErrorCodes.ER_LOCK_DEADLOCK.code(),
                                ErrorCodes.ER_LOCK_DEADLOCK.sqlState(), deadlockMessage(why + "; the COMMIT did not happen"));
                    }
                    commandAnsweredByRouter();
                }));
    }

    /** A client waiting for its COMMIT's answer waits longer than for a writer: the alternative is an unknown outcome. */
    private Duration resolutionWait() {
        Duration w = router.config().writerWait();
        return w.compareTo(MIN_RESOLUTION_WAIT) > 0 ? w : MIN_RESOLUTION_WAIT;
    }

    /** The router answered the command in flight itself; the session is idle, without a backend. */
    private void commandAnsweredByRouter() {
        if (!inTransaction()) {
            forgetTransaction();
            writeSettled(); // a resolved COMMIT that committed
        }
        pendingChanges = List.of();
        pendingSchema = null;
        pendingReset = false;
        endOfCommand();
        state = State.IDLE;
        client.flush();
        client.read();
    }

    /**
     * The agreed writer changed (any thread). A session bound to another node leaves it now, so
     * that no router instance writes to two nodes: an idle one drops its backend (the old node
     * rolls back what it had open, and the transaction is cut), one in a command has it closed
     * under the command, which {@link #backendLost} then answers.
     */
    CompletableFuture<LeftOldWriter> writerChanged() {
        CompletableFuture<LeftOldWriter> left = new CompletableFuture<>();
        client.executor().execute(() -> {
            if (standby != null && standbyToWriter && !standby.node().equals(router.writers().writer())) {
                closeStandby(); // never write to the old node again
            }
            BackendConnection b = backend;
            if (b == null || state == State.CLOSED || !boundToWriter || b.node().equals(router.writers().writer())) {
                // a session on a reader stays there: a writer change is not its business
                left.complete(LeftOldWriter.NOT_THERE);
                return;
            }
            left.complete(state != State.IDLE ? LeftOldWriter.IN_COMMAND
                    : inTransaction() ? LeftOldWriter.CUT : LeftOldWriter.MOVED);
            leavingOldWriter = true;
            b.channel().close(); // the relay's channelInactive runs backendLost
        });
        return left;
    }

    /**
     * The monitor's view changed (any thread). A session on a reader the monitor can no longer
     * reach leaves it now: a read in flight there is sent again elsewhere, a transaction there
     * is cut (1213 at its next statement), as for a lost writer. A reader that left the set but
     * still answers (desynced, lagging, a donor) keeps the transactions it has; the session's
     * next statement outside a transaction goes elsewhere.
     */
    void readersChanged(List<BackendNode> readers) {
        client.executor().execute(() -> {
            if (standby != null && !standbyToWriter && !readers.contains(standby.node())) {
                closeStandby();
            }
            BackendConnection b = backend;
            if (b == null || state == State.CLOSED || boundToWriter || readers.contains(b.node())
                    || !router.writers().down(b.node())) {
                return;
            }
            leavingReader = true;
            b.channel().close(); // the relay's channelInactive runs backendLost
        });
    }

    /** What a writer change did to a session, for the one log line that sums a change up. */
    enum LeftOldWriter {
        /** No backend on the old writer (none at all, between transactions, or on the new writer already). */
        NOT_THERE,
        /** Idle outside a transaction: its next statement runs on the new writer. */
        MOVED,
        /** Idle inside a transaction: its next statement gets 1213. */
        CUT,
        /** A statement in flight: answered as the failure table says. */
        IN_COMMAND
    }

    private void sendOk(int seq) {
        ByteBuf out = client.alloc().buffer();
        new OkPacket(0, 0, statusFlags, 0).encode(out, login.capabilities());
        client.writeAndFlush(new MysqlPacket(seq, out));
    }

    private void protocolError(String reason, int seq) {
        router.metrics().protocolErrors.increment();
        LOG.warn("[{}] protocol error from client {}: {}", id, client.channel().remoteAddress(), reason);
        sendError(seq, ErrorCodes.ER_NET_PACKETS_OUT_OF_ORDER, "sidecar DB router: " + reason);
        close("protocol error");
    }

    private void close(String why) {
        if (state == State.CLOSED) {
            return;
        }
        boolean clean = state == State.IDLE;
        state = State.CLOSED;
        if (why != null) {
            LOG.debug("[{}] closing: {}", id, why);
        }
        router.sessions().remove(this);
        releaseRetryCopy();
        endCertificationRetry();
        endWrap();
        dropHeldResponse();
        if (pendingCommit != null) {
            pendingCommit.release();
            pendingCommit = null;
        }
        closeStandby();
        BackendConnection b = backend;
        boolean healthy = b != null && (boundToWriter ? b.node().equals(router.writers().writer())
                : router.writers().readers().contains(b.node()));
        detach();
        if (b != null) {
            if (clean && healthy) {
                release(b);
            } else {
                b.channel().close();
            }
        }
        FrontendAuth.wipe(stage1);
        client.flush();
        client.close();
    }

    private void detach() {
        if (backend != null) {
            router.readerChooser().unbound(backend.node());
        }
        if (backend != null && backend.channel().pipeline().get(BackendRelay.NAME) != null) {
            backend.channel().pipeline().remove(BackendRelay.NAME);
        }
        backend = null;
        tracker = null;
    }

    /** Resets an idle backend connection (COM_RESET_CONNECTION) and gives it back to the pool. */
    private void release(BackendConnection conn) {
        prepared.forget(conn); // the reset drops what it had prepared
        conn.holds(session == null ? conn.schema() : session.schema(), conn.stateKey());
        PooledIdleHandler.resetAndPark(conn, router.backends(), router.config().connectTimeout());
    }

    /**
     * Multiplexing: between transactions, a session with nothing that binds it to its backend
     * connection gives it back to the pool as it is (its settings stay on it, for the next
     * session with the same ones); its next statement leases one again.
     */
    private void maybeGiveBackendBack() {
        BackendConnection b = backend;
        if (!router.config().pool().multiplex() || b == null || state != State.IDLE || inTransaction()
                || cutReason != null || holdForNext || pins.pinned() || prepared.size() > 0 || !session.replayable()
                || (boundToWriter ? !b.node().equals(router.writers().writer())
                        : !router.writers().readers().contains(b.node()))) {
            return;
        }
        detach();
        released = true;
        b.holds(session.schema(), session.key());
        PooledIdleHandler.park(b, router.backends());
    }

    /**
     * An OK that reports an insert id or warnings: the client may ask for them next
     * ({@code LAST_INSERT_ID()}, {@code SHOW WARNINGS}), which only this connection can answer.
     */
    private boolean answerMayBeAskedFor(ByteBuf last) {
        if (last.readableBytes() < 7 || last.getUnsignedByte(last.readerIndex()) != OkPacket.HEADER
                || backend == null) {
            return false;
        }
        try {
            OkPacket ok = OkPacket.decode(last.duplicate(), backend.capabilities());
            return ok.lastInsertId() != 0 || ok.warnings() != 0;
        } catch (RuntimeException e) {
            return true; // cannot tell: keep the connection
        }
    }

    private void sendError(int seq, ErrorCodes code, String message) {
        sendError(seq, code.code(), code.sqlState(), message);
    }

    private void sendError(int seq, int code, String sqlState, String message) {
        if (!client.channel().isActive()) {
            return;
        }
        ByteBuf out = client.alloc().buffer();
        long caps = login == null ? ROUTER_CAPABILITIES : login.capabilities();
        new ErrPacket(code, sqlState, message).encode(out, caps);
        client.writeAndFlush(new MysqlPacket(seq, out));
    }

    private String clientHost() {
        return client.channel().remoteAddress() instanceof InetSocketAddress a ? a.getHostString() : "localhost";
    }

    private static byte[] newSeed() {
        // printable ASCII, no NUL: the greeting carries the seed NUL-terminated in part 2
        byte[] s = new byte[NativePassword.SEED_LENGTH];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (33 + RANDOM.nextInt(94));
        }
        return s;
    }

    /** The backend pipeline's last handler while this session owns the connection. */
    private final class BackendRelay extends ChannelInboundHandlerAdapter {
        static final String NAME = "relay";

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (backend == null || ctx.channel() != backend.channel()) {
                    return;
                }
                if (msg instanceof MalformedPacket bad) {
                    LOG.warn("[{}] malformed packet from backend {}: {}", id, backend, bad.reason());
                    close("malformed backend packet");
                } else if (msg instanceof MysqlPacket p) {
                    fromBackend(p);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (backend == null || ctx.channel() != backend.channel()) {
                return;
            }
            client.flush();
            if (state == State.IN_COMMAND && !awaitingClient()) {
                if (client.channel().isWritable()) {
                    ctx.read();
                } else {
                    backendReadPaused = true;
                }
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && clientReadPaused) {
                clientReadPaused = false;
                client.read();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (backend != null && ctx.channel() == backend.channel()) {
                backendLost(backend);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.info("[{}] backend {} error: {}", id, backend, cause.toString());
            ctx.close();
        }
    }
}
