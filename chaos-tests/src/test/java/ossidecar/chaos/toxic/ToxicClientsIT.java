package ossidecar.chaos.toxic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.chaos.toxiproxy.ProxiedNodes;
import ossidecar.chaos.toxiproxy.ToxiproxyEndpoint;

/**
 * The harness wiring: Toxiproxy proxies in front of the real RabbitMQ and Galera nodes, and
 * each toxic type taking effect on a RabbitMQ Java client and a JDBC client through them.
 * Uses a real Toxiproxy when {@code TOXIPROXY_URL} / {@code -Dtoxiproxy.url} is set.
 */
class ToxicClientsIT {
    private static ToxiproxyEndpoint toxiproxy;
    private static RabbitCluster rabbit;
    private static GaleraCluster galera;
    private static ProxiedNodes rabbitProxies;
    private static ProxiedNodes galeraProxies;

    @BeforeAll
    static void start() throws IOException {
        toxiproxy = ToxiproxyEndpoint.start();
        rabbit = SharedClusters.rabbit();
        galera = SharedClusters.galera();
        rabbitProxies = ProxiedNodes.create(toxiproxy, "rabbit", rabbit.nodes());
        galeraProxies = ProxiedNodes.create(toxiproxy, "galera", galera.nodes());
    }

    @AfterEach
    void heal() throws IOException {
        rabbitProxies.faults(1).heal();
        galeraProxies.faults(1).heal();
    }

    @AfterAll
    static void stop() {
        if (rabbitProxies != null) {
            rabbitProxies.close();
            galeraProxies.close();
        }
        if (toxiproxy != null) {
            toxiproxy.close();
        }
    }

    @Test
    void latencySlowsEveryRoundTrip() throws Exception {
        rabbitProxies.proxy(1).toxics().latency("lat", ToxicDirection.DOWNSTREAM, 300);
        galeraProxies.proxy(1).toxics().latency("lat", ToxicDirection.DOWNSTREAM, 300);
        try (Connection c = amqp(); Channel ch = c.createChannel()) {
            long t = System.nanoTime();
            ch.queueDeclare();
            assertTrue(ms(t) >= 290, "AMQP round trip took " + ms(t) + " ms");
        }
        try (java.sql.Connection c = jdbc(0); Statement s = c.createStatement()) {
            long t = System.nanoTime();
            s.executeQuery("SELECT 1").close();
            assertTrue(ms(t) >= 290, "SQL round trip took " + ms(t) + " ms");
        }
    }

    @Test
    void bandwidthThrottlesLargeResults() throws Exception {
        try (Connection c = amqp(); Channel ch = c.createChannel()) {
            String q = ch.queueDeclare().getQueue();
            ch.basicPublish("", q, null, new byte[150_000]);
            rabbitProxies.proxy(1).toxics().bandwidth("bw", ToxicDirection.DOWNSTREAM, 50);
            long t = System.nanoTime();
            GetResponse r = awaitGet(ch, q);
            assertEquals(150_000, r.getBody().length);
            assertTrue(ms(t) >= 2_000, "150 KB at 50 KB/s took " + ms(t) + " ms");
        }
        galeraProxies.proxy(1).toxics().bandwidth("bw", ToxicDirection.DOWNSTREAM, 50);
        try (java.sql.Connection c = jdbc(0); Statement s = c.createStatement()) {
            long t = System.nanoTime();
            try (ResultSet rs = s.executeQuery("SELECT REPEAT('x', 150000)")) {
                rs.next();
                assertEquals(150_000, rs.getString(1).length());
            }
            assertTrue(ms(t) >= 2_000, "150 KB at 50 KB/s took " + ms(t) + " ms");
        }
    }

