package ossidecar.db.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import ossidecar.core.config.BackendNode;
import ossidecar.db.protocol.AuthSwitchRequest;
import ossidecar.db.protocol.Capabilities;
import ossidecar.db.protocol.ErrPacket;
import ossidecar.db.protocol.HandshakeResponse41;
import ossidecar.db.protocol.HandshakeV10;
import ossidecar.db.protocol.MalformedPacket;
import ossidecar.db.protocol.MysqlPacket;
import ossidecar.db.protocol.MysqlProtocolException;
import ossidecar.db.protocol.MysqlServerException;
import ossidecar.db.protocol.NativePassword;
import ossidecar.db.protocol.OkPacket;

/**
 * The router as a client of one backend (MariaDB manual, "Connection": initial handshake,
 * handshake response, optional auth switch, OK/ERR). Logs in with SHA1(password) from the
 * client's proof, so the router needs no cleartext password.
 */
final class BackendLogin extends ChannelInboundHandlerAdapter {
    /** Flags the router never negotiates with a backend: it does not do TLS or compression. */
    private static final long NEVER = Capabilities.CLIENT_SSL | Capabilities.CLIENT_COMPRESS
            | Capabilities.CLIENT_ZSTD_COMPRESSION_ALGORITHM;

    private enum State { AWAIT_GREETING, AWAIT_RESULT, DONE }

    private final BackendNode node;
    private final BackendLoginRequest request;
    private final Consumer<String> onServerVersion;
    private final CompletableFuture<BackendConnection> result = new CompletableFuture<>();
    private State state = State.AWAIT_GREETING;
    private HandshakeV10 greeting;
    private long capabilities;

    BackendLogin(BackendNode node, BackendLoginRequest request, Consumer<String> onServerVersion) {
        this.node = node;
        this.request = request;
        this.onServerVersion = onServerVersion;
    }

    CompletableFuture<BackendConnection> result() {
        return result;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof MalformedPacket bad) {
                fail(ctx, new MysqlProtocolException("backend " + node.name() + " sent a malformed packet: " + bad.reason()));
                return;
            }
            if (!(msg instanceof MysqlPacket p)) {
                return;
            }
            ByteBuf payload = p.payload();
            switch (state) {
                case AWAIT_GREETING -> onGreeting(ctx, payload);
                case AWAIT_RESULT -> onResult(ctx, p);
                default -> {
                }
            }
            if (!result.isDone()) {
                ctx.read();
            }
        } catch (MysqlServerException | MysqlProtocolException e) {
            fail(ctx, e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onGreeting(ChannelHandlerContext ctx, ByteBuf payload) {
        greeting = HandshakeV10.decode(payload);
        onServerVersion.accept(greeting.serverVersion());
        capabilities = (request.capabilities() & greeting.capabilities() & ~NEVER)
                | Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION | Capabilities.CLIENT_PLUGIN_AUTH;
        if (request.database() != null && !request.database().isEmpty()) {
            capabilities |= Capabilities.CLIENT_CONNECT_WITH_DB;
        } else {
            capabilities &= ~Capabilities.CLIENT_CONNECT_WITH_DB;
        }
        HandshakeResponse41 response = new HandshakeResponse41(capabilities, 1L << 30, request.charset(),
                request.user(), scramble(greeting.authSeed()), request.database(), NativePassword.PLUGIN_NAME,
                request.connectAttributes());
        ByteBuf out = ctx.alloc().buffer();
        response.encode(out);
        ctx.writeAndFlush(new MysqlPacket(1, out));
        state = State.AWAIT_RESULT;
    }

    private void onResult(ChannelHandlerContext ctx, MysqlPacket p) {
        ByteBuf payload = p.payload();
        int header = payload.getUnsignedByte(payload.readerIndex());
        if (header == OkPacket.HEADER) {
            OkPacket ok = OkPacket.decode(payload, capabilities);
            state = State.DONE;
            ctx.pipeline().remove(this);
            result.complete(new BackendConnection(ctx.channel(), node, capabilities,
                    request.user(), request.charset(), ok.statusFlags(),
                    request.database() == null || request.database().isEmpty() ? null : request.database()));
        } else if (header == ErrPacket.HEADER) {
            throw ErrPacket.decode(payload).toException();
        } else if (header == AuthSwitchRequest.HEADER) {
            AuthSwitchRequest sw = AuthSwitchRequest.decode(payload);
            if (!NativePassword.PLUGIN_NAME.equals(sw.pluginName())) {
                throw new MysqlProtocolException("backend " + node.name() + " asks for auth plugin '" + sw.pluginName()
                        + "': the router logs in with mysql_native_password only (ALTER USER ... IDENTIFIED VIA "
                        + "mysql_native_password on the backends)");
            }
            ByteBuf out = ctx.alloc().buffer(NativePassword.HASH_LENGTH);
            out.writeBytes(scramble(sw.authSeed()));
            ctx.writeAndFlush(new MysqlPacket(p.nextSequenceId(), out));
        } else {
            throw new MysqlProtocolException("backend " + node.name() + " answered the login with packet 0x"
                    + Integer.toHexString(header));
        }
    }

    private byte[] scramble(byte[] seed) {
        byte[] s20 = seed.length > NativePassword.SEED_LENGTH ? java.util.Arrays.copyOf(seed, NativePassword.SEED_LENGTH) : seed;
        return request.stage1().length == 0 ? new byte[0] : NativePassword.scrambleFromStage1(request.stage1(), s20);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        result.completeExceptionally(new MysqlProtocolException("backend " + node.name()
                + " closed the connection during login"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        result.completeExceptionally(cause);
        ctx.close();
    }
}
