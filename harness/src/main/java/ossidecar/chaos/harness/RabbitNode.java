package ossidecar.chaos.harness;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RabbitMQ node of a {@link RabbitCluster}: {@code rabbitmq-server} run directly (not
 * through the Debian service), logging to the console, which goes to {@code <dir>/node.log}.
 */
public final class RabbitNode extends ProcessNode {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitNode.class);

    private final String nodeName;
    private final int amqpPort;
    private final int distPort;
    private final Path dir;

    RabbitNode(String name, String nodeName, int amqpPort, int distPort, Path dir, NodeProcess process) {
        super(name, process);
        this.nodeName = nodeName;
        this.amqpPort = amqpPort;
        this.distPort = distPort;
        this.dir = dir;
    }

    /** Erlang node name, such as {@code rabbit-k3x9q-2@localhost}. */
    public String nodeName() {
        return nodeName;
    }

    @Override
    public int port() {
        return amqpPort;
    }

    public int amqpPort() {
        return amqpPort;
    }

    /** Erlang distribution port (inter-node and CLI traffic). */
    public int distPort() {
        return distPort;
    }

    /** The node's directory (config, mnesia, logs). */
    public Path dir() {
        return dir;
    }

    @Override
    public void start() {
        LOG.info("{} ({}): starting, AMQP port {}", name, nodeName, amqpPort);
        started();
        process.start();
    }

    /** Ready = the AMQP port completes a handshake (guest, from loopback); RabbitMQ opens its
     * listeners only after the node has booted and synced its schema with the cluster. */
    @Override
    protected boolean readyNow() {
        return amqpHandshakeSucceeds();
    }

    @Override
    protected String readiness() {
        return "to accept AMQP connections on port " + amqpPort;
    }

    private boolean amqpHandshakeSucceeds() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(amqpPort);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setConnectionTimeout(1000);
        factory.setHandshakeTimeout(3000);
        factory.setAutomaticRecoveryEnabled(false);
        try (Connection connection = factory.newConnection("harness-readiness")) {
            return connection.isOpen();
        } catch (IOException | TimeoutException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name + "(" + nodeName + ", amqp " + amqpPort + ")";
    }
}
