package ossidecar.core.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ResourceLeakDetector;

/**
 * The proxies' socket transport: Netty's native epoll on Linux (fewer system calls and no
 * per-write NIO buffer views: measured in {@code bench/results/amqp-perftest.md}), Java NIO
 * elsewhere or when the system property {@code ossidecar.netty.nio} is {@code true}. Channels
 * take the transport of the event loop group they are registered with, so a connection made
 * from an existing loop always matches it.
 */
public final class NettyTransport {
    private static final boolean NATIVE = !Boolean.getBoolean("ossidecar.netty.nio") && Epoll.isAvailable();

    private NettyTransport() {
    }

    /**
     * What a running sidecar sets before it starts: Netty's leak detector off, unless the
     * operator asked for a level with {@code -Dio.netty.leakDetection.level}. At its default it
     * samples buffers and records a stack trace for each sampled one: measured, one exception
     * per six relayed AMQP messages (bench/results/amqp-profile.md). The tests run with it on.
     */
    public static void productionDefaults() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** For a new event loop group of a proxy. */
    public static IoHandlerFactory ioHandlerFactory() {
        return NATIVE ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public static Class<? extends ServerSocketChannel> serverChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** What the operator reads in the startup log line. */
    public static String describe() {
        if (NATIVE) {
            return "native epoll";
        }
        return Boolean.getBoolean("ossidecar.netty.nio") ? "Java NIO (ossidecar.netty.nio=true)"
                : "Java NIO (native epoll unavailable: " + Epoll.unavailabilityCause() + ")";
    }

    private static boolean isEpoll(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
    }
}
