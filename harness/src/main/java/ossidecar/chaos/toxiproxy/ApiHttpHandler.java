package ossidecar.chaos.toxiproxy;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Date;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 front of {@link ToxiproxyApi}. The event loop only decodes and encodes: each
 * request is answered on the control executor (binding a proxy waits there), and the next
 * request is read once the answer is written (auto-read is off).
 */
final class ApiHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHttpHandler.class);

    /** Set by {@code http.Error} on every plain-text answer. */
    private static final String NOSNIFF = "X-Content-Type-Options";
    /** Toxiproxy tags each answer with a request id (zerolog's {@code hlog.RequestIDHandler}). */
    private static final String REQUEST_ID = "X-Toxiproxy-Request-Id";
    private static final char[] BASE32HEX = "0123456789abcdefghijklmnopqrstuv".toCharArray();
    private static final AtomicLong REQUESTS = new AtomicLong();

    private final ToxiproxyApi api;
    private final Executor control;

    ApiHttpHandler(ToxiproxyApi api, Executor control) {
        this.api = api;
        this.control = control;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            respond(ctx, ApiResponse.text(400, "bad request: " + req.decoderResult().cause()), false);
            return;
        }
        String method = req.method().name();
        String uri = req.uri();
        byte[] body = ByteBufUtil.getBytes(req.content());
        String userAgent = req.headers().get(HttpHeaderNames.USER_AGENT);
        try {
            control.execute(() -> {
                ApiResponse r = api.handle(method, uri, body, userAgent);
                ctx.executor().execute(() -> respond(ctx, r, keepAlive));
            });
        } catch (RejectedExecutionException e) {
            respond(ctx, ApiResponse.text(503, "toxiproxy server is stopping"), false);
        }
    }

    private static void respond(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
        if (r.contentType() != null) {
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        if (r.nosniff()) {
            resp.headers().set(NOSNIFF, "nosniff");
        }
        // Go's server sends a length with every answer but 204 (a 405 says Content-Length: 0).
        if (r.status() != 204) {
            HttpUtil.setContentLength(resp, r.body().length);
        }
        if (r.routed()) {
            resp.headers().set(REQUEST_ID, requestId());
        }
        resp.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        if (r.location() != null) {
            resp.headers().set(HttpHeaderNames.LOCATION, r.location());
        }
        if (keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(resp).addListener(f -> {
                if (f.isSuccess()) {
                    ctx.read();
                } else {
                    ctx.close();
                }
            });
        } else {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A unique 20-character id in xid's alphabet: milliseconds, then a sequence number. */
    static String requestId() {
        long time = System.currentTimeMillis();
        long seq = REQUESTS.incrementAndGet();
        char[] id = new char[20];
        for (int i = 9; i >= 0; i--) {
            id[i] = BASE32HEX[(int) (time & 31)];
            time >>>= 5;
        }
        for (int i = 19; i >= 10; i--) {
            id[i] = BASE32HEX[(int) (seq & 31)];
            seq >>>= 5;
        }
        return new String(id);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("toxiproxy: API connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
