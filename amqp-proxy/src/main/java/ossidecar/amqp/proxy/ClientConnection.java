package ossidecar.amqp.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.amqp.codec.AmqpConstants;
import ossidecar.amqp.codec.AmqpFrameDecoder;
import ossidecar.amqp.codec.AmqpFrameEncoder;
import ossidecar.amqp.codec.Frame;
import ossidecar.amqp.codec.HeartbeatFrame;
import ossidecar.amqp.codec.MalformedFrame;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodFrame;
import ossidecar.amqp.codec.MethodType;
import ossidecar.amqp.codec.ProtocolHeader;
import ossidecar.amqp.codec.ReplyCode;
import ossidecar.amqp.recovery.HeldMemory;
import ossidecar.amqp.recovery.NackRetryPolicy;
import ossidecar.amqp.recovery.ProxiedSession;
import ossidecar.core.net.NettyTransport;
import ossidecar.core.pool.BackendPool.Backend;

/**
 * One client connection through the proxy: terminates the client's handshake (the proxy is
 * its broker), opens an upstream connection as that client (the proxy is the broker's
 * client), then relays frames both ways with backpressure and per-side heartbeats.
 *
 * <p>The client channel lives for the whole connection; the upstream is a replaceable link.
 * When the upstream is lost (socket error, heartbeat death, 320 from a node shutting down)
 * the client is held, not closed: nothing it sends is relayed (its frames are held in order,
 * up to the buffer bound, so that a close or a vanished client is still seen; the proxy's
 * heartbeats to it go on). The proxy connects to the next node as the same user, replays what
 * {@link ProxiedSession} recorded, and only then swaps the new upstream in and relays the
 * held frames. If no node takes over within the outage limit the client gets a clean 320
 * with the reason.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    /** Before tune the spec's minimum frame size applies (§4.2.1: frame-min-size = 4096); RabbitMQ's default is larger. */
    static final int PRE_TUNE_FRAME_MAX = 131072;
    /** How long a closing peer has to answer connection.close before the socket is closed anyway. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private enum State { AWAIT_HEADER, AWAIT_START_OK, AWAIT_TUNE_OK, AWAIT_OPEN, CONNECTING, OPEN, RECOVERING, CLOSING, CLOSED }

    private final String id;
    private final AmqpProxyContext proxy;
    private final CompletableFuture<StartOkParams> startOk = new CompletableFuture<>();
    private final CompletableFuture<TuneParams> clientTune = new CompletableFuture<>();
    private final CompletableFuture<String> virtualHost = new CompletableFuture<>();
    private ChannelHandlerContext client;
    private State state = State.AWAIT_HEADER;
    private boolean startSent;
    private boolean tuneSent;
    private TuneParams brokerTune;
    private Channel upstream;
    private Backend upstreamNode;
    private boolean brokerBlocked;
    private boolean clientReadPaused;
    private boolean upstreamReadPaused;
    private ProxiedSession session;
    private int reportedChannels;
    private final SessionEventLog events;
    private final Sink sink = new Sink();
    private Recovery recovery;
    private final BrokerClosePolicy closePolicy = new BrokerClosePolicy();
    /** Client frames not relayed yet (read during a recovery, or past the buffer bound): relayed in order once there is room. */
    private final Deque<Frame> held = new ArrayDeque<>();
    private long heldBytes;

    ClientConnection(String id, AmqpProxyContext proxy) {
        this.id = id;
        this.proxy = proxy;
        this.events = new SessionEventLog(id, proxy.metrics(), proxy.noticedQueues(), () -> virtualHost.getNow("?"));
    }

    // ---------------------------------------------------------------- client side

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx;
        proxy.metrics().connections.incrementAndGet();
        proxy.metrics().connectionsOpened.increment();
        LOG.debug("[{}] client connected from {}", id, ctx.channel().remoteAddress());
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof MalformedFrame bad) {
                clientProtocolError(bad);
            } else if (msg instanceof ProtocolHeader) {
                onClientHeader();
            } else if (msg instanceof HeartbeatFrame) {
                // liveness only: the proxy answers the client's heartbeats itself
            } else if (msg instanceof Frame f) {
                if (state == State.RECOVERING && isConnectionClose(f)) {
                    closedWhileHeld();
                } else if (state == State.RECOVERING || (state == State.OPEN && (!held.isEmpty() || bufferFull()))) {
                    hold(f); // order kept: relayed once there is room again
                } else {
                    fromClient(f);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (upstream != null && state == State.OPEN) {
            upstream.flush();
            ctx.flush();
            readClientIfRoom();
        } else if (state == State.RECOVERING) {
            // held clients are still read, so that a close or a vanished client is seen, up to the buffer bound
            ctx.flush();
            if (bufferFull()) {
                clientReadPaused = true;
            } else {
                ctx.read();
            }
        } else if (state != State.CLOSED && state != State.CONNECTING) {
            ctx.flush();
            ctx.read();
        }
    }

    private void hold(Frame f) {
        held.add(ReferenceCountUtil.retain(f));
        heldBytes += HeldMemory.of(f);
    }

    private static boolean isConnectionClose(Frame f) {
        return f instanceof MethodFrame mf && mf.channel() == 0 && mf.method().type() == MethodType.CONNECTION_CLOSE;
    }

    /** The client closed its connection while held: answered at once, the recovery is dropped. */
    private void closedWhileHeld() {
        LOG.info("[{}] client closed the connection while held for a recovery", id);
        recovery.abandon();
        recovery = null;
        state = State.CLOSED;
        client.writeAndFlush(new MethodFrame(0, Method.of(MethodType.CONNECTION_CLOSE_OK)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Reads the client again unless the broker side is full (backpressure) or the publishes
     * kept for re-publishing reached the configured bound: the proxy never drops a publish,
     * it stops reading more.
     */
    private void readClientIfRoom() {
        if (state != State.OPEN || upstream == null) {
            return;
        }
        relayHeld();
        if (held.isEmpty() && upstream.isWritable() && !bufferFull()) {
            clientReadPaused = false;
            client.read();
        } else {
            clientReadPaused = true;
        }
    }

    /** What the relay was doing, for the log when something ends unexpectedly. */
    private String relayState() {
        return "state " + state + ", upstream " + (upstream == null ? "none" : upstreamNode + (upstream.isWritable()
                ? " writable" : " not writable")) + ", client reads " + (clientReadPaused ? "paused" : "on")
                + ", broker reads " + (upstreamReadPaused ? "paused" : "on") + ", held frames " + held.size()
                + ", unconfirmed bytes " + (session == null ? 0 : session.keptBytes());
    }

    /** The per-connection bound covers kept publishes and frames held back alike. */
    private boolean bufferFull() {
        return session.keptBytes() + heldBytes >= proxy.config().publishBufferBytes();
    }

    /** Relays frames held back (during a recovery, or past the buffer bound) while there is room. */
    private void relayHeld() {
        boolean relayed = false;
        while (!held.isEmpty() && state == State.OPEN && session.keptBytes() < proxy.config().publishBufferBytes()) {
            Frame f = held.poll();
            heldBytes -= HeldMemory.of(f);
            try {
                fromClient(f);
                relayed = true;
            } finally {
                ReferenceCountUtil.release(f);
            }
        }
        if (relayed && upstream != null) {
            upstream.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // the client drained what the broker sent: read from the broker again
        if (ctx.channel().isWritable() && upstreamReadPaused && upstream != null) {
            upstreamReadPaused = false;
            upstream.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        proxy.metrics().connections.decrementAndGet();
        proxy.metrics().channels.addAndGet(-reportedChannels);
        reportedChannels = 0;
        if (state != State.CLOSING && state != State.CLOSED) {
            LOG.info("[{}] client went away without connection.close (state {})", id, state);
        }
        state = State.CLOSED;
        startOk.completeExceptionally(new IllegalStateException("client went away"));
        if (recovery != null) {
            recovery.abandon();
            recovery = null;
        }
        closeUpstream();
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        heldBytes = 0;
        if (session != null) {
            session.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("[{}] client connection error: {}", id, cause.toString());
        ctx.close();
    }

    private void clientProtocolError(MalformedFrame bad) {
        proxy.metrics().malformedFromClients.increment();
        LOG.warn("[{}] malformed input from client {}: {} (reply {})", id, client.channel().remoteAddress(),
                bad.reason(), bad.replyCode());
        if (state == State.AWAIT_HEADER) {
            // §4.2.2: answer a bad protocol header with the header we accept, then close
            client.writeAndFlush(ProtocolHeader.INSTANCE).addListener(ChannelFutureListener.CLOSE);
            state = State.CLOSED;
            return;
        }
        closeClient(bad.replyCode(), bad.reason());
        closeUpstream();
    }

    private void onClientHeader() {
        if (state != State.AWAIT_HEADER) {
            closeClient(ReplyCode.UNEXPECTED_FRAME, "protocol header sent twice");
            return;
        }
        state = State.AWAIT_START_OK;
        connectFirstUpstream(new ArrayDeque<>(proxy.pool().attemptOrder()), null);
    }

    private void fromClient(Frame f) {
        switch (state) {
            case AWAIT_START_OK, AWAIT_TUNE_OK, AWAIT_OPEN -> handshakeFromClient(f);
            case OPEN -> relayToUpstream(f);
            case CLOSING -> {
                if (f instanceof MethodFrame mf && mf.channel() == 0
                        && mf.method().type() == MethodType.CONNECTION_CLOSE_OK) {
                    client.close();
                    state = State.CLOSED;
                }
                // other frames after a close are discarded (§4.2.2 / connection.close)
            }
            default -> {
                // CONNECTING: reads are paused; CLOSED: nothing more is relayed
            }
        }
    }

    private void handshakeFromClient(Frame f) {
        if (!(f instanceof MethodFrame mf) || mf.channel() != 0) {
            closeClient(ReplyCode.UNEXPECTED_FRAME, "expected a connection method during the handshake");
            return;
        }
        Method m = mf.method();
        if (state == State.AWAIT_START_OK && m.type() == MethodType.CONNECTION_START_OK) {
            state = State.AWAIT_TUNE_OK;
            session = new ProxiedSession(takesServerCancels(m.table("client-properties")), events,
                    NackRetryPolicy.within(proxy.config().nackRetryBudget(), proxy.config().outageLimit()),
                    this::retryNackedLater, System::nanoTime);
            startOk.complete(new StartOkParams(ProxyIdentity.annotate(m.table("client-properties"), id),
                    m.str("mechanism"), m.longstrBytes("response"), m.str("locale")));
        } else if (state == State.AWAIT_TUNE_OK && m.type() == MethodType.CONNECTION_TUNE_OK) {
            state = State.AWAIT_OPEN;
            TuneParams t = new TuneParams(m.shortInt("channel-max"),
                    negotiateFrameMax(m.longInt("frame-max"), brokerTune.frameMax()), m.shortInt("heartbeat"));
            client.pipeline().get(AmqpFrameDecoder.class).setMaxFrameSize(t.frameMax());
            // the client's silence does not count while the proxy itself is not reading it
            HeartbeatHandler.install(client.pipeline(), "codec-encoder", t.heartbeatSeconds(),
                    () -> clientReadPaused,
                    silent -> {
                        LOG.warn("[{}] client silent for {} ms (2 heartbeat intervals): closing it ({})", id,
                                silent.toMillis(), relayState());
                        client.close();
                    });
            clientTune.complete(t);
        } else if (state == State.AWAIT_OPEN && m.type() == MethodType.CONNECTION_OPEN) {
            state = State.CONNECTING;
            virtualHost.complete(m.str("virtual-host"));
        } else if (m.type() == MethodType.CONNECTION_CLOSE) {
            client.writeAndFlush(new MethodFrame(0, Method.of(MethodType.CONNECTION_CLOSE_OK)))
                    .addListener(ChannelFutureListener.CLOSE);
            state = State.CLOSED;
        } else {
            closeClient(ReplyCode.COMMAND_INVALID, "unexpected " + m.type() + " in handshake state " + state);
        }
    }

    // ---------------------------------------------------------------- upstream connect

    /** Tries the nodes in order until one completes the handshake; a refusal (e.g. 403) goes to the client. */
    private void connectFirstUpstream(Deque<Backend> candidates, Throwable lastError) {
        if (state == State.CLOSED) {
            return;
        }
        Backend b = candidates.poll();
        if (b == null) {
            String why = "no RabbitMQ node reachable (tried " + proxy.pool().backends() + ")"
                    + (lastError == null ? "" : ": " + rootMessage(lastError));
            LOG.warn("[{}] {}", id, why);
            if (startSent) {
                closeClient(ReplyCode.CONNECTION_FORCED, why);
            } else {
                client.close();
                state = State.CLOSED;
            }
            return;
        }
        long started = System.nanoTime();
        UpstreamHandshake handshake = new UpstreamHandshake(startOk, clientTune, virtualHost,
                proxy.config().heartbeatSeconds(), this::sendStartToClient, this::sendTuneToClient);
        ChannelFuture connect = bootstrap(b, handshake).connect(b.node().address().host(), b.node().address().port());
        Channel ch = connect.channel();
        NodeTurn turn = new NodeTurn();
        armHandshakeTimeout(turn, ch, b, handshake, started, candidates);
        connect.addListener(f -> {
            if (!f.isSuccess() && turn.end()) {
                proxy.pool().connectFailed(b, since(started), f.cause());
                connectFirstUpstream(candidates, f.cause());
            }
        });
        handshake.ready().whenComplete((tune, err) -> client.executor().execute(() -> {
            if (!turn.end()) {
                ch.close(); // the connect failed or timed out first, and the next node is being tried
                return;
            }
            if (err == null) {
                proxy.pool().connected(b, since(started));
                upstreamOpen(ch, b, tune);
                return;
            }
            Throwable cause = err instanceof CompletionException ? err.getCause() : err;
            ch.close();
            if (cause instanceof UpstreamRefusedException refused) {
                // the broker's own answer (403 ACCESS_REFUSED, 530 NOT_ALLOWED...) reaches the client as is
                proxy.pool().connected(b, since(started));
                proxy.pool().released(b);
                LOG.info("[{}] broker {} refused the client: {}", id, b, refused.getMessage());
                forwardCloseToClient(refused.close());
            } else if (state != State.CLOSED) {
                proxy.pool().connectFailed(b, since(started), cause);
                LOG.info("[{}] handshake with {} failed: {}", id, b, rootMessage(cause));
                connectFirstUpstream(candidates, cause);
            }
        }));
    }

    /** One node's turn in the first connect: only the first of its outcomes (open, failure, timeout) counts. */
    private static final class NodeTurn {
        private boolean over;
        private ScheduledFuture<?> timeout;

        boolean end() {
            if (over) {
                return false;
            }
            over = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            return true;
        }
    }

    /**
     * Bounds the first handshake with one node as a recovery attempt is bounded: a node that
     * accepts the socket and never answers must not hold the client until its own timeout. Time
     * the handshake spends waiting for the client's part does not count against the node.
     */
    private void armHandshakeTimeout(NodeTurn turn, Channel ch, Backend b, UpstreamHandshake handshake, long started,
                                     Deque<Backend> candidates) {
        long ms = Recovery.attemptBound(proxy.config()).toMillis();
        turn.timeout = client.executor().schedule(() -> {
            if (turn.over) {
                return;
            }
            if (state != State.CLOSED && !handshake.waitingForBroker()) {
                armHandshakeTimeout(turn, ch, b, handshake, started, candidates);
                return;
            }
            turn.end();
            ch.close();
            if (state == State.CLOSED) {
                return;
            }
            TimeoutException cause = new TimeoutException("no handshake answer within " + ms + " ms");
            proxy.pool().connectFailed(b, since(started), cause);
            LOG.info("[{}] handshake with {} got no answer within {} ms: trying the next node", id, b, ms);
            connectFirstUpstream(candidates, cause);
        }, ms, TimeUnit.MILLISECONDS);
    }

    private Bootstrap bootstrap(Backend b, UpstreamHandshake handshake) {
        return new Bootstrap()
                .group(client.channel().eventLoop())
                .channel(NettyTransport.socketChannel(client.channel().eventLoop()))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) proxy.config().connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("bytes", proxy.metrics().upstreamBytes);
                        ch.pipeline().addLast("codec-decoder", new AmqpFrameDecoder(false, PRE_TUNE_FRAME_MAX));
                        ch.pipeline().addLast("codec-encoder", new AmqpFrameEncoder());
                        ch.pipeline().addLast("handshake", handshake);
                    }
                });
    }

    private void sendStartToClient(Method brokerStart) {
        client.executor().execute(() -> {
            if (startSent || state == State.CLOSED) {
                return; // a retry on another node: the client already has its Start
            }
            startSent = true;
            client.writeAndFlush(new MethodFrame(0, Method.of(MethodType.CONNECTION_START,
                    "version-major", 0,
                    "version-minor", 9,
                    "server-properties", brokerStart.table("server-properties"),
                    "mechanisms", "PLAIN AMQPLAIN".getBytes(StandardCharsets.UTF_8),
                    "locales", "en_US".getBytes(StandardCharsets.UTF_8))));
        });
    }

    /**
     * The frame size both connections use, so frames relay unchanged: the client's choice
     * within the broker's offer (0 means "no limit" in §4.2.3 and becomes the broker's offer),
     * never below the spec's frame-min-size.
     */
    static int negotiateFrameMax(long clientFrameMax, int brokerFrameMax) {
        long broker = brokerFrameMax <= 0 ? Integer.MAX_VALUE : brokerFrameMax;
        long chosen = clientFrameMax <= 0 ? broker : Math.min(clientFrameMax, broker);
        return (int) Math.max(AmqpConstants.FRAME_MIN_SIZE, Math.min(chosen, Integer.MAX_VALUE));
    }

    private void sendTuneToClient(TuneParams broker) {
        client.executor().execute(() -> {
            if (tuneSent || state == State.CLOSED) {
                return;
            }
            tuneSent = true;
            brokerTune = broker;
            client.writeAndFlush(new MethodFrame(0, Method.of(MethodType.CONNECTION_TUNE,
                    "channel-max", broker.channelMax(),
                    "frame-max", (long) broker.frameMax(),
                    "heartbeat", broker.heartbeatSeconds())));
        });
    }

    private void upstreamOpen(Channel ch, Backend b, TuneParams tune) {
        if (state == State.CLOSED) {
            ch.close();
            proxy.pool().released(b);
            return;
        }
        upstream = ch;
        upstreamNode = b;
        installRelay(ch, b, tune);
        state = State.OPEN;
        LOG.info("[{}] connected to {} as a client of vhost '{}'", id, b, virtualHost.join());
        client.writeAndFlush(new MethodFrame(0, Method.of(MethodType.CONNECTION_OPEN_OK)));
        client.read();
        ch.read();
    }

    /** Turns a connection whose handshake is done into the relay's upstream, with the proxy's own heartbeat. */
    private void installRelay(Channel ch, Backend b, TuneParams tune) {
        ch.pipeline().remove("handshake");
        ch.pipeline().get(AmqpFrameDecoder.class).setMaxFrameSize(tune.frameMax());
        ch.pipeline().addLast("relay", new UpstreamRelay());
        HeartbeatHandler.install(ch.pipeline(), "codec-encoder", tune.heartbeatSeconds(),
                () -> brokerBlocked || upstreamReadPaused,
                silent -> {
                    if (upstream != ch) {
                        return; // an upstream already replaced
                    }
                    proxy.metrics().heartbeatDeath(b.node().name(), silent);
                    upstreamLost("broker " + b + " silent for " + silent.toMillis() + " ms (2 heartbeat intervals)", true);
                });
    }

    // ---------------------------------------------------------------- relay

    private void relayToUpstream(Frame f) {
        if (f instanceof MethodFrame mf && mf.channel() == 0) {
            if (mf.method().type() == MethodType.CONNECTION_CLOSE) {
                state = State.CLOSING;
                LOG.debug("[{}] client closes the connection", id);
            } else if (mf.method().type() == MethodType.CONNECTION_CLOSE_OK) {
                // the answer to a close the broker started
                upstream.writeAndFlush(f).addListener(ChannelFutureListener.CLOSE);
                client.close();
                state = State.CLOSED;
                return;
            }
            proxy.metrics().framesClientToBroker.increment();
            upstream.write(f);
            return;
        }
        session.fromClient(f, sink);
    }

    private void fromUpstream(Object msg) {
        if (msg instanceof HeartbeatFrame) {
            return;
        }
        if (msg instanceof MalformedFrame bad) {
            LOG.warn("[{}] malformed frame from broker {}: {}", id, upstreamNode, bad.reason());
            upstreamLost("broker " + upstreamNode + " sent a malformed frame: " + bad.reason(), false);
            return;
        }
        if (!(msg instanceof Frame f)) {
            return;
        }
        if (f.channel() != 0) {
            if (recovery != null && f instanceof MethodFrame mf && recovery.onReplayAnswer(mf)) {
                return;
            }
            session.fromBroker(f, sink);
            return;
        }
        if (f instanceof MethodFrame mf) {
            Method m = mf.method();
            switch (m.type()) {
                case CONNECTION_CLOSE -> {
                    onBrokerClose(m);
                    return;
                }
                case CONNECTION_CLOSE_OK -> {
                    // the broker confirmed the client's close
                    client.writeAndFlush(f).addListener(ChannelFutureListener.CLOSE);
                    upstream.close();
                    state = State.CLOSED;
                    return;
                }
                case CONNECTION_BLOCKED -> {
                    brokerBlocked = true;
                    LOG.info("[{}] broker {} blocked the connection: {}", id, upstreamNode, m.str("reason"));
                }
                case CONNECTION_UNBLOCKED -> {
                    brokerBlocked = false;
                    LOG.info("[{}] broker {} unblocked the connection", id, upstreamNode);
                }
                default -> {
                }
            }
        }
        sink.toClient(ReferenceCountUtil.retain(f));
    }

    private void onBrokerClose(Method close) {
        int code = close.shortInt("reply-code");
        String text = close.str("reply-text");
        upstream.writeAndFlush(new MethodFrame(0, Method.of(MethodType.CONNECTION_CLOSE_OK)));
        switch (closePolicy.decide(code, state == State.CLOSING, System.nanoTime())) {
            case RECOVER_NODE_DOWN -> {
                upstreamLost("broker " + upstreamNode + " forced the connection closed: " + code + " " + text, true);
                return;
            }
            case RECOVER_BROKER_ERROR -> {
                proxy.metrics().brokerErrorsRecovered.increment();
                LOG.warn("[{}] broker {} closed the connection with {} {} (a failure inside the broker, not the "
                                + "client's doing; {} of {} such closes within {} s are recovered)", id, upstreamNode,
                        code, text, closePolicy.internalErrorsRecovered(), BrokerClosePolicy.INTERNAL_ERRORS_RECOVERED,
                        BrokerClosePolicy.INTERNAL_ERROR_WINDOW.toSeconds());
                upstreamLost("broker " + upstreamNode + " closed the connection: " + code + " " + text, false);
                return;
            }
            case PASS_ON -> {
            }
        }
        LOG.info("[{}] broker {} closed the connection: {} {}", id, upstreamNode, code, text);
        proxy.pool().released(upstreamNode);
        upstreamNode = null;
        Channel up = upstream;
        upstream = null;
        up.close();
        forwardCloseToClient(close);
    }

    /** The upstream died under an open client connection (socket error, heartbeat death, forced close). */
    private void upstreamLost(String reason, boolean nodeFault) {
        if (upstream == null) {
            return;
        }
        Channel up = upstream;
        Backend node = upstreamNode;
        upstream = null;
        upstreamNode = null;
        up.close();
        proxy.pool().lost(node, reason, nodeFault);
        if (state == State.RECOVERING && recovery != null) {
            recovery.attemptFailed(node, reason);
            return;
        }
        if (state != State.OPEN) {
            if (state != State.CLOSED) {
                LOG.warn("[{}] lost broker {} while closing: {}", id, node, reason);
                client.close();
                state = State.CLOSED;
            }
            return;
        }
        state = State.RECOVERING;
        recovery = new Recovery(new RecoveryHost(), node, reason);
        recovery.nextAttempt();
    }

    /** The session's timer for publishing nacked messages again; skipped while recovering (the resume re-publishes them). */
    private void retryNackedLater(int channel, Duration delay) {
        client.executor().schedule(() -> {
            if (state == State.OPEN && upstream != null) {
                session.retryNacked(channel, sink);
                upstream.flush();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void syncChannelGauge() {
        int now = session == null ? 0 : session.openChannels();
        proxy.metrics().channels.addAndGet(now - reportedChannels);
        reportedChannels = now;
    }

    // ---------------------------------------------------------------- failover

    /** What a {@link Recovery} needs from this connection; every call runs on the client's event loop. */
    private final class RecoveryHost implements Recovery.Host {
        @Override
        public String id() {
            return id;
        }

        @Override
        public AmqpProxyContext proxy() {
            return proxy;
        }

        @Override
        public EventExecutor executor() {
            return client.executor();
        }

        @Override
        public ProxiedSession session() {
            return session;
        }

        @Override
        public boolean heldFor(Recovery r) {
            return recovery == r && state == State.RECOVERING;
        }

        @Override
        public ChannelFuture connect(Backend b, UpstreamHandshake handshake) {
            return bootstrap(b, handshake).connect(b.node().address().host(), b.node().address().port());
        }

        @Override
        public UpstreamHandshake handshakeAsTheClient() {
            // the client's own start-ok, tune-ok and vhost, recorded when it connected
            return new UpstreamHandshake(startOk, clientTune, virtualHost, proxy.config().heartbeatSeconds(),
                    start -> { }, tune -> { });
        }

        @Override
        public void adopt(Channel ch, Backend b, TuneParams tune) {
            upstream = ch;
            upstreamNode = b;
            brokerBlocked = false; // that was the old node's state
            installRelay(ch, b, tune);
        }

        @Override
        public boolean isUpstream(Channel ch) {
            return upstream == ch;
        }

        @Override
        public void upstreamFailed(String reason, boolean nodeFault) {
            upstreamLost(reason, nodeFault);
        }

        @Override
        public void dropUpstream(Channel ch) {
            if (upstream == ch) {
                proxy.pool().released(upstreamNode);
                upstream = null;
                upstreamNode = null;
            }
            ch.close();
        }

        @Override
        public long resume() {
            recovery = null;
            state = State.OPEN;
            long before = events.republished();
            session.resume(sink);
            upstream.flush();
            client.flush();
            readClientIfRoom();
            syncChannelGauge();
            return events.republished() - before;
        }

        @Override
        public void giveUp(String why) {
            recovery = null;
            held.forEach(ReferenceCountUtil::release);
            held.clear();
            heldBytes = 0;
            state = State.OPEN; // closeClient only acts on a connection that is not closing yet
            closeClient(ReplyCode.CONNECTION_FORCED, why);
        }
    }

    /** Where the session's translated frames go: the live upstream and the client. */
    private final class Sink implements ProxiedSession.Sink {
        @Override
        public void toUpstream(Frame frame) {
            proxy.metrics().framesClientToBroker.increment();
            upstream.write(frame);
        }

        @Override
        public void toClient(Frame frame) {
            proxy.metrics().framesBrokerToClient.increment();
            client.write(frame);
        }
    }

    /** Whether the client's capabilities include consumer_cancel_notify (RabbitMQ's server-side basic.cancel). */
    static boolean takesServerCancels(Map<String, Object> clientProperties) {
        return clientProperties.get("capabilities") instanceof Map<?, ?> caps
                && Boolean.TRUE.equals(caps.get("consumer_cancel_notify"));
    }

    // ---------------------------------------------------------------- closing

    private void forwardCloseToClient(Method close) {
        state = State.CLOSING;
        client.writeAndFlush(new MethodFrame(0, close));
        closeClientAfterGrace();
        client.read();
    }

    /** Sends connection.close and closes the socket on close-ok or after a grace period. */
    private void closeClient(int code, String text) {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        state = State.CLOSING;
        String shortText = text.length() > 255 ? text.substring(0, 255) : text;
        client.writeAndFlush(new MethodFrame(0, Method.of(MethodType.CONNECTION_CLOSE,
                "reply-code", code, "reply-text", shortText, "class-id", 0, "method-id", 0)));
        closeClientAfterGrace();
        client.read();
    }

    private void closeClientAfterGrace() {
        client.executor().schedule(() -> {
            if (client.channel().isActive()) {
                LOG.info("[{}] client did not answer connection.close within {} s: closing the socket", id,
                        CLOSE_GRACE.toSeconds());
                client.close();
            }
        }, CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void closeUpstream() {
        if (upstream != null) {
            Channel up = upstream;
            Backend node = upstreamNode;
            upstream = null;
            upstreamNode = null;
            up.close();
            if (node != null) {
                proxy.pool().released(node);
            }
        }
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    /** The upstream pipeline's last handler once the handshake is done: frames go to the client. */
    private final class UpstreamRelay extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (ctx.channel() == upstream) {
                    fromUpstream(msg);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (ctx.channel() != upstream) {
                return;
            }
            client.flush();
            ctx.channel().flush(); // what the session sent upstream in answer (e.g. a channel it reopens)
            syncChannelGauge();
            if (client.channel().isWritable()) {
                ctx.read();
            } else {
                upstreamReadPaused = true;
            }
            if (clientReadPaused) {
                readClientIfRoom(); // confirms may have freed re-publish buffer
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // the broker drained what the client sent: read from the client again
            if (ctx.channel() == upstream && ctx.channel().isWritable() && clientReadPaused) {
                readClientIfRoom();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == upstream) {
                upstreamLost("broker " + upstreamNode + " closed the socket", true);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == upstream) {
                upstreamLost("socket error with broker " + upstreamNode + ": " + cause, true);
            } else {
                ctx.close();
            }
        }
    }

    /** The proxy's identity, added to the client properties the broker sees. */
    static final class ProxyIdentity {
        private ProxyIdentity() {
        }

        static Map<String, Object> annotate(Map<String, Object> clientProperties, String connectionId) {
            Map<String, Object> out = new LinkedHashMap<>(clientProperties);
            out.put("x-sidecar-proxy", "ossidecar amqp-proxy, client connection " + connectionId);
            return out;
        }
    }

}