    @Test
    void timeoutBlackholesTheNode() throws Exception {
        ConnectionFactory f = amqpFactory();
        f.setChannelRpcTimeout(2_000);
        Connection c = f.newConnection();
        try {
            Channel ch = c.createChannel();
            rabbitProxies.faults(1).cutOff();
            assertThrows(Exception.class, ch::queueDeclare, "no answer through a blackhole");
        } finally {
            c.abort(1_000); // the close handshake cannot cross the blackhole: do not wait for it
        }
        try (java.sql.Connection jc = jdbc(2_000); Statement s = jc.createStatement()) {
            galeraProxies.faults(1).cutOff();
            long t = System.nanoTime();
            assertThrows(SQLException.class, () -> s.executeQuery("SELECT 1"));
            assertTrue(ms(t) >= 1_900, "silent until the client's 2 s socket timeout, failed after " + ms(t) + " ms");
        }
    }

    @Test
    void resetPeerResetsNewConnections() throws Exception {
        rabbitProxies.faults(1).reset();
        galeraProxies.faults(1).reset();
        assertThrows(IOException.class, () -> amqp().close());
        assertThrows(SQLException.class, () -> jdbc(0).close());
    }

    @Test
    void slicerCutsTheStreamYetTheProtocolsReassembleIt() throws Exception {
        rabbitProxies.proxy(1).toxics().slicer("slice", ToxicDirection.DOWNSTREAM, 7, 3).setDelay(200);
        galeraProxies.proxy(1).toxics().slicer("slice", ToxicDirection.DOWNSTREAM, 7, 3).setDelay(200);
        byte[] body = new byte[5_000];
        new java.util.Random(3).nextBytes(body);
        try (Connection c = amqp(); Channel ch = c.createChannel()) {
            String q = ch.queueDeclare().getQueue();
            ch.basicPublish("", q, null, body);
            long t = System.nanoTime();
            assertArrayEquals(body, awaitGet(ch, q).getBody());
            assertTrue(ms(t) >= 100, "~700 slices of 200 us took " + ms(t) + " ms");
        }
        try (java.sql.Connection c = jdbc(0); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT REPEAT('ab', 2500)")) {
            rs.next();
            assertEquals("ab".repeat(2500), rs.getString(1));
        }
    }

    @Test
    void limitDataCutsTheConnection() throws Exception {
        Connection c = amqp();
        try {
            Channel ch = c.createChannel();
            String q = ch.queueDeclare().getQueue();
            ch.basicPublish("", q, null, new byte[20_000]);
            rabbitProxies.proxy(1).toxics().limitData("limit", ToxicDirection.DOWNSTREAM, 5_000);
            assertThrows(Exception.class, () -> awaitGet(ch, q), "cut before the 20 KB message arrives");
        } finally {
            c.abort(1_000);
        }
        try (java.sql.Connection jc = jdbc(5_000); Statement s = jc.createStatement()) {
            galeraProxies.proxy(1).toxics().limitData("limit", ToxicDirection.DOWNSTREAM, 5_000);
            assertThrows(SQLException.class, () -> s.executeQuery("SELECT REPEAT('x', 50000)").next());
        }
    }

    @Test
    void aDisabledProxyRefusesClients() throws Exception {
        rabbitProxies.faults(1).disable();
        galeraProxies.faults(1).disable();
        assertThrows(IOException.class, () -> amqp().close());
        assertThrows(SQLException.class, () -> jdbc(0).close());
    }

    private static ConnectionFactory amqpFactory() {
        ConnectionFactory f = new ConnectionFactory();
        f.setPort(rabbitProxies.port(1));
        f.setUsername(rabbit.user());
        f.setPassword(rabbit.password());
        f.setAutomaticRecoveryEnabled(false);
        f.setConnectionTimeout(5_000);
        f.setHandshakeTimeout(5_000);
        return f;
    }

    private static Connection amqp() throws Exception {
        return amqpFactory().newConnection();
    }

    private static java.sql.Connection jdbc(int socketTimeoutMs) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + galeraProxies.port(1)
                + "/?connectTimeout=5000&socketTimeout=" + socketTimeoutMs, galera.user(), galera.password());
    }

    private static GetResponse awaitGet(Channel ch, String q) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            GetResponse r = ch.basicGet(q, true);
            if (r != null) {
                return r;
            }
        }
        throw new AssertionError("no message within 20 s");
    }

    private static long ms(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
