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
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
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
import ossidecar.core.pool.BackendPool.Backend;

/**
 * One client connection through the proxy: terminates the client's handshake (the proxy is
 * its broker), opens an upstream connection as that client (the proxy is the broker's
 * client), then relays frames both ways with backpressure and per-side heartbeats.
 *
 * <p>The client channel lives for the whole connection; the upstream is a replaceable link.
 * Until transparent failover lands, losing the upstream closes the client with 320
 * CONNECTION_FORCED and a reason, never leaving it hanging.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    /** Before tune the spec's minimum frame size applies (§4.2.1: frame-min-size = 4096); RabbitMQ's default is larger. */
    static final int PRE_TUNE_FRAME_MAX = 131072;
    /** How long a closing peer has to answer connection.close before the socket is closed anyway. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private enum State { AWAIT_HEADER, AWAIT_START_OK, AWAIT_TUNE_OK, AWAIT_OPEN, CONNECTING, OPEN, CLOSING, CLOSED }

    private final String id;
    private final AmqpProxyContext proxy;
    private final CompletableFuture<StartOkParams> startOk = new CompletableFuture<>();
    private final CompletableFuture<TuneParams> clientTune = new CompletableFuture<>();
    private final CompletableFuture<String> virtualHost = new CompletableFuture<>();
    private final Set<Integer> openChannels = new HashSet<>();
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

    ClientConnection(String id, AmqpProxyContext proxy) {
        this.id = id;
        this.proxy = proxy;
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
                fromClient(f);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (upstream != null && state == State.OPEN) {
            upstream.flush();
            if (upstream.isWritable()) {
                ctx.read();
            } else {
                clientReadPaused = true;
            }
        } else if (state != State.CLOSED && state != State.CONNECTING) {
            ctx.flush();
            ctx.read();
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
        proxy.metrics().channels.addAndGet(-openChannels.size());
        openChannels.clear();
        if (state != State.CLOSING && state != State.CLOSED) {
            LOG.info("[{}] client went away without connection.close (state {})", id, state);
        }
        state = State.CLOSED;
        startOk.completeExceptionally(new IllegalStateException("client went away"));
        closeUpstream();
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
            startOk.complete(new StartOkParams(ProxyIdentity.annotate(m.table("client-properties"), id),
                    m.str("mechanism"), m.longstrBytes("response"), m.str("locale")));
        } else if (state == State.AWAIT_TUNE_OK && m.type() == MethodType.CONNECTION_TUNE_OK) {
            state = State.AWAIT_OPEN;
            TuneParams t = new TuneParams(m.shortInt("channel-max"),
                    negotiateFrameMax(m.longInt("frame-max"), brokerTune.frameMax()), m.shortInt("heartbeat"));
            client.pipeline().get(AmqpFrameDecoder.class).setMaxFrameSize(t.frameMax());
            HeartbeatHandler.install(client.pipeline(), "codec-encoder", t.heartbeatSeconds(), () -> false,
                    silent -> {
                        LOG.info("[{}] client silent for {} ms (2 heartbeat intervals): closing", id, silent.toMillis());
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
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                proxy.pool().connectFailed(b, since(started), f.cause());
                connectFirstUpstream(candidates, f.cause());
            }
        });
        handshake.ready().whenComplete((tune, err) -> client.executor().execute(() -> {
            if (err == null) {
                proxy.pool().connected(b, since(started));
                upstreamOpen(ch, b, tune);
                return;
            }
            Throwable cause = err instanceof CompletionException ? err.getCause() : err;
            ch.close();
            if (!connect.isSuccess()) {
                return; // the connect listener already moved on
            }
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

    private Bootstrap bootstrap(Backend b, UpstreamHandshake handshake) {
        return new Bootstrap()
                .group(client.channel().eventLoop())
                .channel(NioSocketChannel.class)
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
        ch.pipeline().remove("handshake");
        ch.pipeline().get(AmqpFrameDecoder.class).setMaxFrameSize(tune.frameMax());
        ch.pipeline().addLast("relay", new UpstreamRelay());
        HeartbeatHandler.install(ch.pipeline(), "codec-encoder", tune.heartbeatSeconds(),
                () -> brokerBlocked || upstreamReadPaused,
                silent -> {
                    proxy.metrics().heartbeatDeath(b.node().name(), silent);
                    upstreamLost("broker " + b + " silent for " + silent.toMillis() + " ms (2 heartbeat intervals)", true);
                });
        state = State.OPEN;
        LOG.info("[{}] connected to {} as a client of vhost '{}'", id, b, virtualHost.join());
        client.writeAndFlush(new MethodFrame(0, Method.of(MethodType.CONNECTION_OPEN_OK)));
        client.read();
        ch.read();
    }

    // ---------------------------------------------------------------- relay

    private void relayToUpstream(Frame f) {
        if (f instanceof MethodFrame mf && mf.channel() == 0) {
            if (mf.method().type() == MethodType.CONNECTION_CLOSE) {
                state = State.CLOSING;
                LOG.debug("[{}] client closes the connection", id);
            } else if (mf.method().type() == MethodType.CONNECTION_CLOSE_OK) {
                // the answer to a close the broker started
                upstream.writeAndFlush(ReferenceCountUtil.retain(f)).addListener(ChannelFutureListener.CLOSE);
                client.close();
                state = State.CLOSED;
                return;
            }
        } else if (f instanceof MethodFrame mf && mf.method().type() == MethodType.CHANNEL_CLOSE_OK) {
            channelClosed(mf.channel());
        }
        proxy.metrics().framesClientToBroker.increment();
        upstream.write(ReferenceCountUtil.retain(f));
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
        if (f instanceof MethodFrame mf) {
            Method m = mf.method();
            switch (m.type()) {
                case CONNECTION_CLOSE -> {
                    onBrokerClose(m);
                    return;
                }
                case CONNECTION_CLOSE_OK -> {
                    // the broker confirmed the client's close
                    client.writeAndFlush(ReferenceCountUtil.retain(f)).addListener(ChannelFutureListener.CLOSE);
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
                case CHANNEL_OPEN_OK -> channelOpened(mf.channel());
                case CHANNEL_CLOSE_OK -> channelClosed(mf.channel());
                default -> {
                }
            }
        }
        proxy.metrics().framesBrokerToClient.increment();
        client.write(ReferenceCountUtil.retain(f));
    }

    private void onBrokerClose(Method close) {
        int code = close.shortInt("reply-code");
        String text = close.str("reply-text");
        upstream.writeAndFlush(new MethodFrame(0, Method.of(MethodType.CONNECTION_CLOSE_OK)));
        if (code == ReplyCode.CONNECTION_FORCED) {
            // a node shutting down: a node fault, not the client's
            LOG.warn("[{}] broker {} forced the connection closed: {} {}", id, upstreamNode, code, text);
            proxy.pool().lost(upstreamNode, "forced close: " + text, true);
        } else {
            LOG.info("[{}] broker {} closed the connection: {} {}", id, upstreamNode, code, text);
            proxy.pool().released(upstreamNode);
        }
        upstreamNode = null;
        Channel up = upstream;
        upstream = null;
        up.close();
        forwardCloseToClient(close);
    }

    /** The upstream died under an open client connection (socket error, heartbeat death). */
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
        if (state == State.CLOSED) {
            return;
        }
        LOG.warn("[{}] lost broker {}: {}; closing the client with 320", id, node, reason);
        closeClient(ReplyCode.CONNECTION_FORCED, "CONNECTION_FORCED - upstream broker lost: " + reason);
    }

    private void channelOpened(int channel) {
        if (openChannels.add(channel)) {
            proxy.metrics().channels.incrementAndGet();
        }
    }

    private void channelClosed(int channel) {
        if (openChannels.remove(channel)) {
            proxy.metrics().channels.decrementAndGet();
        }
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

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String rootMessage(Throwable t) {
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
            if (client.channel().isWritable()) {
                ctx.read();
            } else {
                upstreamReadPaused = true;
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // the broker drained what the client sent: read from the client again
            if (ctx.channel().isWritable() && clientReadPaused) {
                clientReadPaused = false;
                client.read();
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
