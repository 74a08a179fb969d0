package ossidecar.chaos.toxiproxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started proxy: its listening channel and its open connections. Closing it (disable,
 * delete, address change) closes the listener, so new connections are refused, and every open
 * connection, as Toxiproxy's {@code Proxy.Stop} does.
 */
final class ProxyListener implements DataPlane.Bound {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyListener.class);
    private static final long CLOSE_WAIT_SECONDS = 5;
    private static final int PROBE_TIMEOUT_MILLIS = 200;
    private static final long PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final String name;
    private final String upstream;
    private final InetSocketAddress upstreamAddress;
    private final ToxicChain toxics;
    private final Set<ProxyConnection> connections = new LinkedHashSet<>();
    private Channel server;
    private InetSocketAddress boundAddress;
    private boolean closed;

    ProxyListener(String name, String upstream, InetSocketAddress upstreamAddress, ToxicChain toxics) {
        this.name = name;
        this.upstream = upstream;
        this.upstreamAddress = upstreamAddress;
        this.toxics = toxics;
    }

    void bound(Channel serverChannel) {
        this.server = serverChannel;
        this.boundAddress = (InetSocketAddress) serverChannel.localAddress();
    }

    String name() {
        return name;
    }

    String upstream() {
        return upstream;
    }

    /** Null when the upstream text did not parse or resolve: connections are then closed at once. */
    InetSocketAddress upstreamAddress() {
        return upstreamAddress;
    }

    /** Registers a new connection and returns its starting toxics; null once the proxy is stopped. */
    List<Toxic> register(ProxyConnection c) {
        synchronized (this) {
            if (closed) {
                return null;
            }
            connections.add(c);
        }
        return toxics.register(c);
    }

    void unregister(ProxyConnection c) {
        toxics.unregister(c);
        synchronized (this) {
            connections.remove(c);
        }
    }

    synchronized int connectionCount() {
        return connections.size();
    }

    @Override
    public String address() {
        return HostPort.format(boundAddress);
    }

    @Override
    public void close() {
        List<ProxyConnection> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(connections);
        }
        List<ChannelFuture> closing = new ArrayList<>();
        closing.add(server.close());
        for (ProxyConnection c : open) {
            closing.addAll(c.closeChannels());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        awaitRefused(deadline);
    }

    /**
     * Java NIO closes a listening socket that is registered with a selector only when the
     * selector next runs (ServerSocketChannelImpl defers the kill to deregistration), so the
     * port can accept for a moment after Netty's close completed. Toxiproxy's Stop returns with
     * the port closed; probe until it refuses, so a caller may connect and expect a refusal.
     */
    private void awaitRefused(long deadline) {
        InetAddress host = boundAddress.getAddress().isAnyLocalAddress()
                ? InetAddress.getLoopbackAddress() : boundAddress.getAddress();
        InetSocketAddress probe = new InetSocketAddress(host, boundAddress.getPort());
        while (System.nanoTime() - deadline < 0) {
            try (Socket s = new Socket()) {
                s.connect(probe, PROBE_TIMEOUT_MILLIS);
            } catch (IOException refused) {
                return;
            }
            LockSupport.parkNanos(PROBE_INTERVAL_NANOS);
        }
        LOG.warn("toxiproxy: proxy {} still accepts on {} after stopping", name, address());
    }
}
