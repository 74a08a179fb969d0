package ossidecar.amqp.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ossidecar.amqp.codec.ProtocolHeader;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.config.ConfigLoader;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.NodeRegistry;

/**
 * The first upstream handshake is bounded like a recovery attempt: a node that accepts the
 * socket and never answers counts as a failed connect after the bound, and the next node in
 * priority order is tried. Both nodes here are silent port-0 listeners, so the test sees when
 * each one is reached and when the proxy gives up on it.
 */
class FirstConnectTimeoutTest {
    /** A node that accepts TCP and never says a word; it hands over each accepted socket. */
    private static final class SilentNode implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        final BlockingQueue<Socket> accepted = new ArrayBlockingQueue<>(10);
        final Thread acceptor = new Thread(this::acceptLoop, "silent-node");

        SilentNode() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void acceptLoop() {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private SimpleMeterRegistry meters;
    private SilentNode first;
    private SilentNode second;
    private AmqpProxy proxy;
    private long boundMs;

    @BeforeEach
    void start() throws Exception {
        meters = new SimpleMeterRegistry();
        first = new SilentNode();
        second = new SilentNode();
        AmqpProxyConfig cfg = onPortZero(ConfigLoader.parse(String.join("\n",
                "amqp:",
                "  listen: 127.0.0.1:5672",
                "  strategy: priority",
                "  heartbeat: 1s",
                "  connect-timeout: 500ms",
                "  nodes:",
                "    - name: silent-1",
                "      address: 127.0.0.1:" + first.port(),
                "    - name: silent-2",
                "      address: 127.0.0.1:" + second.port(),
                ""), "test").amqp());
        boundMs = Recovery.attemptBound(cfg).toMillis();
        proxy = AmqpProxy.start(cfg, new NodeRegistry("amqp", meters, Clock.systemUTC()), meters);
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        first.close();
        second.close();
    }

    @Test
    void aNodeThatAcceptsAndNeverAnswersIsLeftForTheNextAfterTheBound() throws Exception {
        assertEquals(2000, boundMs, "two heartbeat intervals of 1 s outweigh twice the 500 ms connect timeout");
        try (Socket client = new Socket("127.0.0.1", proxy.port())) {
            client.setSoTimeout((int) (4 * boundMs));
            long t0 = System.nanoTime();
            client.getOutputStream().write(ProtocolHeader.bytes());

            Socket toFirst = first.accepted.poll(5, TimeUnit.SECONDS);
            assertNotNull(toFirst, "the first node in priority order is tried first");
            toFirst.setSoTimeout((int) (4 * boundMs));
            Socket toSecond = second.accepted.poll(4 * boundMs, TimeUnit.MILLISECONDS);
            long secondAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertNotNull(toSecond, "the second node is tried once the first stayed silent past the bound");
            assertTrue(secondAfterMs >= boundMs - 100, "moved on by the bound, not earlier: " + secondAfterMs + " ms");
            assertTrue(drainToEnd(toFirst.getInputStream()), "the proxy closed the silent first connection");

            // the second node is silent too: the client, which never got a Start, is closed cleanly
            assertEquals(-1, client.getInputStream().read(), "no Start was sent, so the socket is just closed");
            long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(closedAfterMs >= 2 * boundMs - 200 && closedAfterMs < 3 * boundMs,
                    "one bound per node: " + closedAfterMs + " ms");
            toSecond.close();
        }
        for (String node : List.of("silent-1", "silent-2")) {
            assertEquals(1.0, meters.get("sidecar.upstream.connects").tags("node", node, "outcome", "failed")
                    .counter().count(), node + " counts as a failed connect");
        }
    }

    /**
     * The loaded config with the listener on port 0, which the loader rightly refuses. Built
     * through the record's components, so this test does not depend on its field list (other
     * settings are added to it over time) and every other value is the loader's default.
     */
    private static AmqpProxyConfig onPortZero(AmqpProxyConfig c) throws ReflectiveOperationException {
        RecordComponent[] parts = AmqpProxyConfig.class.getRecordComponents();
        Class<?>[] types = new Class<?>[parts.length];
        Object[] values = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = parts[i].getType();
            values[i] = parts[i].getName().equals("listen") ? new Endpoint("127.0.0.1", 0)
                    : parts[i].getAccessor().invoke(c);
        }
        return AmqpProxyConfig.class.getDeclaredConstructor(types).newInstance(values);
    }

    /** Reads what the proxy sent (its protocol header) up to the end of the stream; false on a read timeout. */
    private static boolean drainToEnd(InputStream in) throws IOException {
        try {
            while (in.read() != -1) {
                // the proxy's AMQP header, then the close
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }
}
