package ossidecar.amqp.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import ossidecar.amqp.codec.HeartbeatFrame;
import ossidecar.amqp.codec.MalformedFrame;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodFrame;
import ossidecar.amqp.codec.MethodType;
import ossidecar.amqp.codec.ProtocolHeader;

/**
 * The proxy as a client of one broker node (AMQP 0-9-1 §2.2.4): header, start/start-ok,
 * tune/tune-ok, open/open-ok. What it answers comes from futures, so the same handshake
 * serves a first connection (the values arrive from the client as its own handshake goes)
 * and a reconnect (the values are already known).
 *
 * <p>Outcome: {@link #ready()} completes when open-ok arrives, or fails with
 * {@link UpstreamRefusedException} carrying the broker's connection.close (e.g. 403 for a
 * wrong password), or with the I/O cause.
 */
final class UpstreamHandshake extends ChannelInboundHandlerAdapter {
    private enum State { AWAIT_START, AWAIT_TUNE, AWAIT_OPEN_OK, DONE }

    private final CompletableFuture<StartOkParams> startOk;
    private final CompletableFuture<TuneParams> tuneOk;
    private final CompletableFuture<String> virtualHost;
    private final int proxyHeartbeatSeconds;
    private final Consumer<Method> onServerStart;
    private final Consumer<TuneParams> onServerTune;
    private final CompletableFuture<TuneParams> ready = new CompletableFuture<>();
    private State state = State.AWAIT_START;
    private TuneParams negotiated;

    /**
     * @param onServerStart the broker's connection.start, for the first connection's Start to the client
     * @param onServerTune  the broker's proposed limits, for the first connection's Tune to the client
     */
    UpstreamHandshake(CompletableFuture<StartOkParams> startOk, CompletableFuture<TuneParams> tuneOk,
                      CompletableFuture<String> virtualHost, int proxyHeartbeatSeconds,
                      Consumer<Method> onServerStart, Consumer<TuneParams> onServerTune) {
        this.startOk = startOk;
        this.tuneOk = tuneOk;
        this.virtualHost = virtualHost;
        this.proxyHeartbeatSeconds = proxyHeartbeatSeconds;
        this.onServerStart = onServerStart;
        this.onServerTune = onServerTune;
    }

    /** Completes with the negotiated limits of the upstream connection once it is open. */
    CompletableFuture<TuneParams> ready() {
        return ready;
    }

    /**
     * Whether the handshake waits for the broker's next answer rather than for the client's part
     * (start-ok, tune-ok, the vhost): only the broker's silence counts against its node.
     */
    boolean waitingForBroker() {
        return switch (state) {
            case AWAIT_START -> true;
            case AWAIT_TUNE -> startOk.isDone();
            case AWAIT_OPEN_OK -> tuneOk.isDone() && virtualHost.isDone();
            case DONE -> false;
        };
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(ProtocolHeader.INSTANCE).addListener(f -> {
            if (!f.isSuccess()) {
                fail(f.cause());
            }
        });
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (state == State.DONE) {
                ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
                return;
            }
            if (msg instanceof HeartbeatFrame) {
                return;
            }
            if (msg instanceof MalformedFrame bad) {
                fail(new UpstreamProtocolException("broker sent a malformed frame: " + bad.reason()));
                ctx.close();
                return;
            }
            if (!(msg instanceof MethodFrame mf) || mf.channel() != 0) {
                fail(new UpstreamProtocolException("unexpected frame during handshake: " + msg));
                ctx.close();
                return;
            }
            Method m = mf.method();
            if (m.type() == MethodType.CONNECTION_CLOSE) {
                ctx.writeAndFlush(new MethodFrame(0, Method.of(MethodType.CONNECTION_CLOSE_OK)));
                fail(new UpstreamRefusedException(m));
                ctx.close();
                return;
            }
            switch (state) {
                case AWAIT_START -> expect(m, MethodType.CONNECTION_START, () -> onStart(ctx, m));
                case AWAIT_TUNE -> expect(m, MethodType.CONNECTION_TUNE, () -> onTune(ctx, m));
                case AWAIT_OPEN_OK -> expect(m, MethodType.CONNECTION_OPEN_OK, () -> {
                    state = State.DONE;
                    ready.complete(negotiated);
                });
                default -> throw new IllegalStateException(state.name());
            }
            if (!ready.isDone()) {
                ctx.read();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void expect(Method m, MethodType expected, Runnable then) {
        if (m.type() != expected) {
            fail(new UpstreamProtocolException("broker sent " + m.type() + " while the proxy waited for " + expected));
            return;
        }
        then.run();
    }

    private void onStart(ChannelHandlerContext ctx, Method start) {
        state = State.AWAIT_TUNE;
        onServerStart.accept(start);
        startOk.whenComplete((p, err) -> ctx.executor().execute(() -> {
            if (err != null) {
                fail(err);
                ctx.close();
                return;
            }
            ctx.writeAndFlush(new MethodFrame(0, Method.of(MethodType.CONNECTION_START_OK,
                    "client-properties", p.clientProperties(),
                    "mechanism", p.mechanism(),
                    "response", p.response(),
                    "locale", p.locale())));
        }));
    }

    private void onTune(ChannelHandlerContext ctx, Method tune) {
        state = State.AWAIT_OPEN_OK;
        long frameMax = tune.longInt("frame-max");
        onServerTune.accept(new TuneParams(tune.shortInt("channel-max"),
                frameMax > Integer.MAX_VALUE ? 0 : (int) frameMax, tune.shortInt("heartbeat")));
        tuneOk.thenCombine(virtualHost, (client, vhost) -> {
            ctx.executor().execute(() -> {
                // The client's limits, so frames relay unchanged both ways; the proxy's own
                // heartbeat, whatever the client chose (a client at 0 is still protected).
                negotiated = new TuneParams(client.channelMax(), client.frameMax(), proxyHeartbeatSeconds);
                ctx.write(new MethodFrame(0, Method.of(MethodType.CONNECTION_TUNE_OK,
                        "channel-max", negotiated.channelMax(),
                        "frame-max", (long) negotiated.frameMax(),
                        "heartbeat", negotiated.heartbeatSeconds())));
                ctx.writeAndFlush(new MethodFrame(0, Method.of(MethodType.CONNECTION_OPEN, "virtual-host", vhost)));
            });
            return null;
        }).exceptionally(err -> {
            ctx.executor().execute(() -> {
                fail(err);
                ctx.close();
            });
            return null;
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new UpstreamProtocolException("broker closed the connection during the handshake (state " + state + ")"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
        ctx.close();
    }

    private void fail(Throwable t) {
        ready.completeExceptionally(t);
    }
}
