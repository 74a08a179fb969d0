package ossidecar.db.router;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.core.config.BackendNode;
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
import ossidecar.db.protocol.MysqlPacketDecoder;
import ossidecar.db.protocol.MysqlPacketEncoder;
import ossidecar.db.protocol.MysqlProtocolException;
import ossidecar.db.protocol.MysqlServerException;
import ossidecar.db.protocol.NativePassword;
import ossidecar.db.protocol.OkPacket;
import ossidecar.db.protocol.ResponseTracker;
import ossidecar.db.protocol.ServerStatus;
import ossidecar.db.sql.Classification;
import ossidecar.db.sql.SessionChange;
import ossidecar.db.sql.StatementClassifier;

/**
 * One client session: the router is its MariaDB server (HandshakeV10, mysql_native_password,
 * an auth switch for clients that start with another plugin) and logs in to the writer as the
 * same user; then every command is relayed to the session's backend connection and the
 * response back, packet by packet, with the response tracker telling when the backend is
 * idle again and what the transaction state is.
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

    ClientSession(String id, DbRouterContext router) {
        this.id = id;
        this.router = router;
        this.connectionId = router.connectionIds().incrementAndGet();
    }

    // ---------------------------------------------------------------- login

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx;
        router.metrics().sessions.incrementAndGet();
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
     * Opens (or takes from the pool) a backend connection to the writer as the session's user,
     * then answers the client's login or change-user with OK, or with the backend's own error.
     */
    private void connectToWriter(int nextSeq, String what) {
        state = State.CONNECTING;
        BackendNode writer = router.writers().writer();
        if (writer == null) {
            sendError(nextSeq, ErrorCodes.ER_UNKNOWN_ERROR,
                    "sidecar DB router: no Galera node can take writes now (see /status); retry shortly");
            close(what + ": no writer");
            return;
        }
        openBackend(writer).whenComplete((conn, err) -> client.executor().execute(() -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException ? err.getCause() : err;
                if (cause instanceof MysqlServerException e) {
                    // the backend's own answer (unknown database, access denied on the node...) as is
                    sendError(nextSeq, e.errorCode(), e.sqlState(), e.serverMessage());
                } else {
                    sendError(nextSeq, ErrorCodes.ER_UNKNOWN_ERROR,
                            "sidecar DB router: cannot reach writer " + writer.name() + ": " + cause.getMessage());
                }
                LOG.info("[{}] {}: backend login on {} failed: {}", id, what, writer.name(), cause.toString());
                close(what + ": backend login failed");
                return;
            }
            if (state == State.CLOSED) {
                release(conn);
                return;
            }
            attach(conn);
            ByteBuf out = client.alloc().buffer();
            new OkPacket(0, 0, conn.statusFlags(), 0).encode(out, login.capabilities());
            client.writeAndFlush(new MysqlPacket(nextSeq, out));
            state = State.IDLE;
            LOG.debug("[{}] {} as '{}' done, writer {}", id, what, login.username(), writer.name());
            client.read();
        }));
    }

    /** A pooled connection when one fits, else a new login on {@code node}. */
    private CompletableFuture<BackendConnection> openBackend(BackendNode node) {
        BackendLoginRequest request = new BackendLoginRequest(login.username(), stage1, session.schema(),
                session.charset(), login.capabilities() & ROUTER_CAPABILITIES, login.connectAttributes());
        BackendConnection pooled = router.backends().acquire(
                new BackendConnection.PoolKey(node, login.username(), expectedBackendCapabilities(request), session.charset()),
                session.schema(), client.channel().eventLoop());
        if (pooled != null) {
            pooled.channel().pipeline().remove(PooledIdleHandler.NAME);
            return CompletableFuture.completedFuture(pooled);
        }
        BackendLogin loginHandler = new BackendLogin(node, request, v -> router.serverVersion().set(v));
        ChannelFuture connect = new Bootstrap()
                .group(client.channel().eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) router.config().connectTimeout().toMillis())
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
        return loginHandler.result().thenApply(conn -> {
            router.backends().opened(conn);
            return conn;
        });
    }

    /** The capabilities {@link BackendLogin} ends up with on a MariaDB backend, to find a pooled match. */
    private static long expectedBackendCapabilities(BackendLoginRequest r) {
        long caps = r.capabilities() | Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
                | Capabilities.CLIENT_PLUGIN_AUTH;
        return r.database() != null ? caps | Capabilities.CLIENT_CONNECT_WITH_DB : caps & ~Capabilities.CLIENT_CONNECT_WITH_DB;
    }

    private void attach(BackendConnection conn) {
        backend = conn;
        tracker = new ResponseTracker(conn.capabilities(), conn.statusFlags());
        conn.channel().pipeline().addLast(BackendRelay.NAME, new BackendRelay());
        conn.channel().closeFuture().addListener(f -> client.executor().execute(() -> backendClosed(conn)));
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
        switch (command) {
            case COM_QUIT -> {
                close(null);
                return;
            }
            case COM_PING -> {
                // answered here: an idle session's liveness check never depends on one backend
                ByteBuf out = client.alloc().buffer();
                new OkPacket(0, 0, backend.statusFlags(), 0).encode(out, backend.capabilities());
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
            }
            case COM_RESET_CONNECTION -> pendingReset = true;
            case COM_BINLOG_DUMP, COM_BINLOG_DUMP_GTID, COM_TABLE_DUMP, COM_REGISTER_SLAVE -> {
                sendError(p.nextSequenceId(), ErrorCodes.ER_UNKNOWN_COM_ERROR,
                        "sidecar DB router: replication commands are not relayed; connect to a node directly");
                return;
            }
            default -> {
            }
        }
        router.metrics().statement(command, backend.node().name());
        ResponseTracker.Progress progress = tracker.begin(command);
        backend.channel().write(p.retain());
        if (progress != ResponseTracker.Progress.COMPLETE) {
            state = State.IN_COMMAND;
            backend.channel().read();
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
        ResponseTracker.Progress progress;
        try {
            progress = tracker.onPacket(p.payload());
        } catch (MysqlProtocolException e) {
            LOG.warn("[{}] backend {} out of sync: {}", id, backend, e.getMessage());
            close("backend out of sync");
            return;
        }
        client.write(p.retain());
        if (progress == ResponseTracker.Progress.COMPLETE) {
            backend.statusFlags(tracker.statusFlags());
            if (tracker.lastErrorCode() == 0) {
                if (pendingSchema != null) {
                    session.schema(pendingSchema);
                }
                if (pendingReset) {
                    // COM_RESET_CONNECTION keeps the schema and drops everything else
                    session = new SessionState(session.schema(), session.charset());
                }
                session.apply(pendingChanges);
            }
            pendingSchema = null;
            pendingReset = false;
            pendingChanges = List.of();
            state = State.IDLE;
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
        BackendConnection old = backend;
        detach();
        old.channel().close();
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

    private void backendClosed(BackendConnection conn) {
        if (conn != backend || state == State.CLOSED) {
            return;
        }
        LOG.warn("[{}] backend connection {} closed under the session (state {})", id, conn, state);
        // Failover of sessions lands with its own issue; until then the client learns at once.
        sendError(state == State.IN_COMMAND ? 1 : 0, ErrorCodes.ER_CONNECTION_KILLED,
                "sidecar DB router: connection to Galera node " + conn.node().name() + " lost");
        backend = null;
        close("backend lost");
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
        BackendConnection b = backend;
        detach();
        if (b != null) {
            if (clean) {
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
        if (backend != null && backend.channel().pipeline().get(BackendRelay.NAME) != null) {
            backend.channel().pipeline().remove(BackendRelay.NAME);
        }
        backend = null;
        tracker = null;
    }

    /** Resets an idle backend connection (COM_RESET_CONNECTION) and gives it back to the pool. */
    private void release(BackendConnection conn) {
        String schema = session == null ? null : session.schema();
        PooledIdleHandler.resetAndPool(conn, router.backends(), schema);
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
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.info("[{}] backend {} error: {}", id, backend, cause.toString());
            ctx.close();
        }
    }
}
