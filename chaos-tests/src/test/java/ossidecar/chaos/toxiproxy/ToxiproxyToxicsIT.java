package ossidecar.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The data plane: each toxic's effect on real sockets through a proxy, toxics changed on live
 * connections, disabled proxies. Waits are bounded (socket read timeouts, deadlines); elapsed
 * times are measured, never slept.
 */
class ToxiproxyToxicsIT {
    private static final String PREFIX = "toxics-it-";
    private static final AtomicInteger SEQ = new AtomicInteger();

    private static ToxiproxyEndpoint toxiproxy;
    private static TestUpstream echo;

    @BeforeAll
    static void start() throws IOException {
        toxiproxy = ToxiproxyEndpoint.start();
        echo = TestUpstream.echo();
    }

    @AfterAll
    static void stop() throws IOException {
        echo.close();
        toxiproxy.close();
    }

    @AfterEach
    void deleteOurProxies() throws IOException {
        for (Proxy p : toxiproxy.getProxies()) {
            if (p.getName().startsWith(PREFIX)) {
                p.delete();
            }
        }
    }

    private static Proxy proxyTo(TestUpstream upstream) throws IOException {
        return toxiproxy.createProxy(PREFIX + SEQ.incrementAndGet(), "127.0.0.1:0", upstream.address());
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void relaysBothWaysWithoutToxics() throws Exception {
        Proxy p = proxyTo(echo);
        byte[] big = random(300_000);
        try (Socket s = Net.connect(p.getListen())) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(big);
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertArrayEquals(big, Net.readExactly(s.getInputStream(), big.length));
            writer.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void latencyDelaysEachChunk() throws Exception {
        Proxy p = proxyTo(echo);
        p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 300);
        p.toxics().latency("lat-up", ToxicDirection.UPSTREAM, 100);
        try (Socket s = Net.connect(p.getListen())) {
            long rtt = Net.echoMillis(s, "ping");
            assertTrue(rtt >= 400, "round trip " + rtt + " ms, expected >= 300 + 100");
        }
    }

    @Test
    void toxicsChangeOnOpenConnections() throws Exception {
        Proxy p = proxyTo(echo);
        try (Socket s = Net.connect(p.getListen())) {
            Net.echoMillis(s, "before");
            Latency lat = p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 300);
            long slow = Net.echoMillis(s, "during");
            assertTrue(slow >= 300, "added latency applies to the open connection: " + slow + " ms");
            lat.setLatency(600);
            long slower = Net.echoMillis(s, "updated");
            assertTrue(slower >= 600, "updated latency applies: " + slower + " ms");
            lat.remove();
            Net.echoMillis(s, "after");
        }
    }

