package ossidecar.amqp.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.NodeRegistry;

/**
 * A port-0 proxy fed bad input before any broker is involved: it answers as the spec says,
 * closes that connection, counts it, and keeps serving.
 */
class BadClientInputTest {
    private SimpleMeterRegistry meters;
    private AmqpProxy proxy;

    @BeforeEach
    void start() throws Exception {
        meters = new SimpleMeterRegistry();
        // port 9 on loopback (discard) refuses: no broker is needed for these cases
        AmqpProxyConfig cfg = new AmqpProxyConfig(true, new Endpoint("127.0.0.1", 0),
                List.of(new BackendNode("nowhere", new Endpoint("127.0.0.1", 9))), ConnectStrategy.PRIORITY,
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60),
                AmqpProxyConfig.DEFAULT_NACK_RETRY_BUDGET, 1 << 20);
        proxy = AmqpProxy.start(cfg, new NodeRegistry("amqp", meters, Clock.systemUTC()), meters);
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void aWrongProtocolHeaderGetsTheProxysHeaderAndAClose() throws Exception {
        for (int i = 0; i < 3; i++) { // and the proxy keeps serving the next client
            try (Socket s = new Socket("127.0.0.1", proxy.port())) {
                s.setSoTimeout(5_000);
                s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertArrayEquals(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}, in.readNBytes(8),
                        "spec 4.2.2: the server answers a bad header with the header it accepts");
                assertEquals(-1, in.read(), "then closes the connection");
            }
        }
        assertEquals(3.0, meters.get("sidecar.amqp.client.protocol.errors").counter().count());
    }

    @Test
    void aClientThatVanishesMidHeaderLeavesNothingBehind() throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.getOutputStream().write(new byte[] {'A', 'M', 'Q'});
            await(() -> meters.get("sidecar.amqp.client.connections").gauge().value() == 1.0, "the connection is open");
        }
        await(() -> meters.get("sidecar.amqp.client.connections").gauge().value() == 0.0, "the connection is released");
        assertEquals(1.0, meters.get("sidecar.amqp.client.connections.opened").counter().count());
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
