package ossidecar.core.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.core.config.Endpoint;

/** Carries {@link AdminRoutes} over HTTP/1.1 on one small Netty event loop. */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    /** Admin requests are small JSON bodies; anything larger is refused by the aggregator. */
    private static final int MAX_BODY = 64 * 1024;

    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(Channel channel, EventLoopGroup group) {
        this.channel = channel;
        this.group = group;
    }

    public static AdminServer start(Endpoint listen, AdminRoutes routes) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                    new Handler(routes));
                        }
                    })
                    .bind(listen.host(), listen.port()).sync().channel();
            LOG.info("admin HTTP listening on {} (/metrics /health /status /loggers)", ch.localAddress());
            return new AdminServer(ch, group);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final AdminRoutes routes;

        Handler(AdminRoutes routes) {
            this.routes = routes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            AdminResponse r;
            if (!req.decoderResult().isSuccess()) {
                r = AdminResponse.text(400, "text/plain", "bad request: " + req.decoderResult().cause());
            } else {
                try {
                    r = routes.handle(req.method().name(), req.uri(), ByteBufUtil.getBytes(req.content()));
                } catch (RuntimeException e) {
                    LOG.error("admin request {} {} failed", req.method(), req.uri(), e);
                    r = AdminResponse.text(500, "text/plain", "internal error: " + e);
                }
            }
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(r.status()),
                    req.method() == HttpMethod.HEAD ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            HttpUtil.setContentLength(resp, r.body().length);
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (keepAlive) {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(resp);
            } else {
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("admin connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