    @Test
    void toxicityZeroNeverApplies() throws Exception {
        Proxy p = proxyTo(echo);
        p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 5000).setToxicity(0f);
        try (Socket s = Net.connect(p.getListen())) {
            long rtt = Net.echoMillis(s, "quick");
            assertTrue(rtt < 5000, "a toxic with toxicity 0 must not apply: " + rtt + " ms");
        }
    }

    @Test
    void limitDataCutsAtTheByteAndCloses() throws Exception {
        byte[] data = random(100);
        try (TestUpstream sender = TestUpstream.sending(data, false)) {
            Proxy p = proxyTo(sender);
            p.toxics().limitData("limit", ToxicDirection.DOWNSTREAM, 10);
            try (Socket s = Net.connect(p.getListen())) {
                byte[] got = Net.readToEnd(s.getInputStream());
                assertArrayEquals(Arrays.copyOf(data, 10), got);
            }
        }
    }

    @Test
    void limitDataUpstreamLetsTheServerSeeExactlyTheLimit() throws Exception {
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        try (TestUpstream recorder = TestUpstream.of(sock -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                sock.getInputStream().transferTo(all);
            } finally {
                received.complete(all.toByteArray());
            }
        })) {
            Proxy p = proxyTo(recorder);
            p.toxics().limitData("limit", ToxicDirection.UPSTREAM, 5);
            try (Socket s = Net.connect(p.getListen())) {
                s.getOutputStream().write(Net.ascii("0123456789"));
                s.getOutputStream().flush();
                assertArrayEquals(Net.ascii("01234"), received.get(10, TimeUnit.SECONDS));
                assertEquals(0, Net.readToEnd(s.getInputStream()).length, "the client is closed too");
            }
        }
    }

    @Test
    void resetPeerResetsTheConnection() throws Exception {
        Proxy p = proxyTo(echo);
        p.toxics().resetPeer("rst", ToxicDirection.DOWNSTREAM, 200);
        try (Socket s = Net.connect(p.getListen())) {
            long start = System.nanoTime();
            s.getOutputStream().write(Net.ascii("x"));
            s.getOutputStream().flush();
            SocketException e = assertThrows(SocketException.class, () -> Net.readToEnd(s.getInputStream()));
            long elapsed = millisSince(start);
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
            assertTrue(elapsed >= 200, "reset after the timeout: " + elapsed + " ms");
        }
    }

    @Test
    void timeoutZeroIsSilentUntilRemovedThenCloses() throws Exception {
        Proxy p = proxyTo(echo);
        try (Socket s = Net.connect(p.getListen())) {
            Net.echoMillis(s, "open");
            Timeout t = p.toxics().timeout("blackhole", ToxicDirection.DOWNSTREAM, 0);
            s.getOutputStream().write(Net.ascii("lost"));
            s.getOutputStream().flush();
            assertTrue(Net.silentFor(s, 700));
            t.remove();
            assertEquals(0, Net.readToEnd(s.getInputStream()).length, "removing the timeout closes the connection");
        }
        // New connections work again.
        try (Socket s = Net.connect(p.getListen())) {
            Net.echoMillis(s, "healed");
        }
    }

    @Test
    void timeoutClosesAfterItsTimeout() throws Exception {
        Proxy p = proxyTo(echo);
        p.toxics().timeout("to", ToxicDirection.UPSTREAM, 300);
        long start = System.nanoTime();
        try (Socket s = Net.connect(p.getListen())) {
            s.getOutputStream().write(Net.ascii("dropped"));
            s.getOutputStream().flush();
            assertEquals(0, Net.readToEnd(s.getInputStream()).length);
            long elapsed = millisSince(start);
            assertTrue(elapsed >= 300, "closed after " + elapsed + " ms");
        }
    }

    @Test
    void disabledProxyClosesConnectionsAndRefusesNewOnes() throws Exception {
        Proxy p = proxyTo(echo);
        try (Socket s = Net.connect(p.getListen())) {
            Net.echoMillis(s, "open");
            p.disable();
            assertEquals(0, Net.readToEnd(s.getInputStream()).length, "open connection closed");
        }
        assertThrows(ConnectException.class, () -> Net.connect(p.getListen()).close());
        p.enable();
        try (Socket s = Net.connect(p.getListen())) {
            Net.echoMillis(s, "enabled again");
        }
    }

    @Test
    void bandwidthThrottles() throws Exception {
        byte[] data = random(100_000);
        try (TestUpstream sender = TestUpstream.sending(data, true)) {
            Proxy p = proxyTo(sender);
            p.toxics().bandwidth("bw", ToxicDirection.DOWNSTREAM, 50);
            long start = System.nanoTime();
            try (Socket s = Net.connect(p.getListen())) {
                byte[] got = Net.readToEnd(s.getInputStream());
                long elapsed = millisSince(start);
                assertArrayEquals(data, got);
                assertTrue(elapsed >= 1600, "100 KB at 50 KB/s took " + elapsed + " ms");
            }
        }
    }

    @Test
    void slicerSplitsWrites() throws Exception {
        byte[] data = random(1000);
        try (TestUpstream sender = TestUpstream.sending(data, false)) {
            Proxy p = proxyTo(sender);
            // 100-byte average, 20 ms (20000 µs) after each slice: 1000 bytes become 16 slices.
            p.toxics().slicer("slice", ToxicDirection.DOWNSTREAM, 100, 20_000);
            try (Socket s = Net.connect(p.getListen())) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                int reads = 0;
                int largest = 0;
                long start = System.nanoTime();
                byte[] buf = new byte[4096];
                while (got.size() < data.length) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    got.write(buf, 0, n);
                    reads++;
                    largest = Math.max(largest, n);
                }
                long elapsed = millisSince(start);
                assertArrayEquals(data, got.toByteArray());
                assertTrue(reads >= 4, "1000 bytes arrived in " + reads + " reads");
                assertTrue(largest < data.length, "largest read " + largest);
                assertTrue(elapsed >= 200, "16 slices 20 ms apart took " + elapsed + " ms");
            }
        }
    }

    /**
     * A client that half-closes ends its upstream stream; Toxiproxy then closes the upstream
     * connection, which ends the downstream stream, and a downstream slow_close holds the
     * client's end of stream for its delay (without the toxic it arrives at once).
     */
    @Test
    void slowCloseDelaysTheEndOfStreamAfterTheClientHalfCloses() throws Exception {
        Proxy p = proxyTo(echo);
        try (Socket s = Net.connect(p.getListen())) {
            Net.echoMillis(s, "open");
            long start = System.nanoTime();
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read());
            long prompt = millisSince(start);
            assertTrue(prompt < 900, "without slow_close the end of stream came after " + prompt + " ms");
        }
        p.toxics().slowClose("slow", ToxicDirection.DOWNSTREAM, 1000);
        try (Socket s = Net.connect(p.getListen())) {
            Net.echoMillis(s, "open");
            long start = System.nanoTime();
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read());
            long held = millisSince(start);
            assertTrue(held >= 1000, "end of stream after " + held + " ms, expected the 1000 ms delay");
        }
    }

    @Test
    void slowCloseDelaysTheClose() throws Exception {
        try (TestUpstream sender = TestUpstream.sending(Net.ascii("bye"), true)) {
            Proxy p = proxyTo(sender);
            p.toxics().slowClose("slow", ToxicDirection.DOWNSTREAM, 500);
            long start = System.nanoTime();
            try (Socket s = Net.connect(p.getListen())) {
                assertArrayEquals(Net.ascii("bye"), Net.readToEnd(s.getInputStream()));
                long elapsed = millisSince(start);
                assertTrue(elapsed >= 500, "closed after " + elapsed + " ms");
            }
        }
    }
}
